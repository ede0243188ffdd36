// `tandem train NETWORK [options] -o OUT`: runs the sibling `tandem-train` executable with the
// same arguments, so that the tandem binary never links or loads libtorch (docs/accuracy.md).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "accuracy/accuracy.h"
#include "cli/command_registry.h"

namespace tandem::cli {
namespace {

void setup(CLI::App& app) {
  CLI::App* train = app.add_subcommand(
      "train", "Quantization-aware training on Fashion-MNIST: float and int8 test accuracy, and "
               "the int8 network for `tandem simulate --images` (runs tandem-train; see "
               "'tandem train --help')");
  // Everything after `train`, --help included, belongs to tandem-train.
  train->prefix_command();
  train->set_help_flag();
  train->callback([train] {
    const std::string program = sibling_executable("tandem-train");
    std::vector<std::string> args = {program};
    for (const std::string& arg : train->remaining()) args.push_back(arg);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::cout.flush();
    ::execv(program.c_str(), argv.data());
    std::cerr << "tandem train: cannot run " << program << ": " << std::strerror(errno)
              << " (build the tandem-train target: it needs libtorch-dev)\n";
    throw CLI::RuntimeError(1);
  });
}

RegisterCommand registration("train", setup);

}  // namespace
}  // namespace tandem::cli
