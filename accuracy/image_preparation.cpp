// The one image preparation: exact integer area resize, then the network input's quantization.
// The trainer (real values) and `tandem simulate --images` (int8) both come through here.
#include <cmath>
#include <stdexcept>

#include "accuracy/accuracy.h"

namespace tandem {

namespace {

// Overlap of input cell i, spanning [i*out, (i+1)*out), with output cell o, spanning
// [o*in, (o+1)*in), in units of 1/(in*out) of an input cell: all integer.
std::int64_t overlap(int i, int o, int in, int out) {
  const std::int64_t begin = std::max<std::int64_t>(std::int64_t{i} * out, std::int64_t{o} * in);
  const std::int64_t end = std::min<std::int64_t>(std::int64_t{i + 1} * out, std::int64_t{o + 1} * in);
  return std::max<std::int64_t>(0, end - begin);
}

// The input quantization every reader of the network input records (they must agree).
std::pair<float, std::int32_t> input_quantization(const Network& network) {
  std::optional<std::pair<float, std::int32_t>> found;
  for (const Layer& layer : network.layers) {
    for (std::size_t k = 0; k < layer.inputs.size(); ++k) {
      if (layer.inputs[k] != -1) continue;
      if (!layer.quant) {
        throw std::invalid_argument("network '" + network.name + "': layer '" + layer.name +
                                    "' reads the input but has no quantization (train it first)");
      }
      const std::pair<float, std::int32_t> q{layer.quant->input_scales.at(k),
                                             layer.quant->input_zero_points.at(k)};
      if (found && *found != q) {
        throw std::invalid_argument("network '" + network.name + "': the layers reading the input "
                                    "record different input quantizations");
      }
      found = q;
    }
  }
  if (!found) throw std::invalid_argument("network '" + network.name + "': no layer reads the input");
  return *found;
}

}  // namespace

std::vector<std::uint8_t> resize_image(const std::uint8_t* pixels, int rows, int cols, int height,
                                       int width) {
  if (rows <= 0 || cols <= 0 || height <= 0 || width <= 0) {
    throw std::invalid_argument("resize_image: sizes must be positive");
  }
  std::vector<std::uint8_t> out(static_cast<std::size_t>(height) * static_cast<std::size_t>(width));
  const std::int64_t area = std::int64_t{rows} * cols;  // total weight of one output pixel
  for (int oy = 0; oy < height; ++oy) {
    // Input rows that overlap output row oy: [oy*rows/height, ceil((oy+1)*rows/height)).
    const int y0 = static_cast<int>(std::int64_t{oy} * rows / height);
    const int y1 = static_cast<int>((std::int64_t{oy + 1} * rows + height - 1) / height);
    for (int ox = 0; ox < width; ++ox) {
      const int x0 = static_cast<int>(std::int64_t{ox} * cols / width);
      const int x1 = static_cast<int>((std::int64_t{ox + 1} * cols + width - 1) / width);
      std::int64_t sum = 0;
      for (int y = y0; y < y1; ++y) {
        const std::int64_t wy = overlap(y, oy, rows, height);
        for (int x = x0; x < x1; ++x) {
          sum += wy * overlap(x, ox, cols, width) * pixels[static_cast<std::size_t>(y) * cols + x];
        }
      }
      out[static_cast<std::size_t>(oy) * width + ox] = static_cast<std::uint8_t>((2 * sum + area) / (2 * area));
    }
  }
  return out;
}

Tensor8 prepare_image(const Network& network, const std::uint8_t* pixels, int rows, int cols) {
  const auto [scale, zero_point] = input_quantization(network);
  const std::vector<float> real = prepare_image_real(network, pixels, rows, cols);
  Tensor8 tensor = Tensor8::zeros(network.input);
  for (std::size_t n = 0; n < real.size(); ++n) {
    const long q = std::lround(real[n] / scale) + zero_point;
    tensor.data[n] = static_cast<std::int8_t>(std::min(127L, std::max(-128L, q)));
  }
  return tensor;
}

std::vector<float> prepare_image_real(const Network& network, const std::uint8_t* pixels, int rows,
                                      int cols) {
  const TensorShape& shape = network.input;
  const std::vector<std::uint8_t> resized = resize_image(pixels, rows, cols, shape.height, shape.width);
  std::vector<float> real(static_cast<std::size_t>(shape.elements()));
  for (std::size_t p = 0; p < resized.size(); ++p) {
    for (int c = 0; c < shape.channels; ++c) {
      real[p * static_cast<std::size_t>(shape.channels) + static_cast<std::size_t>(c)] =
          static_cast<float>(resized[p]) * kInputScale;
    }
  }
  return real;
}

int argmax(const Tensor8& logits) {
  int best = 0;
  for (std::size_t n = 1; n < logits.data.size(); ++n) {
    if (logits.data[n] > logits.data[static_cast<std::size_t>(best)]) best = static_cast<int>(n);
  }
  return best;
}

}  // namespace tandem
