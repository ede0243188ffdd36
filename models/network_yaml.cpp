// The YAML network format: parsing with located errors, and writing. Schema: docs/networks.md.
#include <algorithm>
#include <filesystem>
#include <map>

#include "core/text.h"
#include "core/yaml_input.h"
#include "models/network_io.h"
#include "models/npy.h"

namespace tandem {

namespace {

InputError node_error(const YAML::Node& node, const std::string& file, const std::string& field,
                      const std::string& message) {
  return InputError(location_of(node, file), field, message);
}

// A name from a closed set, with a suggestion for misspellings.
std::string read_choice(const YamlMap& map, const std::string& key,
                        const std::vector<std::string>& names) {
  const YAML::Node node = map.get(key);
  if (!node.IsScalar()) {
    throw map.error(key, "expected one of the names, got " + describe_node(node) + " (valid: " +
                             join(names, " | ") + ")");
  }
  const std::string value = node.Scalar();
  if (std::find(names.begin(), names.end(), value) != names.end()) return value;
  std::string message = "unknown value '" + value + "'";
  const std::string suggestion = nearest_name(value, names);
  if (!suggestion.empty()) message += "; did you mean '" + suggestion + "'?";
  throw map.error(key, message + " (valid: " + join(names, " | ") + ")");
}

int read_int(const YamlMap& map, const std::string& key, std::int64_t min, std::int64_t max) {
  const std::int64_t value = map.integer(key);
  if (value < min || value > max) {
    throw map.error(key, std::to_string(value) + " is out of range; valid: an integer " +
                             std::to_string(min) + ".." + std::to_string(max));
  }
  return static_cast<int>(value);
}

// A list of numbers read through a temporary map per element, so that each bad element is
// reported at its own line and column as "key[i]".
template <typename T>
std::vector<T> read_list(const YamlMap& map, const std::string& key, double min, double max,
                         bool integers) {
  const YAML::Node list = map.get(key);
  if (!list.IsSequence()) throw map.error(key, "expected a list, got " + describe_node(list));
  std::vector<T> values;
  for (std::size_t i = 0; i < list.size(); ++i) {
    YAML::Node wrapper(YAML::NodeType::Map);
    wrapper["v"] = list[i];
    const YamlMap element(wrapper, map.field(key) + "[" + std::to_string(i) + "]", map.file());
    const std::string field = element.path();
    double value = 0;
    try {
      value = integers ? static_cast<double>(element.integer("v")) : element.number("v");
    } catch (const InputError& e) {
      throw node_error(list[i], map.file(), field, e.message());
    }
    if (value < min || value > max) {
      throw node_error(list[i], map.file(), field,
                       "out of range; valid: " + std::string(integers ? "an integer " : "a number ") +
                           (integers ? std::to_string(static_cast<std::int64_t>(min)) : std::to_string(min)) +
                           ".." +
                           (integers ? std::to_string(static_cast<std::int64_t>(max)) : std::to_string(max)));
    }
    values.push_back(static_cast<T>(value));
  }
  return values;
}

// `kernel: 3` or `kernel: [3, 1]` (height, width).
std::pair<int, int> read_pair(const YamlMap& map, const std::string& key) {
  const YAML::Node node = map.get(key);
  if (node.IsSequence()) {
    auto values = read_list<int>(map, key, 1, 1024, true);
    if (values.size() != 2) {
      throw map.error(key, "expected one integer or [height, width], got a list of " +
                               std::to_string(values.size()));
    }
    return {values[0], values[1]};
  }
  const int value = read_int(map, key, 1, 1024);
  return {value, value};
}

// `padding: same`, `padding: valid` or `padding: [top, left, bottom, right]` (explicit).
void read_padding(const YamlMap& map, Layer& layer) {
  if (!map.get("padding").IsSequence()) {
    const std::vector<std::string> names = {"same", "valid"};
    if (map.get("padding").IsScalar() && map.get("padding").Scalar() == "explicit") {
      throw map.error("padding", "explicit padding is written as the list [top, left, bottom, right]");
    }
    layer.padding = *parse_padding(read_choice(map, "padding", names));
    return;
  }
  const auto values = read_list<int>(map, "padding", 0, 1024, true);
  if (values.size() != 4) {
    throw map.error("padding", "expected same | valid | [top, left, bottom, right], got a list of " +
                                   std::to_string(values.size()));
  }
  layer.padding = Padding::explicit_pads;
  layer.pad_top = values[0];
  layer.pad_left = values[1];
  layer.pad_bottom = values[2];
  layer.pad_right = values[3];
}

TensorShape read_shape(const YamlMap& map, const std::string& key) {
  auto values = read_list<int>(map, key, 1, 65536, true);
  if (values.size() != 3) {
    throw map.error(key, "expected [height, width, channels], got a list of " +
                             std::to_string(values.size()));
  }
  return {values[0], values[1], values[2]};
}

const char* weight_layout(LayerKind kind) {
  switch (kind) {
    case LayerKind::conv2d: return "layout OHWI: out_channels x kernel_h x kernel_w x in_channels";
    case LayerKind::depthwise_conv2d: return "layout HWC: kernel_h x kernel_w x channels";
    default: return "layout [out][in]: out_channels x input elements";
  }
}

std::vector<std::string> keys_for(LayerKind kind) {
  std::vector<std::string> keys = {"name", "kind", "inputs"};
  if (is_window_layer(kind)) keys.insert(keys.end(), {"kernel", "stride", "padding"});
  if (kind == LayerKind::conv2d || kind == LayerKind::fully_connected) keys.push_back("out_channels");
  keys.insert(keys.end(), {"activation", "quant"});
  return keys;
}

class NetworkReader {
 public:
  explicit NetworkReader(const YamlMap& root) : root_(root) {}

  Network read() {
    root_.require_only({"name", "input", "num_classes", "layers"});
    for (const char* key : {"name", "input", "layers"}) {
      if (!root_.has(key)) throw missing(root_, key);
    }
    network_.name = root_.string("name");
    network_.input = read_shape(root_, "input");
    const YAML::Node layers = root_.get("layers");
    if (!layers.IsSequence() || layers.size() == 0) {
      throw root_.error("layers", "expected a non-empty list of layers, got " +
                                      (layers.IsSequence() ? "an empty list" : describe_node(layers)));
    }
    for (const auto& layer : layers) {
      if (layer.IsMap() && layer["name"] && layer["name"].IsScalar()) all_names_.push_back(layer["name"].Scalar());
    }
    for (std::size_t i = 0; i < layers.size(); ++i) {
      read_layer(YamlMap(layers[i], root_.field("layers") + "[" + std::to_string(i) + "]", root_.file()));
    }
    const int last_channels = network_.layers.back().output.channels;
    network_.num_classes = last_channels;
    if (root_.has("num_classes")) {
      network_.num_classes = read_int(root_, "num_classes", 1, 1 << 20);
      if (network_.num_classes != last_channels) {
        throw root_.error("num_classes", std::to_string(network_.num_classes) +
                                             " does not match the last layer's " +
                                             std::to_string(last_channels) + " output channels");
      }
    }
    if (auto problem = network_.validate()) {  // what the per-layer checks cannot see
      throw InputError(location_of(root_.node(), root_.file()), root_.path(), *problem);
    }
    return network_;
  }

 private:
  static InputError missing(const YamlMap& map, const std::string& key,
                            const std::string& valid = "") {
    return InputError(location_of(map.node(), map.file()), map.field(key),
                      "missing; this key is required" + (valid.empty() ? "" : " (valid: " + valid + ")"));
  }

  void read_layer(const YamlMap& map) {
    if (!map.has("kind")) throw missing(map, "kind", join(layer_kind_names(), " | "));
    const LayerKind kind = *parse_layer_kind(read_choice(map, "kind", layer_kind_names()));
    map.require_only(keys_for(kind));
    if (!map.has("name")) throw missing(map, "name");
    Layer layer;
    layer.kind = kind;
    layer.name = map.string("name");
    if (index_.count(layer.name)) {
      throw map.error("name", "layer name '" + layer.name + "' is already used by layer " +
                                  std::to_string(index_[layer.name]) + "; names must be unique");
    }
    layer.inputs = read_inputs(map, kind);
    if (map.has("kernel")) std::tie(layer.kernel_h, layer.kernel_w) = read_pair(map, "kernel");
    if (map.has("stride")) std::tie(layer.stride_h, layer.stride_w) = read_pair(map, "stride");
    if (map.has("padding")) read_padding(map, layer);
    if (kind == LayerKind::conv2d || kind == LayerKind::fully_connected) {
      if (!map.has("out_channels")) throw missing(map, "out_channels");
      layer.out_channels = read_int(map, "out_channels", 1, 1 << 20);
    }
    if (map.has("activation")) {
      layer.activation = *parse_activation(read_choice(map, "activation", activation_names()));
    }
    for (int producer : layer.inputs) {
      layer.input_shapes.push_back(producer < 0 ? network_.input
                                                : network_.layers[static_cast<std::size_t>(producer)].output);
    }
    ShapeResult shape = infer_output_shape(layer, layer.input_shapes);
    if (!shape.shape) {
      throw InputError(location_of(map.node(), map.file()), map.path(),
                       "layer '" + layer.name + "': " + shape.error);
    }
    layer.output = *shape.shape;
    if (map.has("quant")) layer.quant = read_quant(map.map("quant"), layer);
    index_[layer.name] = static_cast<int>(network_.layers.size());
    network_.layers.push_back(std::move(layer));
  }

  // Producers by name; "input" is the network input. Default: the previous layer.
  std::vector<int> read_inputs(const YamlMap& map, LayerKind kind) {
    const int previous = static_cast<int>(network_.layers.size()) - 1;
    const std::size_t needed = kind == LayerKind::add ? 2 : 1;
    if (!map.has("inputs")) {
      if (needed == 2) throw missing(map, "inputs", "a list of two layer names");
      return {previous};
    }
    YAML::Node node = map.get("inputs");
    std::vector<YAML::Node> names;
    if (node.IsScalar()) {
      names.push_back(node);
    } else if (node.IsSequence()) {
      for (const auto& element : node) names.push_back(element);
    } else {
      throw map.error("inputs", "expected a layer name or a list of layer names, got " + describe_node(node));
    }
    if (names.size() != needed) {
      throw map.error("inputs", std::string(layer_kind_name(kind)) + " takes " +
                                    std::to_string(needed) + " input(s), got " + std::to_string(names.size()));
    }
    std::vector<int> inputs;
    for (const auto& name_node : names) {
      const std::string name = name_node.IsScalar() ? name_node.Scalar() : "";
      if (name == "input") {
        inputs.push_back(-1);
        continue;
      }
      auto found = index_.find(name);
      if (found == index_.end()) {
        std::vector<std::string> known = {"input"};
        for (const auto& layer : network_.layers) known.push_back(layer.name);
        std::string message = "unknown layer '" + name + "'";
        const bool later = std::find(all_names_.begin(), all_names_.end(), name) != all_names_.end();
        const std::string suggestion = nearest_name(name, known);
        if (later) {
          message = "layer '" + name + "' comes later in the list";
        } else if (!suggestion.empty()) {
          message += "; did you mean '" + suggestion + "'?";
        }
        throw node_error(name_node, map.file(), map.field("inputs"),
                         message + " (inputs name 'input' or an earlier layer; layers are in "
                                   "topological order)");
      }
      inputs.push_back(found->second);
    }
    return inputs;
  }

  std::string resolve(const std::string& relative) const {
    const std::filesystem::path path(relative);
    if (path.is_absolute()) return relative;
    return (std::filesystem::path(root_.file()).parent_path() / path).generic_string();
  }

  std::vector<std::int32_t> read_array(const YamlMap& map, const std::string& inline_key,
                                       const std::string& file_key, const std::string& dtype,
                                       double min, double max) {
    if (map.has(inline_key) && map.has(file_key)) {
      throw map.error(file_key, "give either '" + inline_key + "' or '" + file_key + "', not both");
    }
    if (map.has(inline_key)) return read_list<std::int32_t>(map, inline_key, min, max, true);
    if (!map.has(file_key)) return {};
    npy::Array array;
    try {
      array = npy::read(resolve(map.string(file_key)));
    } catch (const InputError& e) {  // located at the .npy file: relocate to the key naming it
      throw map.error(file_key, e.where().to_string() + ": " + e.message());
    }
    if (array.dtype != dtype) {
      throw map.error(file_key, "expected dtype " + dtype + " (" + (dtype == "i1" ? "int8" : "int32") +
                                    "), the file has " + array.dtype);
    }
    return array.values;
  }

  LayerQuant read_quant(const YamlMap& map, const Layer& layer) {
    map.require_only({"input_zero_points", "input_scales", "output_zero_point", "output_scale",
                      "weight_scales", "weights", "weights_file", "bias", "bias_file"});
    for (const char* key : {"input_zero_points", "input_scales", "output_zero_point", "output_scale"}) {
      if (!map.has(key)) throw missing(map, key);
    }
    LayerQuant quant;
    quant.input_zero_points = read_list<std::int32_t>(map, "input_zero_points", -128, 127, true);
    quant.input_scales = read_list<float>(map, "input_scales", 1e-12, 1e12, false);
    quant.output_zero_point = read_int(map, "output_zero_point", -128, 127);
    quant.output_scale = static_cast<float>(map.number("output_scale"));
    if (!(quant.output_scale > 0)) throw map.error("output_scale", "must be a positive number");
    for (const auto& [key, size] : {std::pair<std::string, std::size_t>{"input_zero_points", quant.input_zero_points.size()},
                                    {"input_scales", quant.input_scales.size()}}) {
      if (size != layer.inputs.size()) {
        throw map.error(key, "expected " + std::to_string(layer.inputs.size()) +
                                 " value(s), one per input, got " + std::to_string(size));
      }
    }
    if (has_weights(layer)) {
      const auto channels = static_cast<std::size_t>(layer.output.channels);
      if (!map.has("weight_scales")) throw missing(map, "weight_scales");
      quant.weight_scales = read_list<float>(map, "weight_scales", 1e-12, 1e12, false);
      const auto weights = read_array(map, "weights", "weights_file", "i1", -128, 127);
      quant.weights.assign(weights.begin(), weights.end());
      quant.bias = read_array(map, "bias", "bias_file", "i4", -2147483648.0, 2147483647.0);
      // A wrong count is blamed on whichever key gave the values.
      auto check_count = [&](const std::string& key, std::size_t size, std::size_t expected,
                             const std::string& note) {
        if (size == 0 || size == expected) return;
        const std::string given = map.has(key) ? key : key + "_file";
        throw map.error(given, "has " + std::to_string(size) + " values, the layer needs " +
                                   std::to_string(expected) + " (" + note + ")");
      };
      check_count("weight_scales", quant.weight_scales.size(), channels, "one per output channel");
      check_count("weights", quant.weights.size(), static_cast<std::size_t>(weight_count(layer)),
                  weight_layout(layer.kind));
      check_count("bias", quant.bias.size(), channels, "one per output channel");
      derive_requantization(quant);
    } else {
      for (const char* key : {"weight_scales", "weights", "weights_file", "bias", "bias_file"}) {
        if (map.has(key)) {
          throw map.error(key, std::string("a ") + layer_kind_name(layer.kind) + " layer has no weights");
        }
      }
    }
    activation_range(layer.activation, quant.output_scale, quant.output_zero_point,
                     &quant.activation_min, &quant.activation_max);
    return quant;
  }

  const YamlMap& root_;
  Network network_;
  std::map<std::string, int> index_;
  std::vector<std::string> all_names_;  // every layer name in the file, for forward references
};

}  // namespace

Network parse_network(const YAML::Node& node, const std::string& file, const std::string& path) {
  YamlMap root(node, path, file);
  return NetworkReader(root).read();
}

Network load_network_file(const std::string& file) {
  YamlDocument document = load_yaml_file(file);
  if (!document.root.IsMap()) {
    SourceLocation where = location_of(document.root, file);
    if (where.line == 0) where = {file, 1, 1};  // an empty file has no marks
    throw InputError(where, "", "expected a mapping with the key 'network', got " +
                                    describe_node(document.root));
  }
  YamlMap top(document.root, "", file);
  top.require_only({"network"});
  if (!top.has("network")) {
    throw InputError({file, 1, 1}, "network", "missing; the file must have a 'network:' mapping");
  }
  return parse_network(top.get("network"), file);
}

}  // namespace tandem
