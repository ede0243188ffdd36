// `tandem run FLOW`: runs a flow file through every stage that exists so far.
// Today that is validation and the normalized configuration; later stages (generate, simulate,
// search) hook in here as they land.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/command_registry.h"
#include "core/accelerator_yaml.h"
#include "core/flow_spec.h"

namespace tandem::cli {
namespace {

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void run_flow(const std::string& file) {
  const FlowSpec flow = load_flow_file(file);
  const std::string hash = config_hash(flow.accelerator);
  std::cout << "[1/1] flow '" << flow.name << "': accelerator " << flow.accelerator.array.rows
            << "x" << flow.accelerator.array.cols << " "
            << dataflow_name(flow.accelerator.array.dataflow) << ", hash " << hash << "\n";

  const std::filesystem::path out_dir(flow.output_dir);
  std::filesystem::create_directories(out_dir);
  write_file(out_dir / "accelerator.yaml", accelerator_to_yaml(flow.accelerator));
  nlohmann::ordered_json summary;
  summary["flow"] = flow.name;
  summary["accelerator_hash"] = hash;
  summary["accelerator"] = accelerator_to_json(flow.accelerator);
  write_file(out_dir / "summary.json", summary.dump(2) + "\n");
  std::cout << "wrote " << (out_dir / "accelerator.yaml").string() << " and "
            << (out_dir / "summary.json").string() << "\n";
}

void setup(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  CLI::App* run = app.add_subcommand("run", "Run a flow file (flows/*.yaml) end to end");
  run->add_option("FLOW", *file, "flow YAML, e.g. flows/quickstart.yaml")->required();
  run->callback([file] { run_flow(*file); });
}

RegisterCommand registration("run", setup);

}  // namespace
}  // namespace tandem::cli
