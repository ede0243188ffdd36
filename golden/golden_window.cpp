// Window geometry of the layers that slide (or place) a window over their input.
#include <algorithm>
#include <stdexcept>

#include "golden/golden.h"

namespace tandem {

WindowGeometry window_geometry(const Layer& layer) {
  if (layer.input_shapes.empty()) {
    throw std::invalid_argument("layer '" + layer.name + "' records no input shape");
  }
  WindowGeometry geometry;
  geometry.input = layer.input_shapes.front();
  geometry.output = layer.output;
  switch (layer.kind) {
    case LayerKind::fully_connected:
    case LayerKind::global_avg_pool:
      // One window over the whole input; no padding.
      geometry.kernel_h = geometry.input.height;
      geometry.kernel_w = geometry.input.width;
      return geometry;
    case LayerKind::conv2d:
    case LayerKind::depthwise_conv2d:
    case LayerKind::max_pool:
    case LayerKind::avg_pool:
      geometry.kernel_h = layer.kernel_h;
      geometry.kernel_w = layer.kernel_w;
      geometry.stride_h = layer.stride_h;
      geometry.stride_w = layer.stride_w;
    {
      // Only the amounts before matter: the output size bounds the windows after.
      const WindowPads pads = window_pads(layer, geometry.input);
      geometry.pad_top = pads.top;
      geometry.pad_left = pads.left;
      return geometry;
    }
    case LayerKind::add:
    case LayerKind::activation:
      break;
  }
  throw std::invalid_argument("layer '" + layer.name + "' (" + layer_kind_name(layer.kind) +
                              ") has no window");
}

WindowTaps window_taps(const WindowGeometry& geometry, int oh, int ow) {
  WindowTaps taps;
  taps.h0 = oh * geometry.stride_h - geometry.pad_top;
  taps.w0 = ow * geometry.stride_w - geometry.pad_left;
  // Padded taps are skipped: TFLite pads with the input zero point, which contributes nothing.
  taps.i_begin = std::max(0, -taps.h0);
  taps.i_end = std::max(taps.i_begin, std::min(geometry.kernel_h, geometry.input.height - taps.h0));
  taps.j_begin = std::max(0, -taps.w0);
  taps.j_end = std::max(taps.j_begin, std::min(geometry.kernel_w, geometry.input.width - taps.w0));
  return taps;
}

}  // namespace tandem
