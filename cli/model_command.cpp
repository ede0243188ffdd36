// `tandem model show SOURCE` and `tandem model list`: the network IR as people and machines
// read it. SOURCE is a YAML network file, a SCALE-Sim topology CSV or zoo:NAME.
#include <iostream>

#include "cli/command_registry.h"
#include "models/network_io.h"
#include "models/zoo.h"

namespace tandem::cli {
namespace {

struct ShowOptions {
  std::string source;
  bool json = false;
  bool yaml = false;
};

void run_show(const ShowOptions& options) {
  const Network network = load_network(options.source);
  if (options.json) {
    std::cout << network_json(network).dump(2) << "\n";
  } else if (options.yaml) {
    std::cout << network_to_yaml(network);
  } else {
    std::cout << network_table(network);
  }
}

void run_list(bool json) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& model : zoo_models()) {
    const Network network = model.build();
    if (json) {
      out.push_back({{"name", model.name},
                     {"input", {network.input.height, network.input.width, network.input.channels}},
                     {"num_classes", network.num_classes},
                     {"macs", total_macs(network)},
                     {"params", total_params(network)},
                     {"description", model.description},
                     {"reference", model.reference}});
    } else {
      std::cout << "zoo:" << model.name << "  " << network.input.to_string() << "  MACs "
                << human_count(total_macs(network)) << "  params "
                << human_count(total_params(network)) << "  " << model.description << "\n";
    }
  }
  if (json) std::cout << out.dump(2) << "\n";
}

void setup(CLI::App& app) {
  CLI::App* model = app.add_subcommand("model", "Inspect networks: YAML network files, SCALE-Sim "
                                                "topology CSVs and the model zoo");
  model->require_subcommand(1);

  auto show_options = std::make_shared<ShowOptions>();
  CLI::App* show = model->add_subcommand(
      "show", "Print a network's layers: output shape, MACs, parameters, int8 activation bytes, "
              "and totals");
  show->add_option("SOURCE", show_options->source,
                   "a YAML network file, a SCALE-Sim topology .csv, or zoo:NAME (see 'model list')")
      ->required();
  auto* json_flag = show->add_flag("--json", show_options->json, "print JSON instead of a table");
  show->add_flag("--yaml", show_options->yaml, "print the network as a YAML network file")
      ->excludes(json_flag);
  show->callback([show_options] { run_show(*show_options); });

  auto list_json = std::make_shared<bool>(false);
  CLI::App* list = model->add_subcommand("list", "List the zoo models with their MACs and parameters");
  list->add_flag("--json", *list_json, "print JSON instead of a list");
  list->callback([list_json] { run_list(*list_json); });
}

RegisterCommand registration("model", setup);

}  // namespace
}  // namespace tandem::cli
