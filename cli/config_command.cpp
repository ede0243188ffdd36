// `tandem config check FILE`, `tandem config from-scalesim FILE.cfg` and `tandem config space`.
#include <iostream>

#include "cli/command_registry.h"
#include "cli/scalesim_accelerator.h"
#include "core/files.h"
#include "core/accelerator_yaml.h"
#include "cost/cost.h"

namespace tandem::cli {
namespace {

struct CheckOptions {
  std::string file;
  bool json = false;
};

void run_check(const CheckOptions& options) {
  const AcceleratorConfig config = load_accelerator_file(options.file);
  const std::string hash = config_hash(config);
  const ClockEstimate clock = estimate_clock(config);
  if (options.json) {
    nlohmann::ordered_json out;
    out["file"] = options.file;
    out["hash"] = hash;
    out["accelerator"] = accelerator_to_json(config);
    out["timing_model"] = {{"fmax_mhz", clock.fmax_mhz},
                           {"critical_path_ns", clock.critical_path_ns},
                           {"meets_clock", clock.margin >= 0}};
    std::cout << out.dump(2) << "\n";
  } else {
    // Printed as a valid accelerator file, so the output can be checked again.
    std::cout << "# " << options.file << ": valid accelerator configuration\n"
              << "# hash: " << hash << "\n"
              << "# timing model (sky130 HD typical): Fmax " << static_cast<int>(clock.fmax_mhz) << " MHz\n"
              << accelerator_to_yaml(config);
  }
  if (const std::string warning = clock_warning(config); !warning.empty()) {
    std::cerr << "warning: " << warning << "\n";
  }
}

void setup(CLI::App& app) {
  CLI::App* config = app.add_subcommand("config", "Validate accelerator configurations, convert "
                                                  "SCALE-Sim ones, and show the declared parameter space");
  config->require_subcommand(1);

  auto check_options = std::make_shared<CheckOptions>();
  CLI::App* check = config->add_subcommand(
      "check", "Validate an accelerator YAML file; print it normalized (every parameter, "
               "canonical order) with its hash");
  check->add_option("FILE", check_options->file, "accelerator YAML (top-level key 'accelerator')")
      ->required();
  check->add_flag("--json", check_options->json, "print JSON instead of YAML");
  check->callback([check_options] { run_check(*check_options); });

  auto scalesim_file = std::make_shared<std::string>();
  auto scalesim_output = std::make_shared<std::string>();
  CLI::App* from_scalesim = config->add_subcommand(
      "from-scalesim", "Convert a SCALE-Sim .cfg into an accelerator YAML (what each key becomes, and "
                       "what has no counterpart, on stderr; docs/networks.md has the mapping)");
  from_scalesim->add_option("FILE", *scalesim_file, "SCALE-Sim configuration (.cfg)")->required();
  from_scalesim->add_option("-o,--output", *scalesim_output, "write the YAML here instead of stdout");
  from_scalesim->callback([scalesim_file, scalesim_output] {
    const AcceleratorConfig config = load_scalesim_accelerator(*scalesim_file, std::cerr);
    const std::string yaml = "# from the SCALE-Sim configuration " + *scalesim_file + "\n" + accelerator_to_yaml(config);
    if (scalesim_output->empty()) {
      std::cout << yaml;
    } else {
      write_file(*scalesim_output, yaml);
      std::cerr << "wrote " << *scalesim_output << "\n";
    }
  });

  auto space_as_json = std::make_shared<bool>(false);
  CLI::App* space = config->add_subcommand(
      "space", "Print the declared accelerator space: parameters, allowed values, defaults, "
               "units, search values and cross-field constraints");
  space->add_flag("--json", *space_as_json, "print JSON instead of a table");
  space->callback([space_as_json] {
    std::cout << (*space_as_json ? space_json().dump(2) + "\n" : space_table());
  });
}

RegisterCommand registration("config", setup);

}  // namespace
}  // namespace tandem::cli
