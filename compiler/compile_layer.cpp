// The compiler's entry point: picks the lowering for a layer kind and dataflow.
#include <stdexcept>

#include "compiler/compiler.h"
#include "compiler/lowering.h"

namespace tandem {
namespace {

void lower(compiler::ProgramBuilder& builder, const Layer& layer, const std::vector<const Tensor8*>& inputs,
           const AcceleratorConfig& config) {
  if (!layer.quant) throw std::invalid_argument(layer.name + ": no quantization parameters");
  const std::size_t needed = layer.kind == LayerKind::add ? 2 : 1;
  if (inputs.size() != needed) {
    throw std::invalid_argument(layer.name + ": expected " + std::to_string(needed) + " input tensors");
  }
  switch (layer.kind) {
    case LayerKind::conv2d:
    case LayerKind::fully_connected:
      if (config.array.dataflow == Dataflow::weight_stationary) {
        compiler::lower_conv_weight_stationary(builder, layer, *inputs[0]);
      } else {
        compiler::lower_conv_output_stationary(builder, layer, *inputs[0]);
      }
      break;
    case LayerKind::add:
      compiler::lower_residual_add(builder, layer, *inputs[0], *inputs[1]);
      break;
    case LayerKind::depthwise_conv2d:
      if (compiler::depthwise_on_array(layer, config)) {
        compiler::lower_depthwise_on_array(builder, layer, *inputs[0]);
      } else {
        compiler::lower_window_on_vector_unit(builder, layer, *inputs[0]);
      }
      break;
    default:  // pooling, activation
      compiler::lower_window_on_vector_unit(builder, layer, *inputs[0]);
      break;
  }
}

}  // namespace

Program compile_layer(const Layer& layer, const std::vector<const Tensor8*>& inputs,
                      const AcceleratorConfig& config) {
  if (mesh_cores(config) != 1) {
    throw std::invalid_argument(layer.name + ": compile_layer compiles for one core; a mesh of " +
                                std::to_string(mesh_cores(config)) + " cores takes compile_layer_on_mesh");
  }
  compiler::ProgramBuilder builder(config, layer.name);
  lower(builder, layer, inputs, config);
  return builder.finish();
}

std::optional<std::string> mapping_problem(const Layer& layer, const AcceleratorConfig& config) {
  if (mesh_cores(config) != 1) return compiler::mesh_mapping_problem(layer, config);
  std::vector<Tensor8> inputs;
  for (const TensorShape& shape : layer.input_shapes) inputs.push_back(Tensor8::zeros(shape));
  std::vector<const Tensor8*> pointers;
  for (const Tensor8& t : inputs) pointers.push_back(&t);
  compiler::ProgramBuilder builder(config, layer.name, true);
  try {
    lower(builder, layer, pointers, config);
  } catch (const compiler::PlanComplete&) {
    return std::nullopt;
  } catch (const MappingError& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

bool runs_on_array(const Layer& layer, const AcceleratorConfig& config) {
  switch (layer.kind) {
    case LayerKind::conv2d:
    case LayerKind::fully_connected: return true;
    case LayerKind::depthwise_conv2d: return compiler::depthwise_on_array(layer, config);
    default: return false;
  }
}

Tensor8 decode_layer_output(const Layer& layer, const AcceleratorConfig& config,
                            const std::vector<std::uint8_t>& region) {
  const int stride = compiler::output_pixel_stride(layer, config);
  Tensor8 out = Tensor8::zeros(layer.output);
  const int pixels = layer.output.height * layer.output.width;
  if (region.size() < static_cast<std::size_t>(pixels) * static_cast<std::size_t>(stride)) {
    throw std::invalid_argument(layer.name + ": output region too small");
  }
  for (int p = 0; p < pixels; ++p) {
    for (int c = 0; c < layer.output.channels; ++c) {
      out.data[static_cast<std::size_t>(p) * layer.output.channels + static_cast<std::size_t>(c)] =
          static_cast<std::int8_t>(region[static_cast<std::size_t>(p) * stride + static_cast<std::size_t>(c)]);
    }
  }
  return out;
}

}  // namespace tandem
