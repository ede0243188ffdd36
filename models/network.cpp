// Names, shape inference and validation of the network IR.
#include "models/network.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace tandem {

namespace {

struct KindName {
  LayerKind kind;
  const char* name;
};
constexpr KindName kind_names[] = {
    {LayerKind::conv2d, "conv2d"},
    {LayerKind::depthwise_conv2d, "depthwise_conv2d"},
    {LayerKind::fully_connected, "fully_connected"},
    {LayerKind::add, "add"},
    {LayerKind::max_pool, "max_pool"},
    {LayerKind::avg_pool, "avg_pool"},
    {LayerKind::global_avg_pool, "global_avg_pool"},
    {LayerKind::activation, "activation"},
};

const char* const activation_texts[] = {"none", "relu", "relu6"};
const char* const padding_texts[] = {"same", "valid", "explicit"};

std::string layer_label(const Network& network, std::size_t index) {
  return "layer " + std::to_string(index) + " '" + network.layers[index].name + "'";
}

int expected_inputs(LayerKind kind) { return kind == LayerKind::add ? 2 : 1; }

std::optional<std::string> check_quant(const Layer& layer) {
  const LayerQuant& quant = *layer.quant;
  const std::size_t inputs = layer.inputs.size();
  if (quant.input_zero_points.size() != inputs || quant.input_scales.size() != inputs) {
    return "quantization needs one input zero point and scale per input (" +
           std::to_string(inputs) + ")";
  }
  if (quant.activation_min > quant.activation_max || quant.activation_min < -128 ||
      quant.activation_max > 127) {
    return "quantization activation range must lie within -128..127 with min <= max";
  }
  if (!has_weights(layer)) return std::nullopt;
  const std::size_t channels = static_cast<std::size_t>(layer_out_channels(layer));
  if (!quant.weights.empty() && quant.weights.size() != static_cast<std::size_t>(weight_count(layer))) {
    return "quantization has " + std::to_string(quant.weights.size()) + " weights, the layer needs " +
           std::to_string(weight_count(layer));
  }
  for (const auto& [size, what] : {std::pair{quant.bias.size(), "bias values"},
                                   std::pair{quant.weight_scales.size(), "weight scales"}}) {
    if (size != 0 && size != channels) {
      return "quantization has " + std::to_string(size) + " " + what + ", the layer needs " +
             std::to_string(channels) + " (one per output channel)";
    }
  }
  return std::nullopt;
}

}  // namespace

std::string TensorShape::to_string() const {
  return std::to_string(height) + "x" + std::to_string(width) + "x" + std::to_string(channels);
}

bool operator==(const TensorShape& a, const TensorShape& b) {
  return a.height == b.height && a.width == b.width && a.channels == b.channels;
}

const char* layer_kind_name(LayerKind kind) {
  for (const auto& entry : kind_names) {
    if (entry.kind == kind) return entry.name;
  }
  return "unknown";
}
const char* activation_name(Activation activation) {
  return activation_texts[static_cast<int>(activation)];
}
const char* padding_name(Padding padding) { return padding_texts[static_cast<int>(padding)]; }

std::vector<std::string> layer_kind_names() {
  std::vector<std::string> names;
  for (const auto& entry : kind_names) names.push_back(entry.name);
  return names;
}
std::vector<std::string> activation_names() {
  return {std::begin(activation_texts), std::end(activation_texts)};
}
std::vector<std::string> padding_names() {
  return {std::begin(padding_texts), std::end(padding_texts)};
}

std::optional<LayerKind> parse_layer_kind(const std::string& name) {
  for (const auto& entry : kind_names) {
    if (name == entry.name) return entry.kind;
  }
  return std::nullopt;
}
std::optional<Activation> parse_activation(const std::string& name) {
  const auto names = activation_names();
  auto found = std::find(names.begin(), names.end(), name);
  if (found == names.end()) return std::nullopt;
  return static_cast<Activation>(found - names.begin());
}
std::optional<Padding> parse_padding(const std::string& name) {
  const auto names = padding_names();
  auto found = std::find(names.begin(), names.end(), name);
  if (found == names.end()) return std::nullopt;
  return static_cast<Padding>(found - names.begin());
}

bool is_pointwise(const Layer& layer) {
  return layer.kind == LayerKind::conv2d && layer.kernel_h == 1 && layer.kernel_w == 1;
}

bool has_weights(const Layer& layer) {
  return layer.kind == LayerKind::conv2d || layer.kind == LayerKind::depthwise_conv2d ||
         layer.kind == LayerKind::fully_connected;
}

bool is_window_layer(LayerKind kind) {
  return kind == LayerKind::conv2d || kind == LayerKind::depthwise_conv2d ||
         kind == LayerKind::max_pool || kind == LayerKind::avg_pool;
}

int padded_output_size(int input, int kernel, int stride, Padding padding, int pad_before,
                       int pad_after) {
  if (padding == Padding::same) return (input + stride - 1) / stride;
  if (padding == Padding::explicit_pads) input += pad_before + pad_after;
  return input < kernel ? 0 : (input - kernel) / stride + 1;
}

namespace {

// TFLite `same` padding along one axis as (before, after): the total split floor(total / 2)
// before, the rest after.
std::pair<int, int> same_padding(int input, int kernel, int stride) {
  const int output = padded_output_size(input, kernel, stride, Padding::same);
  const int total = std::max(0, (output - 1) * stride + kernel - input);
  return {total / 2, total - total / 2};
}

}  // namespace

int padding_before(int input, int kernel, int stride, Padding padding, int pad_before) {
  if (padding == Padding::valid) return 0;
  if (padding == Padding::explicit_pads) return pad_before;
  return same_padding(input, kernel, stride).first;
}

WindowPads window_pads(const Layer& layer, const TensorShape& input) {
  WindowPads pads;
  if (!is_window_layer(layer.kind)) return pads;
  if (layer.padding == Padding::explicit_pads) {
    return {layer.pad_top, layer.pad_left, layer.pad_bottom, layer.pad_right};
  }
  if (layer.padding == Padding::valid) return pads;
  std::tie(pads.top, pads.bottom) = same_padding(input.height, layer.kernel_h, layer.stride_h);
  std::tie(pads.left, pads.right) = same_padding(input.width, layer.kernel_w, layer.stride_w);
  return pads;
}

ShapeResult infer_output_shape(const Layer& layer, const std::vector<TensorShape>& inputs) {
  if ((layer.pad_top | layer.pad_left | layer.pad_bottom | layer.pad_right) != 0 &&
      (layer.padding != Padding::explicit_pads || !is_window_layer(layer.kind))) {
    return {std::nullopt, "padding amounts are set but the layer's padding is not explicit"};
  }
  if (static_cast<int>(inputs.size()) != expected_inputs(layer.kind)) {
    return {std::nullopt, std::string(layer_kind_name(layer.kind)) + " takes " +
                              std::to_string(expected_inputs(layer.kind)) + " input(s), got " +
                              std::to_string(inputs.size())};
  }
  const TensorShape in = inputs.front();
  if (in.height <= 0 || in.width <= 0 || in.channels <= 0) {
    return {std::nullopt, "input shape " + in.to_string() + " is empty"};
  }
  if (is_window_layer(layer.kind)) {
    if (layer.kernel_h < 1 || layer.kernel_w < 1 || layer.stride_h < 1 || layer.stride_w < 1) {
      return {std::nullopt, "kernel and stride must be at least 1"};
    }
    if (layer.padding == Padding::explicit_pads) {
      // Every window holds an input element, except that a convolution's last windows may lie
      // wholly in the padding after the input when the stride steps past its end (SCALE-Sim's
      // output size, ceil((in - kernel + stride) / stride), topology_csv.h): such an output is
      // its bias alone. Pools keep every window on the input (an empty max has no value).
      const bool conv = layer.kind == LayerKind::conv2d;
      const int pads[] = {layer.pad_top, layer.pad_bottom, layer.pad_left, layer.pad_right};
      const int limits[] = {layer.kernel_h - 1, layer.kernel_h - 1 + (conv ? layer.stride_h - 1 : 0),
                            layer.kernel_w - 1, layer.kernel_w - 1 + (conv ? layer.stride_w - 1 : 0)};
      for (int side = 0; side < 4; ++side) {
        if (pads[side] < 0 || pads[side] > limits[side]) {
          return {std::nullopt, "explicit padding [" + std::to_string(layer.pad_top) + ", " +
                                    std::to_string(layer.pad_left) + ", " +
                                    std::to_string(layer.pad_bottom) + ", " +
                                    std::to_string(layer.pad_right) +
                                    "] (top, left, bottom, right) must be 0 .. kernel size - 1 on "
                                    "each side (after the input, a convolution's up to kernel size + "
                                    "stride - 2), so that every window holds an input element"};
        }
      }
    }
    const int height = padded_output_size(in.height, layer.kernel_h, layer.stride_h, layer.padding,
                                          layer.pad_top, layer.pad_bottom);
    const int width = padded_output_size(in.width, layer.kernel_w, layer.stride_w, layer.padding,
                                         layer.pad_left, layer.pad_right);
    if (height <= 0 || width <= 0) {
      return {std::nullopt, "a " + std::to_string(layer.kernel_h) + "x" +
                                std::to_string(layer.kernel_w) + " window with " +
                                padding_name(layer.padding) + " padding does not fit the " +
                                in.to_string() + " input"};
    }
    int channels = in.channels;
    if (layer.kind == LayerKind::conv2d) {
      if (layer.out_channels < 1) return {std::nullopt, "out_channels must be at least 1"};
      channels = layer.out_channels;
    }
    return {TensorShape{height, width, channels}, ""};
  }
  switch (layer.kind) {
    case LayerKind::fully_connected:
      if (layer.out_channels < 1) return {std::nullopt, "out_channels must be at least 1"};
      return {TensorShape{1, 1, layer.out_channels}, ""};
    case LayerKind::add:
      if (inputs[0] != inputs[1]) {
        return {std::nullopt, "add inputs differ in shape: " + inputs[0].to_string() + " and " +
                                  inputs[1].to_string()};
      }
      return {in, ""};
    case LayerKind::global_avg_pool: return {TensorShape{1, 1, in.channels}, ""};
    default: return {in, ""};  // activation
  }
}

std::optional<std::string> infer_shapes(Network& network) {
  for (std::size_t i = 0; i < network.layers.size(); ++i) {
    Layer& layer = network.layers[i];
    layer.input_shapes.clear();
    for (int producer : layer.inputs) {
      if (producer < -1 || producer >= static_cast<int>(i)) {
        return layer_label(network, i) + ": input " + std::to_string(producer) +
               " is not the network input (-1) or an earlier layer";
      }
      layer.input_shapes.push_back(producer < 0 ? network.input
                                                : network.layers[static_cast<std::size_t>(producer)].output);
    }
    ShapeResult result = infer_output_shape(layer, layer.input_shapes);
    if (!result.shape) return layer_label(network, i) + ": " + result.error;
    layer.output = *result.shape;
  }
  return std::nullopt;
}

std::optional<std::string> Network::validate() const {
  if (input.height <= 0 || input.width <= 0 || input.channels <= 0) {
    return "network input shape " + input.to_string() + " is empty";
  }
  if (layers.empty()) return "network has no layers";
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const Layer& layer = layers[i];
    if (layer.name.empty()) return "layer " + std::to_string(i) + " has no name";
    for (std::size_t j = 0; j < i; ++j) {
      if (layers[j].name == layer.name) return layer_label(*this, i) + ": name used twice";
    }
    if (layer.input_shapes.size() != layer.inputs.size()) {
      return layer_label(*this, i) + ": " + std::to_string(layer.inputs.size()) + " inputs but " +
             std::to_string(layer.input_shapes.size()) + " input shapes";
    }
    for (std::size_t k = 0; k < layer.inputs.size(); ++k) {
      const int producer = layer.inputs[k];
      if (producer < -1 || producer >= static_cast<int>(i)) {
        return layer_label(*this, i) + ": input " + std::to_string(producer) +
               " is not the network input (-1) or an earlier layer";
      }
      const TensorShape given = producer < 0 ? input : layers[static_cast<std::size_t>(producer)].output;
      if (given != layer.input_shapes[k]) {
        return layer_label(*this, i) + ": input shape " + layer.input_shapes[k].to_string() +
               " does not match its producer's output " + given.to_string();
      }
    }
    ShapeResult result = infer_output_shape(layer, layer.input_shapes);
    if (!result.shape) return layer_label(*this, i) + ": " + result.error;
    if (*result.shape != layer.output) {
      return layer_label(*this, i) + ": output shape " + layer.output.to_string() +
             " but its parameters give " + result.shape->to_string();
    }
    if (layer.quant) {
      if (auto problem = check_quant(layer)) return layer_label(*this, i) + ": " + *problem;
    }
  }
  const TensorShape last = layers.back().output;
  if (num_classes > 0 && last.channels != num_classes) {
    return "the last layer gives " + std::to_string(last.channels) + " channels, but num_classes is " +
           std::to_string(num_classes);
  }
  return std::nullopt;
}

bool same_structure(const Network& a, const Network& b) {
  if (a.name != b.name || a.input != b.input || a.num_classes != b.num_classes ||
      a.layers.size() != b.layers.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    const Layer& x = a.layers[i];
    const Layer& y = b.layers[i];
    if (x.name != y.name || x.kind != y.kind || x.inputs != y.inputs ||
        x.input_shapes != y.input_shapes || x.output != y.output || x.kernel_h != y.kernel_h ||
        x.kernel_w != y.kernel_w || x.stride_h != y.stride_h || x.stride_w != y.stride_w ||
        x.padding != y.padding || x.pad_top != y.pad_top || x.pad_left != y.pad_left ||
        x.pad_bottom != y.pad_bottom || x.pad_right != y.pad_right || x.out_channels != y.out_channels ||
        x.activation != y.activation) {
      return false;
    }
  }
  return true;
}

}  // namespace tandem
