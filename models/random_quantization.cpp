// Random but plausible int8 quantization. Each tensor's values are estimated as a normal
// distribution (mean, spread) in real units, propagated layer by layer; a layer's output scale
// is chosen so that the int8 levels on either side of any zero point in [-20, 20] cover
// |mean| + 4 spreads.
#include "models/random_quantization.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "core/random.h"

namespace tandem {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kMaxZeroPoint = 20;
constexpr double kUsableLevels = 127 - kMaxZeroPoint;  // int8 levels on either side of any zp
constexpr double kCoveredSpreads = 4.0;
constexpr int kMaxWeight = 127;  // symmetric int8 weights, as TFLite (-128 unused)
// Root mean square of an integer uniform in [-127, 127]: sqrt(127 * 128 / 3).
const double kWeightRms = std::sqrt(kMaxWeight * (kMaxWeight + 1) / 3.0);

// Uniform in [lo, hi) from the top 53 bits: the same on every standard library.
double uniform_real(std::mt19937_64& rng, double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

int uniform_int(std::mt19937_64& rng, int lo, int hi) {  // [lo, hi]
  return lo + uniform_index(rng, hi - lo + 1);
}

// A tensor's quantization and the estimate of its real values.
struct TensorEstimate {
  float scale = 1.0f;
  std::int32_t zero_point = 0;
  double mean = 0.0;
  double spread = 1.0;  // standard deviation
};

// Moments of act(Y), Y ~ normal(mean, spread). ReLU6's upper clamp is ignored: the output
// scale already keeps 6 inside the range.
void apply_activation(Activation activation, double* mean, double* spread) {
  if (activation == Activation::none || *spread <= 0.0) return;
  const double a = *mean / *spread;
  const double cdf = 0.5 * std::erfc(-a / std::sqrt(2.0));
  const double pdf = std::exp(-0.5 * a * a) / std::sqrt(2.0 * kPi);
  const double m1 = *mean * cdf + *spread * pdf;
  const double m2 = (*mean * *mean + *spread * *spread) * cdf + *mean * *spread * pdf;
  *mean = m1;
  *spread = std::sqrt(std::max(m2 - m1 * m1, 0.0));
}

float output_scale_for(double mean, double spread, Activation activation) {
  double bound = std::fabs(mean) + kCoveredSpreads * spread;
  if (activation == Activation::relu6) bound = std::min(bound, 6.0);
  return static_cast<float>(std::max(bound, 1e-6) / kUsableLevels);
}

// splitmix64's output function: a counter hash with every bit well mixed.
std::uint64_t mix(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Weights uniform in [-127, 127]: from the generator, or from a counter hash keyed by one draw.
void draw_weights(std::vector<std::int8_t>& weights, std::mt19937_64& rng, RandomWeights source) {
  if (source == RandomWeights::generator) {
    for (auto& weight : weights) weight = static_cast<std::int8_t>(uniform_int(rng, -kMaxWeight, kMaxWeight));
    return;
  }
  const std::uint64_t key = rng();
  for (std::size_t i = 0; i < weights.size(); ++i) {
    // 255 values from the top bits of a 64-bit hash: a bias below 2^-50.
    const auto value = static_cast<int>((mix(key + i) >> 32) * 255 >> 32) - kMaxWeight;
    weights[i] = static_cast<std::int8_t>(value);
  }
}

// Weights, weight scales and biases of a weighted layer; returns the pre-activation spread.
double fill_weights(const Layer& layer, const TensorEstimate& in, LayerQuant& quant,
                    std::mt19937_64& rng, RandomWeights source) {
  const int channels = layer_out_channels(layer);
  const std::int64_t fan_in = weight_count(layer) / channels;  // weights per output channel
  // The brief's weight scale 1/(sqrt(fan_in) * 64), divided by the input's root mean square
  // so that the spread stays near kWeightRms / 64 at any depth instead of drifting.
  const double input_rms = std::sqrt(in.mean * in.mean + in.spread * in.spread);
  const double nominal_spread = kWeightRms / 64.0;
  quant.weights.resize(static_cast<std::size_t>(weight_count(layer)));
  draw_weights(quant.weights, rng, source);
  for (int c = 0; c < channels; ++c) {
    const double weight_scale = uniform_real(rng, 0.75, 1.25) /
                                (std::sqrt(static_cast<double>(fan_in)) * 64.0 * input_rms);
    const double bias_real = uniform_real(rng, -0.5, 0.5) * nominal_spread;
    quant.weight_scales.push_back(static_cast<float>(weight_scale));
    quant.bias.push_back(static_cast<std::int32_t>(
        std::lround(bias_real / (static_cast<double>(in.scale) * quant.weight_scales.back()))));
  }
  // Products and uniform(-0.5, 0.5) biases: variance (1 + 1/12) nominal^2.
  return nominal_spread * std::sqrt(1.0 + 1.0 / 12.0);
}

}  // namespace

void quantize_randomly(Network& net, std::uint64_t seed, RandomWeights weights) {
  std::mt19937_64 rng(seed);
  auto random_zero_point = [&] { return uniform_int(rng, -kMaxZeroPoint, kMaxZeroPoint); };

  // Network input: int8 uniform over the whole range (random_input), scale about 1/64.
  TensorEstimate input;
  input.scale = static_cast<float>(uniform_real(rng, 0.5, 1.5) / 64.0);
  input.zero_point = random_zero_point();
  input.mean = (-0.5 - input.zero_point) * input.scale;
  input.spread = std::sqrt((256.0 * 256.0 - 1.0) / 12.0) * input.scale;

  std::vector<TensorEstimate> estimates;
  estimates.reserve(net.layers.size());
  for (Layer& layer : net.layers) {
    std::vector<TensorEstimate> ins;
    for (int producer : layer.inputs) {
      if (producer >= static_cast<int>(estimates.size())) {
        throw std::invalid_argument("quantize_randomly: layer '" + layer.name +
                                    "' reads a later layer");
      }
      ins.push_back(producer < 0 ? input : estimates[static_cast<std::size_t>(producer)]);
    }
    LayerQuant quant;
    for (const auto& in : ins) {
      quant.input_scales.push_back(in.scale);
      quant.input_zero_points.push_back(in.zero_point);
    }
    const TensorEstimate& in = ins.front();
    TensorEstimate out = in;  // max pool and activation keep the input's quantization
    switch (layer.kind) {
      case LayerKind::conv2d:
      case LayerKind::depthwise_conv2d:
      case LayerKind::fully_connected:
        out.mean = 0.0;
        out.spread = fill_weights(layer, in, quant, rng, weights);
        break;
      case LayerKind::add:
        out.mean = ins[0].mean + ins[1].mean;
        out.spread = std::hypot(ins[0].spread, ins[1].spread);
        break;
      case LayerKind::avg_pool:
      case LayerKind::global_avg_pool: {
        // Averaging n inputs divides the spread by sqrt(n) if they are independent and by 1
        // if they are equal; neighbouring activations are in between: n^(1/4).
        const TensorShape& shape = layer.input_shapes.front();
        const double n = layer.kind == LayerKind::avg_pool ? layer.kernel_h * layer.kernel_w
                                                           : shape.height * shape.width;
        out.spread = in.spread / std::pow(n, 0.25);
        break;
      }
      case LayerKind::max_pool:
      case LayerKind::activation:
        break;
    }
    if (layer.kind != LayerKind::max_pool && layer.kind != LayerKind::activation) {
      out.scale = output_scale_for(out.mean, out.spread, layer.activation);
      out.zero_point = random_zero_point();
    }
    apply_activation(layer.activation, &out.mean, &out.spread);
    quant.output_scale = out.scale;
    quant.output_zero_point = out.zero_point;
    derive_requantization(quant);
    activation_range(layer.activation, quant.output_scale, quant.output_zero_point,
                     &quant.activation_min, &quant.activation_max);
    layer.quant = std::move(quant);
    estimates.push_back(out);
  }
}

}  // namespace tandem
