// The network IR: one definition of a neural network shared by the compiler, the simulators,
// training and the network search. Plain structs; layers in topological order; activations
// fused into the producing layer as TFLite does. See docs/networks.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tandem {

enum class LayerKind {
  conv2d,            // full KxK convolution (pointwise when the kernel is 1x1)
  depthwise_conv2d,  // one KxK filter per channel, depth multiplier 1
  fully_connected,   // flattens its input (H*W*C features)
  add,               // elementwise sum of two equal shapes (residual connections)
  max_pool,
  avg_pool,
  global_avg_pool,   // HxWxC -> 1x1xC
  activation,        // a standalone activation (normally fused into the producer instead)
};

enum class Activation { none, relu, relu6 };

// TFLite/TensorFlow padding: `same` gives out = ceil(in / stride) with the total padding split
// floor(total / 2) before and the rest after; `valid` gives out = (in - kernel) / stride + 1.
// `explicit_pads` (written `explicit`) takes the amounts from Layer::pad_top/left/bottom/right,
// as ONNX and PyTorch give them: out = (in + before + after - kernel) / stride + 1 (floor).
// Every window must hold at least one input element, so each amount is below the kernel size.
enum class Padding { same, valid, explicit_pads };

// Padding of a window layer on each side of its input, in elements.
struct WindowPads {
  int top = 0, left = 0, bottom = 0, right = 0;
};

struct TensorShape {
  int height = 0;
  int width = 0;
  int channels = 0;

  std::int64_t elements() const {
    return static_cast<std::int64_t>(height) * width * channels;
  }
  std::string to_string() const;  // "112x112x32"
};
bool operator==(const TensorShape& a, const TensorShape& b);
inline bool operator!=(const TensorShape& a, const TensorShape& b) { return !(a == b); }

// int8 quantization of one layer, TFLite semantics (asymmetric activations, symmetric
// per-output-channel weights). Layouts of `weights`:
//   conv2d            OHWI: [out_channels][kernel_h][kernel_w][in_channels]
//   depthwise_conv2d  HWC:  [kernel_h][kernel_w][channels]   (TFLite's 1HWC with multiplier 1)
//   fully_connected   [out][in], `in` in the H,W,C order of the flattened input
// Layers without weights (add, pools, activation) leave weights/bias/weight_scales empty.
struct LayerQuant {
  std::vector<std::int32_t> input_zero_points;  // one per input (two for add)
  std::vector<float> input_scales;
  std::int32_t output_zero_point = 0;
  float output_scale = 1.0f;
  std::vector<std::int8_t> weights;
  std::vector<std::int32_t> bias;     // per output channel, scale = input_scale * weight_scale
  std::vector<float> weight_scales;   // per output channel
  // Derived requantization: real multiplier input_scale * weight_scale / output_scale per
  // output channel, as TFLite's QuantizeMultiplier gives it (see quantize_multiplier).
  std::vector<std::int32_t> output_multipliers;
  std::vector<int> output_shifts;
  // The fused activation as an int8 clamp (TFLite CalculateActivationRangeQuantized).
  std::int32_t activation_min = -128;
  std::int32_t activation_max = 127;
};

struct Layer {
  std::string name;
  LayerKind kind = LayerKind::conv2d;
  std::vector<int> inputs;  // producer layer indices; -1 is the network input; add has two
  std::vector<TensorShape> input_shapes;  // one per input
  TensorShape output;
  int kernel_h = 1, kernel_w = 1;  // also the pooling window
  int stride_h = 1, stride_w = 1;
  Padding padding = Padding::same;
  // Only with Padding::explicit_pads (zero otherwise): rows/columns padded on each side.
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int out_channels = 0;  // conv2d and fully_connected; other kinds keep their input channels
  Activation activation = Activation::none;
  std::optional<LayerQuant> quant;  // absent until training/quantization fills it
};

struct Network {
  std::string name;
  TensorShape input;
  int num_classes = 0;  // channels of the last layer's output
  std::vector<Layer> layers;

  // Why the network is not well formed (the first problem found), or nothing: inputs refer to
  // earlier layers, recorded shapes chain and match what the layer parameters give, add inputs
  // agree, the last layer gives num_classes, quantization blocks have the right sizes.
  std::optional<std::string> validate() const;
};

const char* layer_kind_name(LayerKind kind);
const char* activation_name(Activation activation);
const char* padding_name(Padding padding);
std::optional<LayerKind> parse_layer_kind(const std::string& name);
std::optional<Activation> parse_activation(const std::string& name);
std::optional<Padding> parse_padding(const std::string& name);
std::vector<std::string> layer_kind_names();
std::vector<std::string> activation_names();
std::vector<std::string> padding_names();

bool is_pointwise(const Layer& layer);  // conv2d with a 1x1 kernel
bool has_weights(const Layer& layer);   // conv2d, depthwise_conv2d, fully_connected

// Output size along one axis: TFLite's rules for same/valid; for explicit_pads the given
// amounts before and after (ignored for same/valid).
int padded_output_size(int input, int kernel, int stride, Padding padding, int pad_before = 0,
                       int pad_after = 0);
// Padding before the first element along one axis (TFLite: floor(total / 2); explicit_pads:
// pad_before).
int padding_before(int input, int kernel, int stride, Padding padding, int pad_before = 0);
// The padding of a window layer (conv2d, depthwise_conv2d, max_pool, avg_pool) over `input` on
// each side: TFLite's split for same (extra pixel after), zero for valid, the layer's amounts
// for explicit_pads. Other kinds have no padding (all zero).
WindowPads window_pads(const Layer& layer, const TensorShape& input);
bool is_window_layer(LayerKind kind);  // conv2d, depthwise_conv2d, max_pool, avg_pool

// The output shape a layer's parameters give for its input shapes, or the reason there is none.
struct ShapeResult {
  std::optional<TensorShape> shape;
  std::string error;
};
ShapeResult infer_output_shape(const Layer& layer, const std::vector<TensorShape>& input_shapes);

// Fills input_shapes and output of every layer from the producers, in order. Returns the first
// problem (bad input index, shape that does not work), or nothing.
std::optional<std::string> infer_shapes(Network& network);

// Metrics. MACs: conv2d, depthwise_conv2d and fully_connected only (one multiply-accumulate per
// weight use); pooling, add and activations count 0. Parameters: weights plus one bias per
// output channel (batch norm folded into the bias, as the int8 model carries it).
std::int64_t macs(const Layer& layer);
std::int64_t params(const Layer& layer);
std::int64_t output_bytes(const Layer& layer);  // int8 activations: one byte per element
std::int64_t total_macs(const Network& network);
std::int64_t total_params(const Network& network);
std::int64_t total_activation_bytes(const Network& network);  // sum over layer outputs
std::int64_t peak_activation_bytes(const Network& network);   // largest single layer output

// Number of weights (without bias) a layer holds; the size of LayerQuant::weights.
std::int64_t weight_count(const Layer& layer);
int layer_out_channels(const Layer& layer);  // channels of the output (for any kind)

// Structural equality: everything but quantization.
bool same_structure(const Network& a, const Network& b);

// TFLite's QuantizeMultiplier: real = multiplier * 2^(shift - 31), multiplier in [2^30, 2^31).
// A real of 0 gives multiplier 0, shift 0.
void quantize_multiplier(double real_multiplier, std::int32_t* quantized_multiplier, int* shift);
// Fills output_multipliers/output_shifts from the scales of a quantized layer.
void derive_requantization(LayerQuant& quant);
// Per-tensor int8 quantization of an activation.
struct ActivationQuant {
  float scale = 1.0f;
  std::int32_t zero_point = 0;
};
// The int8 (scale, zero point) covering [min(lo, 0), max(hi, 0)], TFLite style: scale
// (hi - lo) / 255, zero point round(-128 - lo / scale) clamped to int8; 0 is exact. Used by
// training (observed ranges) and by ONNX import (calibrated ranges).
ActivationQuant activation_quant_from_range(double lo, double hi);
// The int8 clamp range of a fused activation for an output scale and zero point.
void activation_range(Activation activation, float output_scale, std::int32_t output_zero_point,
                      std::int32_t* qmin, std::int32_t* qmax);

}  // namespace tandem
