// `tandem simulate (--accel A.yaml | --scalesim-config C.cfg) (--network N | --topology T.csv)`:
// every layer compiled, evaluated and checked against the golden reference; per-layer and total
// metrics as JSON. A SCALE-Sim topology's rows run as independent layers unless chained.
#include <fstream>
#include <iostream>

#include "accuracy/accuracy.h"
#include "cli/command_registry.h"
#include "cli/scalesim_accelerator.h"
#include "core/accelerator_yaml.h"
#include "models/network_io.h"
#include "sim/network_simulation.h"

namespace tandem::cli {
namespace {

struct SimulateOptions {
  std::string accelerator_file, scalesim_config_file, network_file, topology_file, json_file, trace_file,
      trace_window;
  std::string topology_mode = "independent";
  std::string evaluator = "analytic";
  std::string technology_file;
  std::uint64_t seed = 1;
  std::vector<std::string> layers;
  std::string cache_dir;
  std::uint64_t stall_cycles = 0;
  bool test_drop_dram_responses = false;
  int images = 0;
  std::string dataset_dir;
};

// The first `o.images` test images through the network (accuracy/accuracy.h), each image's
// prediction on stderr as it comes.
HardwareAccuracy run_images(const Network& network, const AcceleratorConfig& config,
                            const SimulationOptions& options, const SimulateOptions& o) {
  if (!o.layers.empty()) throw CLI::ValidationError("--images", "runs the whole network; leave out --layer");
  if (const Layer* layer = unquantized_layer(network)) {
    throw std::invalid_argument("--images needs a trained int8 network (layer '" + layer->name +
                                "' has no quantization): run `tandem train NETWORK -o OUT`, then "
                                "--network OUT/network.yaml");
  }
  const ImageDataset test = load_fashion_mnist(DatasetSplit::test, o.dataset_dir);
  if (o.images > static_cast<int>(test.size())) {
    throw CLI::ValidationError("--images", "the test set has " + std::to_string(test.size()) + " images");
  }
  const bool rtl = o.evaluator != "analytic";
  return measure_hardware_accuracy(network, config, options, test, o.images, [&](const ImagePrediction& image) {
    std::cerr << "image " << image.index << ": label " << image.label << ", " << (rtl ? "RTL" : "golden")
              << " predicts " << image.hardware
              << (rtl ? (image.bit_exact ? ", logits bit-exact" : ", LOGITS DIFFER from the golden reference") : "")
              << "\n";
  });
}

std::pair<std::uint64_t, std::uint64_t> parse_window(const std::string& text) {
  const auto colon = text.find(':');
  try {
    if (colon == std::string::npos) throw std::invalid_argument(text);
    return {std::stoull(text.substr(0, colon)), std::stoull(text.substr(colon + 1))};
  } catch (const std::exception&) {
    throw CLI::ValidationError("--trace-window", "'" + text + "' is not A:B (two cycle numbers)");
  }
}

// The accelerator from --accel, or from a SCALE-Sim .cfg with what became of each key on stderr.
AcceleratorConfig load_accelerator(const SimulateOptions& o) {
  if (!o.accelerator_file.empty()) return load_accelerator_file(o.accelerator_file);
  return load_scalesim_accelerator(o.scalesim_config_file, std::cerr);
}

int run_simulate(const SimulateOptions& o) {
  const AcceleratorConfig config = load_accelerator(o);
  TopologyMode topology_mode = TopologyMode::independent;
  parse_topology_mode(o.topology_mode, &topology_mode);
  const std::string source = o.network_file.empty() ? o.topology_file : o.network_file;
  SimulationOptions options;
  options.evaluator = o.evaluator;
  Technology technology = o.technology_file.empty() ? default_technology() : load_technology_file(o.technology_file);
  options.technology = &technology;
  options.seed = o.seed;
  options.only_layers = o.layers;
  options.cosim.cache_dir = o.cache_dir;
  options.cosim.stall_cycles = o.stall_cycles;
  options.cosim.test_drop_dram_responses = o.test_drop_dram_responses;
  if (!o.trace_file.empty()) {
    options.cosim.trace_fst = true;
    options.cosim.trace_file = o.trace_file;
    if (!o.trace_window.empty()) {
      std::tie(options.cosim.trace_from, options.cosim.trace_to) = parse_window(o.trace_window);
    }
  }
  options.on_layer = [](std::size_t index, std::size_t count, const LayerMetrics& layer) {
    std::cerr << "[" << index << "/" << count << "] " << layer.name << " (" << layer.kind << "): ";
    if (!layer.ok()) std::cerr << "ERROR " << layer.error;
    else if (!layer.bit_exact) std::cerr << layer.cycles << " cycles";
    else std::cerr << layer.cycles << " cycles" << (*layer.bit_exact ? ", bit-exact" : ", MISMATCH");
    std::cerr << "\n";
  };
  std::optional<HardwareAccuracy> images;
  if (o.images > 0) images = run_images(load_network(source, topology_mode), config, options, o);
  const NetworkMetrics metrics =
      images ? images->metrics : simulate_workload(load_workload(source, topology_mode), config, options);
  nlohmann::ordered_json report = to_json(metrics);
  if (images) report["images"] = to_json(*images);
  const std::string json = report.dump(2) + "\n";
  if (o.json_file.empty()) {
    std::cout << json;
  } else {
    std::ofstream(o.json_file) << json;
    std::cerr << "wrote " << o.json_file << "\n";
  }
  std::cerr << metrics.network << " on " << metrics.accelerator_hash << ": " << metrics.total_cycles()
            << " cycles, " << metrics.latency_us() << " us at " << metrics.clock_mhz << " MHz"
            << (metrics.all_ok() ? "" : "; SOME LAYERS FAILED (see errors above)") << "\n";
  if (const std::string warning = clock_warning(config); !warning.empty()) {
    std::cerr << "warning: " << warning << "\n";
  }
  if (images) {
    const double hardware = images->hardware_accuracy(), golden = images->golden_accuracy();
    if (o.evaluator == "analytic") {
      std::cerr << "accuracy on " << images->images << " test images: " << hardware
                << " (golden reference; the analytic model computes no values: use --evaluator rtl)\n";
    } else {
      std::cerr << "accuracy on the RTL, " << images->images << " test images: " << hardware
                << " (golden reference: " << golden << "); logits bit-exact for " << images->bit_exact_images
                << "/" << images->images << " images\n";
    }
    return images->all_ok ? 0 : 1;
  }
  return metrics.all_ok() ? 0 : 1;
}

void setup(CLI::App& app) {
  auto o = std::make_shared<SimulateOptions>();
  CLI::App* sim = app.add_subcommand(
      "simulate", "Run a network's int8 layers on an accelerator: cycles, activity counters, and "
                  "outputs checked bit for bit against the golden reference");
  auto* accel = sim->add_option("--accel", o->accelerator_file, "accelerator YAML");
  auto* scalesim = sim->add_option("--scalesim-config", o->scalesim_config_file,
                                   "a SCALE-Sim .cfg instead of --accel (what each key becomes is printed)");
  accel->excludes(scalesim);
  auto* network = sim->add_option("--network", o->network_file, "network YAML, zoo:NAME, an ONNX model (.onnx), or a SCALE-Sim topology");
  auto* topology = sim->add_option("--topology", o->topology_file,
                                   "SCALE-Sim topology CSV (convolution or GEMM format): every row an "
                                   "independent layer with its own input, as SCALE-Sim runs it");
  network->excludes(topology);
  sim->add_option("--topology-mode", o->topology_mode,
                  "independent (SCALE-Sim's semantics, default) or chained (the rows form one network, "
                  "each reading the previous row's output)")
      ->check(CLI::IsMember(topology_mode_names()));
  sim->add_option("--evaluator", o->evaluator,
                  "analytic (default: the model, microseconds), rtl (co-simulation, outputs checked "
                  "bit for bit) or both (rtl, and any analytic difference is an error)")
      ->check(CLI::IsMember(simulation_evaluators()));
  sim->add_option("--technology", o->technology_file,
                  "technology YAML for energy and area (default: built-in 45 nm, technology/)");
  sim->add_option("--seed", o->seed, "seed of random weights (when the network has none) and input");
  sim->add_option("--layer", o->layers, "only these layers (repeatable)");
  sim->add_option("--images", o->images,
                  "run the first K Fashion-MNIST test images (a trained network, see tandem train) "
                  "and report the accuracy measured on the evaluator")
      ->check(CLI::Range(1, 10000));
  sim->add_option("--dataset-dir", o->dataset_dir,
                  std::string("Fashion-MNIST folder (default ") + kFashionMnistDir + ")");
  sim->add_option("--json", o->json_file, "write the JSON here instead of stdout");
  sim->add_option("--trace", o->trace_file, "write an FST waveform (use with --layer)");
  sim->add_option("--trace-window", o->trace_window, "cycles A:B of the waveform");
  sim->add_option("--cache-dir", o->cache_dir, "simulator cache (default ~/.cache/tandem)");
  sim->add_option("--stall-cycles", o->stall_cycles,
                  "watchdog: stop a simulation after this many cycles without progress (default: "
                  "derived from the configuration)");
  // Test-only: a DRAM model that never answers, to exercise the watchdog end to end. Hidden.
  sim->add_flag("--test-drop-dram-responses", o->test_drop_dram_responses)->group("");
  sim->callback([o] {
    if (o->network_file.empty() && o->topology_file.empty()) {
      throw CLI::RequiredError("--network or --topology");
    }
    if (o->accelerator_file.empty() && o->scalesim_config_file.empty()) {
      throw CLI::RequiredError("--accel or --scalesim-config");
    }
    const int status = run_simulate(*o);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

RegisterCommand registration("simulate", setup);

}  // namespace
}  // namespace tandem::cli
