// `tandem simulate --accel A.yaml (--network N.yaml | --topology T.csv)`: every layer compiled,
// evaluated and checked against the golden reference; per-layer and total metrics as JSON.
#include <fstream>
#include <iostream>

#include "accuracy/accuracy.h"
#include "cli/command_registry.h"
#include "core/accelerator_yaml.h"
#include "models/network_io.h"
#include "sim/network_simulation.h"

namespace tandem::cli {
namespace {

struct SimulateOptions {
  std::string accelerator_file, network_file, topology_file, json_file, trace_file, trace_window;
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

// What K Fashion-MNIST test images give on the hardware: the prediction from the logits the
// evaluator computed (RTL; the analytic model computes no values, so the golden reference's
// stand in), and whether every image's logits equal the golden reference's bit for bit.
struct ImageRun {
  int images = 0, hardware_correct = 0, golden_correct = 0, bit_exact_images = 0;
  std::vector<int> labels, hardware_predictions, golden_predictions;
  bool all_ok = true;
};

nlohmann::ordered_json to_json(const ImageRun& run, const std::string& evaluator) {
  nlohmann::ordered_json json;
  json["images"] = run.images;
  json["evaluator"] = evaluator;
  json["hardware_accuracy"] = run.images ? static_cast<double>(run.hardware_correct) / run.images : 0.0;
  json["golden_accuracy"] = run.images ? static_cast<double>(run.golden_correct) / run.images : 0.0;
  json["logits_bit_exact_images"] = run.bit_exact_images;
  json["labels"] = run.labels;
  json["hardware_predictions"] = run.hardware_predictions;
  json["golden_predictions"] = run.golden_predictions;
  return json;
}

// Runs the first `o.images` test images through the network, one simulation each.
ImageRun run_images(const Network& network, const AcceleratorConfig& config, SimulationOptions options,
                    const SimulateOptions& o, NetworkMetrics& first_metrics) {
  if (!o.layers.empty()) throw CLI::ValidationError("--images", "runs the whole network; leave out --layer");
  for (const Layer& layer : network.layers) {
    if (!layer.quant) {
      throw std::invalid_argument("--images needs a trained int8 network (layer '" + layer.name +
                                  "' has no quantization): run `tandem train NETWORK -o OUT`, then "
                                  "--network OUT/network.yaml");
    }
  }
  const ImageDataset test = load_fashion_mnist(DatasetSplit::test, o.dataset_dir);
  if (o.images > static_cast<int>(test.size())) {
    throw CLI::ValidationError("--images", "the test set has " + std::to_string(test.size()) + " images");
  }
  const bool rtl = o.evaluator != "analytic";
  ImageRun run;
  const std::size_t last = network.layers.size() - 1;
  for (int k = 0; k < o.images; ++k) {
    const auto index = static_cast<std::size_t>(k);
    options.input = prepare_image(network, test.image(index), test.rows, test.cols);
    std::optional<Tensor8> golden_logits, hardware_logits;
    options.on_output = [&](std::size_t layer, const Tensor8& golden, const Tensor8* evaluated) {
      if (layer != last) return;
      golden_logits = golden;
      if (evaluated) hardware_logits = *evaluated;
    };
    if (k > 0) options.on_layer = nullptr;  // per-layer progress for the first image only
    const NetworkMetrics metrics = simulate_network(network, config, options);
    if (k == 0) first_metrics = metrics;
    run.all_ok = run.all_ok && metrics.all_ok();
    const int label = test.labels[index];
    const int golden = argmax(*golden_logits);
    const int hardware = rtl ? (hardware_logits ? argmax(*hardware_logits) : -1) : golden;
    const bool exact = rtl && hardware_logits && hardware_logits->data == golden_logits->data;
    if (rtl && !exact) run.all_ok = false;
    ++run.images;
    run.labels.push_back(label);
    run.golden_predictions.push_back(golden);
    run.hardware_predictions.push_back(hardware);
    run.golden_correct += golden == label ? 1 : 0;
    run.hardware_correct += hardware == label ? 1 : 0;
    run.bit_exact_images += exact ? 1 : 0;
    std::cerr << "image " << k << ": label " << label << ", " << (rtl ? "RTL" : "golden") << " predicts "
              << hardware << (rtl ? (exact ? ", logits bit-exact" : ", LOGITS DIFFER from the golden reference") : "")
              << "\n";
  }
  return run;
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

int run_simulate(const SimulateOptions& o) {
  const AcceleratorConfig config = load_accelerator_file(o.accelerator_file);
  const Network network = load_network(o.network_file.empty() ? o.topology_file : o.network_file);
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
  NetworkMetrics metrics;
  std::optional<ImageRun> images;
  if (o.images > 0) images = run_images(network, config, options, o, metrics);
  else metrics = simulate_network(network, config, options);
  nlohmann::ordered_json report = to_json(metrics);
  if (images) report["images"] = to_json(*images, o.evaluator);
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
  if (images) {
    const double hardware = images->images ? static_cast<double>(images->hardware_correct) / images->images : 0;
    const double golden = images->images ? static_cast<double>(images->golden_correct) / images->images : 0;
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
  sim->add_option("--accel", o->accelerator_file, "accelerator YAML")->required();
  auto* network = sim->add_option("--network", o->network_file, "network YAML, or zoo:NAME");
  auto* topology = sim->add_option("--topology", o->topology_file, "SCALE-Sim topology CSV");
  network->excludes(topology);
  sim->add_option("--evaluator", o->evaluator,
                  "analytic (default: the model, microseconds), rtl (co-simulation, outputs checked "
                  "bit for bit) or both (rtl, and any analytic difference is an error)")
      ->check(CLI::IsMember(simulation_evaluators()));
  sim->add_option("--technology", o->technology_file,
                  "technology YAML for energy and area (default: built-in 45 nm, flows/technology/)");
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
    const int status = run_simulate(*o);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

RegisterCommand registration("simulate", setup);

}  // namespace
}  // namespace tandem::cli
