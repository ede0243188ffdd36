// The `tandem` command line: one app, subcommands registered by the files in cli/.
#include <algorithm>
#include <csignal>
#include <iostream>

#include "cli/command_registry.h"
#include "core/input_error.h"
#include "core/process.h"
#include "core/version.h"

namespace tandem::cli {

std::vector<RegisteredCommand>& registered_commands() {
  static std::vector<RegisteredCommand> commands;
  return commands;
}

namespace {

// Children run in their own process groups (core/process.h), out of reach of the terminal's
// interrupt: an interrupted tandem kills them (a search's trainers, a simulator build, Yosys)
// before it dies of the signal. Finished search trials are already in the study.
void stop_on_signal(int signal) {
  kill_running_processes();
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

}  // namespace

}  // namespace tandem::cli

int main(int argc, char** argv) {
  using namespace tandem;
  CLI::App app{
      "tandem: joint search of neural networks and the edge accelerators that run them.\n"
      "Generates the accelerator as Verilog and measures it by cycle-accurate co-simulation.",
      "tandem"};
  app.set_version_flag("--version", std::string("tandem ") + version());
  app.require_subcommand(1);
  app.footer("Run 'tandem COMMAND --help' for a command's options.");

  auto commands = cli::registered_commands();
  std::sort(commands.begin(), commands.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& command : commands) command.setup(app);
  std::signal(SIGINT, cli::stop_on_signal);
  std::signal(SIGTERM, cli::stop_on_signal);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "tandem: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
