// One loader for every network source, and the YAML writer.
#include <filesystem>
#include <stdexcept>

#include "core/files.h"
#include "core/input_error.h"
#include "models/network_io.h"
#include "models/npy.h"
#include "models/onnx.h"
#include "models/topology_csv.h"
#include "models/zoo.h"

namespace tandem {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

template <typename T>
YAML::Node flow_list(const std::vector<T>& values) {
  YAML::Node list(YAML::NodeType::Sequence);
  for (const auto& value : values) list.push_back(value);
  list.SetStyle(YAML::EmitterStyle::Flow);
  return list;
}

YAML::Node window_value(int height, int width) {
  if (height == width) return YAML::Node(height);
  return flow_list(std::vector<int>{height, width});
}

// Where a layer's weight and bias arrays go: inline (empty file names) or into .npy files.
struct ArrayFiles {
  std::string weights_file;  // relative to the YAML's folder, as written into it
  std::string bias_file;
};

YAML::Node quant_node(const LayerQuant& quant, const ArrayFiles& files) {
  YAML::Node node;
  node["input_zero_points"] = flow_list(quant.input_zero_points);
  node["input_scales"] = flow_list(quant.input_scales);
  node["output_zero_point"] = quant.output_zero_point;
  node["output_scale"] = quant.output_scale;
  if (!quant.weight_scales.empty()) node["weight_scales"] = flow_list(quant.weight_scales);
  if (!quant.weights.empty()) {
    if (!files.weights_file.empty()) node["weights_file"] = files.weights_file;
    else node["weights"] = flow_list(std::vector<int>(quant.weights.begin(), quant.weights.end()));
  }
  if (!quant.bias.empty()) {
    if (!files.bias_file.empty()) node["bias_file"] = files.bias_file;
    else node["bias"] = flow_list(quant.bias);
  }
  return node;
}

// The YAML text; `files_of(layer)` says where each layer's arrays go.
template <typename FilesOf>
std::string network_yaml_text(const Network& network, FilesOf files_of);

}  // namespace

namespace {

// A source that holds exactly one network.
Network load_single_network(const std::string& source) {
  if (source.rfind("zoo:", 0) == 0) {
    const std::string name = source.substr(4);
    if (const ZooModel* model = find_zoo_model(name)) return model->build();
    std::string valid;
    for (const auto& known : zoo_model_names()) valid += (valid.empty() ? "" : ", ") + known;
    throw InputError({}, "", "unknown zoo model '" + name + "' (valid: " + valid + ")");
  }
  if (ends_with(source, ".onnx")) return load_onnx_network(source);
  return load_network_file(source);
}

}  // namespace

Workload load_workload(const std::string& source, TopologyMode topology) {
  if (ends_with(source, ".csv")) return {std::filesystem::path(source).stem().string(), load_topology(source, topology)};
  Network network = load_single_network(source);
  const std::string name = network.name;
  return {name, {std::move(network)}};
}

Network load_network(const std::string& source, TopologyMode topology) {
  Workload workload = load_workload(source, topology);
  if (workload.networks.size() != 1) {
    throw InputError({source, 0, 0}, "",
                     "holds " + std::to_string(workload.networks.size()) +
                         " independent layers (a SCALE-Sim topology: every row has its own input, as SCALE-Sim "
                         "runs it), and this takes one network: chain the rows into one network "
                         "(--topology-mode chained where a command offers it, or `tandem model show " + source +
                         " --topology-mode chained --yaml > network.yaml`), or simulate the rows as they "
                         "are (tandem simulate --topology, tandem run)");
  }
  return std::move(workload.networks.front());
}

std::string network_to_yaml(const Network& network) {
  return network_yaml_text(network, [](const Layer&) { return ArrayFiles{}; });
}

std::string write_network_directory(const Network& network, const std::string& dir) {
  namespace fs = std::filesystem;
  fs::create_directories(fs::path(dir) / "weights");
  const std::string text = network_yaml_text(network, [&](const Layer& layer) {
    ArrayFiles files;
    if (!layer.quant || layer.quant->weights.empty()) return files;
    const LayerQuant& quant = *layer.quant;
    files.weights_file = "weights/" + layer.name + ".weights.npy";
    files.bias_file = "weights/" + layer.name + ".bias.npy";
    npy::write((fs::path(dir) / files.weights_file).string(), "i1",
               {static_cast<std::int64_t>(quant.weights.size())},
               std::vector<std::int32_t>(quant.weights.begin(), quant.weights.end()));
    npy::write((fs::path(dir) / files.bias_file).string(), "i4",
               {static_cast<std::int64_t>(quant.bias.size())}, quant.bias);
    return files;
  });
  const std::string yaml_path = (fs::path(dir) / "network.yaml").string();
  write_file(yaml_path, text);
  return yaml_path;
}

namespace {

template <typename FilesOf>
std::string network_yaml_text(const Network& network, FilesOf files_of) {
  YAML::Node body;
  body["name"] = network.name;
  body["input"] = flow_list(std::vector<int>{network.input.height, network.input.width,
                                             network.input.channels});
  body["num_classes"] = network.num_classes;
  YAML::Node layers(YAML::NodeType::Sequence);
  for (std::size_t i = 0; i < network.layers.size(); ++i) {
    const Layer& layer = network.layers[i];
    YAML::Node node;
    node["name"] = layer.name;
    node["kind"] = layer_kind_name(layer.kind);
    // Inputs are written only where they are not simply the previous layer.
    const bool follows_previous = layer.inputs.size() == 1 && layer.inputs[0] == static_cast<int>(i) - 1;
    if (!follows_previous) {
      std::vector<std::string> names;
      for (int producer : layer.inputs) {
        names.push_back(producer < 0 ? "input" : network.layers[static_cast<std::size_t>(producer)].name);
      }
      node["inputs"] = flow_list(names);
    }
    if (is_window_layer(layer.kind)) {
      node["kernel"] = window_value(layer.kernel_h, layer.kernel_w);
      node["stride"] = window_value(layer.stride_h, layer.stride_w);
      if (layer.padding == Padding::explicit_pads) {
        node["padding"] = flow_list(std::vector<int>{layer.pad_top, layer.pad_left, layer.pad_bottom,
                                                     layer.pad_right});
      } else {
        node["padding"] = padding_name(layer.padding);
      }
    }
    if (layer.kind == LayerKind::conv2d || layer.kind == LayerKind::fully_connected) {
      node["out_channels"] = layer.out_channels;
    }
    if (layer.activation != Activation::none) node["activation"] = activation_name(layer.activation);
    if (layer.quant) node["quant"] = quant_node(*layer.quant, files_of(layer));
    layers.push_back(node);
  }
  body["layers"] = layers;
  YAML::Node root;
  root["network"] = body;
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

}  // namespace
}  // namespace tandem
