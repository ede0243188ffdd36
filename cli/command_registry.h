// Subcommands register themselves (like Yosys passes): a file in cli/ defines a static
// RegisterCommand, and main() adds every registered command to the `tandem` app. Adding a
// subcommand touches no central list.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace tandem::cli {

// Adds a subcommand (with its options and callback) to the top-level app.
using CommandSetup = std::function<void(CLI::App& app)>;

struct RegisteredCommand {
  std::string name;  // for ordering and lookup
  CommandSetup setup;
};

std::vector<RegisteredCommand>& registered_commands();

struct RegisterCommand {
  RegisterCommand(std::string name, CommandSetup setup) {
    registered_commands().push_back({std::move(name), std::move(setup)});
  }
};

}  // namespace tandem::cli
