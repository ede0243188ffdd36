// `tandem model show SOURCE`, `model list`, `model import M.onnx` and `model export NET`: the
// network IR as people and machines read it, and ONNX in and out. SOURCE is a YAML network file,
// a SCALE-Sim topology CSV (its rows independent, or chained), an ONNX model or zoo:NAME.
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command_registry.h"
#include "models/network_io.h"
#include "core/files.h"
#include "models/onnx.h"
#include "models/zoo.h"

namespace tandem::cli {
namespace {

struct ShowOptions {
  std::string source;
  bool json = false;
  bool yaml = false;
  std::string topology_mode = "independent";
};

void run_show(const ShowOptions& options) {
  TopologyMode topology_mode = TopologyMode::independent;
  parse_topology_mode(options.topology_mode, &topology_mode);
  if (options.yaml) {
    std::cout << network_to_yaml(load_network(options.source, topology_mode));
    return;
  }
  const Workload workload = load_workload(options.source, topology_mode);
  if (options.json) {
    std::cout << workload_json(workload).dump(2) << "\n";
  } else {
    std::cout << workload_table(workload);
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

struct ImportOptions {
  std::string model;
  std::string output;
  std::vector<std::string> calibration;
  bool no_quantize = false;
  std::uint64_t seed = 1;
};

const char* import_kind_name(OnnxImport::Kind kind) {
  switch (kind) {
    case OnnxImport::Kind::float_model: return "float model";
    case OnnxImport::Kind::qdq: return "QDQ model, its int8 quantization kept";
    case OnnxImport::Kind::qlinear: return "QLinear model, its int8 quantization kept";
  }
  return "";
}

void run_import(const ImportOptions& options) {
  OnnxImportOptions import_options;
  import_options.calibration_files = options.calibration;
  import_options.quantize = !options.no_quantize;
  import_options.seed = options.seed;
  const OnnxImport imported = import_onnx(options.model, import_options);
  for (const auto& warning : imported.warnings) std::cerr << "tandem: warning: " << warning << "\n";
  const Network& network = imported.network;
  std::string written = options.output;
  const std::string extension = std::filesystem::path(options.output).extension().string();
  const bool yaml_file = extension == ".yaml" || extension == ".yml";
  if (yaml_file) {
    write_file(options.output, network_to_yaml(network));
  } else {
    written = write_network_directory(network, options.output);
  }
  std::cout << "imported " << options.model << " (" << import_kind_name(imported.kind)
            << (imported.kind == OnnxImport::Kind::float_model
                    ? (options.no_quantize ? ", not quantized" : ", quantized by tandem")
                    : "")
            << "): network " << network.name << ", " << network.layers.size() << " layers, MACs "
            << human_count(total_macs(network)) << ", params " << human_count(total_params(network))
            << " -> " << written << "\n";
}

void run_export(const std::string& source, const std::string& output, std::uint64_t seed) {
  const Network network = load_network(source);
  export_onnx(network, output, seed);
  const bool quantized = network.layers.front().quant.has_value();
  std::cout << "exported " << source << " (" << (quantized ? "int8 as QDQ" : "float, random weights")
            << ", " << network.layers.size() << " layers) -> " << output << "\n";
}

void setup_onnx(CLI::App* model) {
  auto import_options = std::make_shared<ImportOptions>();
  CLI::App* import = model->add_subcommand(
      "import",
      "Convert an ONNX model into a tandem network. Float models (Conv, depthwise Conv, Gemm/MatMul, "
      "Add, Relu/Clip, Max/Average/GlobalAveragePool, BatchNormalization, Flatten/Reshape) are "
      "quantized by tandem (per-channel int8 weights, activation ranges calibrated on --calibration "
      "inputs, else on seeded random inputs with a warning); QDQ and QLinearConv/QLinearMatMul models "
      "keep their own scales and zero points. See docs/networks.md, \"ONNX\".");
  import->add_option("MODEL", import_options->model, "the .onnx file")->required()->check(CLI::ExistingFile);
  import->add_option("-o,--output", import_options->output,
                     "where to write: NAME.yaml writes one YAML file with the weights inline; any other "
                     "path is a directory with network.yaml and weights/*.npy")
      ->required();
  import->add_option("--calibration", import_options->calibration,
                     "float32 .npy inputs [N, C, H, W] (or [C, H, W]) as the ONNX model takes them, for "
                     "calibrating activation ranges of a float model (repeatable)");
  import->add_flag("--no-quantize", import_options->no_quantize,
                   "import a float model's structure only, without quantization");
  import->add_option("--seed", import_options->seed,
                     "seed of the random calibration inputs when no --calibration is given (default 1)");
  import->callback([import_options] { run_import(*import_options); });

  auto export_source = std::make_shared<std::string>();
  auto export_output = std::make_shared<std::string>();
  auto export_seed = std::make_shared<std::uint64_t>(1);
  CLI::App* exporter = model->add_subcommand(
      "export",
      "Write a network as an ONNX model (opset 13): a quantized network (trained, imported, or with "
      "quant in its YAML) as QDQ with its own int8 weights, scales and zero points; an unquantized "
      "one (zoo, space) as a float graph with seeded random weights");
  exporter->add_option("NET", *export_source, "a YAML network file, zoo:NAME or an .onnx file")->required();
  exporter->add_option("-o,--output", *export_output, "the .onnx file to write")->required();
  exporter->add_option("--seed", *export_seed, "seed of the random float weights of an unquantized network");
  exporter->callback([=] { run_export(*export_source, *export_output, *export_seed); });
}

void setup(CLI::App& app) {
  CLI::App* model = app.add_subcommand("model", "Inspect networks: YAML network files, SCALE-Sim "
                                                "topology CSVs, ONNX models and the model zoo; "
                                                "import and export ONNX");
  model->require_subcommand(1);

  auto show_options = std::make_shared<ShowOptions>();
  CLI::App* show = model->add_subcommand(
      "show", "Print a network's layers: output shape, MACs, parameters, int8 activation bytes, "
              "and totals");
  show->add_option("SOURCE", show_options->source,
                   "a YAML network file, a SCALE-Sim topology .csv, an ONNX model .onnx, or zoo:NAME (see 'model list')")
      ->required();
  auto* json_flag = show->add_flag("--json", show_options->json, "print JSON instead of a table");
  show->add_flag("--yaml", show_options->yaml, "print the network as a YAML network file")
      ->excludes(json_flag);
  show->add_option("--topology-mode", show_options->topology_mode,
                   "a SCALE-Sim topology's rows: independent layers (default, as SCALE-Sim runs them) "
                   "or chained into one network")
      ->check(CLI::IsMember(topology_mode_names()));
  show->callback([show_options] { run_show(*show_options); });

  auto list_json = std::make_shared<bool>(false);
  CLI::App* list = model->add_subcommand("list", "List the zoo models with their MACs and parameters");
  list->add_flag("--json", *list_json, "print JSON instead of a list");
  list->callback([list_json] { run_list(*list_json); });

  setup_onnx(model);
}

RegisterCommand registration("model", setup);

}  // namespace
}  // namespace tandem::cli
