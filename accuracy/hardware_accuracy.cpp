// Accuracy measured on the simulated accelerator: data set images through the whole network,
// one simulation each, predictions from the logits the evaluator computed.
#include <stdexcept>

#include "accuracy/accuracy.h"

namespace tandem {

double HardwareAccuracy::hardware_accuracy() const {
  return images ? static_cast<double>(hardware_correct) / images : 0.0;
}

double HardwareAccuracy::golden_accuracy() const {
  return images ? static_cast<double>(golden_correct) / images : 0.0;
}

nlohmann::ordered_json to_json(const HardwareAccuracy& accuracy) {
  nlohmann::ordered_json json;
  json["images"] = accuracy.images;
  json["evaluator"] = accuracy.evaluator;
  json["hardware_accuracy"] = accuracy.hardware_accuracy();
  json["golden_accuracy"] = accuracy.golden_accuracy();
  json["logits_bit_exact_images"] = accuracy.bit_exact_images;
  json["labels"] = accuracy.labels;
  json["hardware_predictions"] = accuracy.hardware_predictions;
  json["golden_predictions"] = accuracy.golden_predictions;
  return json;
}

const Layer* unquantized_layer(const Network& network) {
  for (const Layer& layer : network.layers) {
    if (!layer.quant) return &layer;
  }
  return nullptr;
}

HardwareAccuracy measure_hardware_accuracy(const Network& network, const AcceleratorConfig& config,
                                           SimulationOptions options, const ImageDataset& dataset,
                                           int count,
                                           const std::function<void(const ImagePrediction&)>& on_image) {
  if (const Layer* layer = unquantized_layer(network)) {
    throw std::invalid_argument("network '" + network.name + "' is not trained: layer '" + layer->name +
                                "' has no quantization");
  }
  if (!options.only_layers.empty()) throw std::invalid_argument("accuracy needs the whole network, not some layers");
  if (count < 0 || static_cast<std::size_t>(count) > dataset.size()) {
    throw std::invalid_argument("the data set has " + std::to_string(dataset.size()) + " images, not " +
                                std::to_string(count));
  }
  const bool rtl = options.evaluator != "analytic";
  const std::size_t last = network.layers.size() - 1;
  HardwareAccuracy result;
  result.evaluator = options.evaluator;
  for (int k = 0; k < count; ++k) {
    const auto index = static_cast<std::size_t>(k);
    options.input = prepare_image(network, dataset.image(index), dataset.rows, dataset.cols);
    std::optional<Tensor8> golden_logits, hardware_logits;
    options.on_output = [&](std::size_t layer, const Tensor8& golden, const Tensor8* evaluated) {
      if (layer != last) return;
      golden_logits = golden;
      if (evaluated) hardware_logits = *evaluated;
    };
    if (k > 0) options.on_layer = nullptr;  // per-layer progress for the first image only
    const NetworkMetrics metrics = simulate_network(network, config, options);
    if (k == 0) result.metrics = metrics;
    result.all_ok = result.all_ok && metrics.all_ok();
    ImagePrediction image;
    image.index = k;
    image.label = dataset.labels[index];
    image.golden = argmax(*golden_logits);
    image.hardware = rtl ? (hardware_logits ? argmax(*hardware_logits) : -1) : image.golden;
    image.bit_exact = rtl && hardware_logits && hardware_logits->data == golden_logits->data;
    if (rtl && !image.bit_exact) result.all_ok = false;
    ++result.images;
    result.labels.push_back(image.label);
    result.golden_predictions.push_back(image.golden);
    result.hardware_predictions.push_back(image.hardware);
    result.golden_correct += image.golden == image.label ? 1 : 0;
    result.hardware_correct += image.hardware == image.label ? 1 : 0;
    result.bit_exact_images += image.bit_exact ? 1 : 0;
    if (on_image) on_image(image);
  }
  return result;
}

}  // namespace tandem
