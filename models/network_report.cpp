// Layer tables and JSON summaries of a network (`tandem model show`, `tandem space sample`).
#include "core/number_format.h"
#include "core/table.h"
#include "models/network_io.h"

namespace tandem {

namespace {

std::string input_names(const Network& network, const Layer& layer) {
  std::string text;
  for (int producer : layer.inputs) {
    text += (text.empty() ? "" : ",") +
            (producer < 0 ? std::string("input") : network.layers[static_cast<std::size_t>(producer)].name);
  }
  return text;
}

// " pad 1,1,0,0" (top, left, bottom, right) for explicit padding.
std::string explicit_text(const Layer& layer) {
  if (layer.padding != Padding::explicit_pads) return "";
  return " pad " + std::to_string(layer.pad_top) + "," + std::to_string(layer.pad_left) + "," +
         std::to_string(layer.pad_bottom) + "," + std::to_string(layer.pad_right);
}

std::string window_text(const Layer& layer) {
  if (!is_window_layer(layer.kind)) return "";
  auto pair = [](int h, int w) { return h == w ? std::to_string(h) : std::to_string(h) + "x" + std::to_string(w); };
  return pair(layer.kernel_h, layer.kernel_w) + "/" + pair(layer.stride_h, layer.stride_w) +
         (layer.padding == Padding::valid ? " valid" : "") + explicit_text(layer);
}

nlohmann::ordered_json shape_json(const TensorShape& shape) {
  return {shape.height, shape.width, shape.channels};
}

}  // namespace

std::string human_count(std::int64_t value) {
  const char* suffixes[] = {"", "K", "M", "G", "T"};
  const auto [scaled, suffix] = scaled_by_thousands(static_cast<double>(value));
  if (suffix == 0) return std::to_string(value);
  return fixed_number(scaled, scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2) + suffixes[suffix];
}

std::string network_table(const Network& network) {
  Table table;
  table.headers = {"#", "layer", "kind", "inputs", "k/s", "output", "act", "MACs", "params", "out bytes"};
  table.right_aligned = {true, false, false, false, false, false, false, true, true, true};
  for (std::size_t i = 0; i < network.layers.size(); ++i) {
    const Layer& layer = network.layers[i];
    const bool follows = layer.inputs.size() == 1 && layer.inputs[0] == static_cast<int>(i) - 1;
    table.rows.push_back({std::to_string(i), layer.name, layer_kind_name(layer.kind),
                          follows ? "" : input_names(network, layer), window_text(layer),
                          layer.output.to_string(),
                          layer.activation == Activation::none ? "" : activation_name(layer.activation),
                          std::to_string(macs(layer)), std::to_string(params(layer)),
                          std::to_string(output_bytes(layer))});
  }
  table.rows.push_back({"", "total", "", "", "", "", "", std::to_string(total_macs(network)),
                        std::to_string(total_params(network)), std::to_string(total_activation_bytes(network))});
  std::string text = "network " + network.name + ": input " + network.input.to_string() + ", " +
                     std::to_string(network.num_classes) + " classes, " +
                     std::to_string(network.layers.size()) + " layers\n";
  text += table.text();
  text += "MACs " + human_count(total_macs(network)) + ", params " +
          human_count(total_params(network)) + ", int8 activations " +
          human_count(total_activation_bytes(network)) + "B total, largest layer output " +
          human_count(peak_activation_bytes(network)) + "B\n";
  return text;
}

nlohmann::ordered_json network_json(const Network& network) {
  nlohmann::ordered_json json;
  json["name"] = network.name;
  json["input"] = shape_json(network.input);
  json["num_classes"] = network.num_classes;
  json["layers"] = nlohmann::ordered_json::array();
  for (const Layer& layer : network.layers) {
    nlohmann::ordered_json entry;
    entry["name"] = layer.name;
    entry["kind"] = layer_kind_name(layer.kind);
    entry["inputs"] = layer.inputs;
    entry["input_shapes"] = nlohmann::ordered_json::array();
    for (const auto& shape : layer.input_shapes) entry["input_shapes"].push_back(shape_json(shape));
    entry["output"] = shape_json(layer.output);
    if (is_window_layer(layer.kind)) {
      entry["kernel"] = {layer.kernel_h, layer.kernel_w};
      entry["stride"] = {layer.stride_h, layer.stride_w};
      entry["padding"] = padding_name(layer.padding);
      const WindowPads pads = window_pads(layer, layer.input_shapes.empty() ? TensorShape{} : layer.input_shapes.front());
      entry["pads"] = {pads.top, pads.left, pads.bottom, pads.right};  // top, left, bottom, right
    }
    if (layer.kind == LayerKind::conv2d || layer.kind == LayerKind::fully_connected) {
      entry["out_channels"] = layer.out_channels;
    }
    entry["activation"] = activation_name(layer.activation);
    entry["quantized"] = layer.quant.has_value();
    entry["macs"] = macs(layer);
    entry["params"] = params(layer);
    entry["output_bytes"] = output_bytes(layer);
    json["layers"].push_back(entry);
  }
  json["totals"] = {{"layers", network.layers.size()},
                    {"macs", total_macs(network)},
                    {"params", total_params(network)},
                    {"activation_bytes", total_activation_bytes(network)},
                    {"peak_activation_bytes", peak_activation_bytes(network)}};
  return json;
}

}  // namespace tandem
