// `tandem generate ACCEL.yaml -o DIR`: the RTL package for one accelerator configuration.
#include <iostream>

#include "cli/command_registry.h"
#include "core/accelerator_yaml.h"
#include "cli/generator_cli.h"
#include "generator/generator.h"

namespace tandem::cli {
namespace {

struct GenerateOptions {
  std::string accelerator_file;
  std::string output_dir;
  GeneratorOptions rtl;
};

void run_generate(const GenerateOptions& options) {
  // Parsing validates: a configuration outside the space stops here, before any file is written.
  const AcceleratorConfig config = load_accelerator_file(options.accelerator_file);
  const RtlPackage package = generate_rtl(config, options.rtl);
  write_package(package, options.output_dir);
  std::cout << "generated accelerator " << package.hash << " (" << config.array.rows << "x"
            << config.array.cols << " " << dataflow_name(config.array.dataflow) << ") in "
            << options.output_dir << ": " << package.rtl.size()
            << " RTL files, filelist.f, synth.ys, constraints.sdc, manifest.json\n";
}

void setup(CLI::App& app) {
  auto options = std::make_shared<GenerateOptions>();
  CLI::App* generate = app.add_subcommand(
      "generate", "Generate the accelerator's RTL package: rtl/*.v, filelist.f, manifest.json, "
                  "synth.ys, constraints.sdc");
  generate->add_option("ACCEL", options->accelerator_file, "accelerator YAML")->required();
  generate->add_option("-o,--output", options->output_dir, "output directory")->required();
  add_generator_options(generate, options->rtl);
  generate->callback([options] { run_generate(*options); });
}

RegisterCommand registration("generate", setup);

}  // namespace
}  // namespace tandem::cli
