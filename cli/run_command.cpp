// `tandem run FLOW`: runs a flow file. A flow with a `search:` section runs that search (as
// `tandem search`); any other flow validates its accelerator, generates its RTL package and
// (when the flow names a network) simulates the network on that RTL, layer by layer, checked
// against the golden reference.
#include <filesystem>
#include <iostream>

#include "cli/command_registry.h"
#include "cli/search_runner.h"
#include "core/accelerator_yaml.h"
#include "core/files.h"
#include "core/flow_spec.h"
#include "generator/generator.h"
#include "models/network_io.h"
#include "sim/network_simulation.h"

namespace tandem::cli {
namespace {

int run_flow(const std::string& file) {
  const FlowSpec flow = load_flow_file(file);
  if (flow.has_search) return run_search_flow({file, "", false, false});
  const std::string hash = config_hash(flow.accelerator);
  const int steps = flow.network.empty() ? 2 : 3;
  const std::filesystem::path out_dir(flow.output_dir);
  std::filesystem::create_directories(out_dir);

  std::cout << "[1/" << steps << "] flow '" << flow.name << "': accelerator " << flow.accelerator.array.rows
            << "x" << flow.accelerator.array.cols << " " << dataflow_name(flow.accelerator.array.dataflow)
            << ", hash " << hash << std::endl;
  write_file(out_dir / "accelerator.yaml", accelerator_to_yaml(flow.accelerator));

  const RtlPackage package = generate_rtl(flow.accelerator);
  write_package(package, out_dir / "rtl");
  std::cout << "[2/" << steps << "] RTL package: " << (out_dir / "rtl").string() << " (" << package.rtl.size()
            << " Verilog files, filelist.f, synth.ys, constraints.sdc, manifest.json)" << std::endl;

  nlohmann::ordered_json summary;
  summary["flow"] = flow.name;
  summary["accelerator_hash"] = hash;
  summary["accelerator"] = accelerator_to_json(flow.accelerator);
  summary["rtl"] = (out_dir / "rtl").string();
  bool ok = true;
  if (!flow.network.empty()) {
    std::cout << "[3/" << steps << "] simulating " << flow.network
              << " on the RTL (outputs against the golden reference, cycles against the analytic model)"
              << std::endl;
    SimulationOptions options;
    options.seed = flow.seed;
    options.evaluator = "both";  // the RTL, with the analytic model held to it
    options.on_layer = [](std::size_t index, std::size_t count, const LayerMetrics& layer) {
      std::cout << "  [" << index << "/" << count << "] " << layer.name << ": "
                << (layer.ok() ? std::to_string(layer.cycles) + " cycles" : "ERROR " + layer.error)
                << (layer.bit_exact.value_or(true) ? "" : ", MISMATCH against the golden reference") << std::endl;
    };
    const NetworkMetrics metrics = simulate_workload(load_workload(flow.network), flow.accelerator, options);
    write_file(out_dir / "metrics.json", to_json(metrics).dump(2) + "\n");
    summary["network"] = flow.network;
    summary["metrics"] = (out_dir / "metrics.json").string();
    summary["total_cycles"] = metrics.total_cycles();
    summary["latency_us"] = metrics.latency_us();
    summary["energy_uj"] = metrics.total_energy_pj()["total"] / 1e6;
    summary["area_mm2"] = metrics.area_mm2.at("total");
    summary["bit_exact"] = metrics.all_ok();
    ok = metrics.all_ok();
    std::cout << "  " << metrics.network << ": " << metrics.total_cycles() << " cycles, " << metrics.latency_us()
              << " us at " << flow.accelerator.clock_mhz << " MHz, " << metrics.total_energy_pj()["total"] / 1e6
              << " uJ, " << metrics.area_mm2.at("total") << " mm^2, "
              << (ok ? "every layer bit-exact and cycle-equal to the analytic model" : "SOME LAYERS FAILED")
              << std::endl;
  }
  write_file(out_dir / "summary.json", summary.dump(2) + "\n");
  std::cout << "wrote " << (out_dir / "summary.json").string() << std::endl;
  return ok ? 0 : 1;
}

void setup(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  CLI::App* run = app.add_subcommand("run", "Run a flow file (flows/*.yaml) end to end");
  run->add_option("FLOW", *file, "flow YAML, e.g. flows/quickstart.yaml")->required();
  run->callback([file] {
    if (const int status = run_flow(*file); status != 0) throw CLI::RuntimeError(status);
  });
}

RegisterCommand registration("run", setup);

}  // namespace
}  // namespace tandem::cli
