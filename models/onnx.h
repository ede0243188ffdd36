// ONNX models in and out of the network IR (docs/networks.md, "ONNX"). Built on Debian's
// libonnx-dev protobuf classes (onnx_proto); nothing here runs an ONNX runtime.
//
// Import understands three kinds of models:
//   float   Conv (group 1 or depthwise), Gemm/MatMul, Add, Relu/Clip, MaxPool/AveragePool/
//           GlobalAveragePool, BatchNormalization (folded into the preceding Conv), Flatten/
//           Reshape before Gemm/MatMul; tandem quantizes it (per-output-channel symmetric int8
//           weights, int32 bias, activation ranges from a float forward pass over calibration
//           inputs; see OnnxImportOptions).
//   QDQ     QuantizeLinear/DequantizeLinear around those operators: the model's scales and zero
//           points are kept; uint8 tensors with zero point z become int8 with z - 128.
//   QLinear QLinearConv/QLinearMatMul between QuantizeLinear and DequantizeLinear, likewise.
// Anything else (an operator, attribute value or graph shape tandem cannot express exactly) is
// an InputError "FILE: error: node INDEX 'NAME' (OP): what is wrong (what is supported)".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/network.h"

namespace tandem {

struct OnnxImportOptions {
  // Float models only. false: import the structure without quantization (like zoo networks).
  bool quantize = true;
  // Calibration inputs: .npy float32 files, each [N, C, H, W] or [C, H, W] (NCHW, as the ONNX
  // model takes them). Empty: `random_samples` seeded standard-normal inputs, and a warning.
  std::vector<std::string> calibration_files;
  int random_samples = 4;
  std::uint64_t seed = 1;
};

struct OnnxImport {
  Network network;
  enum class Kind { float_model, qdq, qlinear } kind = Kind::float_model;
  std::vector<std::string> warnings;  // for people: e.g. "calibrated on random inputs"
};

// Reads and converts `file`. Throws InputError (located at the file and node) for anything
// unsupported or malformed.
OnnxImport import_onnx(const std::string& file, const OnnxImportOptions& options = {});
// import_onnx with the default options for load_network; warnings go to stderr as
// "tandem: warning: FILE: ...".
Network load_onnx_network(const std::string& file);

// Writes the network as an ONNX model (opset 13): a quantized network (every layer has
// quant) as QDQ with its own int8 weights, int32 biases, scales and zero points; an
// unquantized one as a float graph with seeded random float weights (`seed`). The input is
// "input" [1, C, H, W] float32, the output "output". Throws std::runtime_error when the file
// cannot be written or the network cannot be expressed (a partly quantized network).
void export_onnx(const Network& network, const std::string& file, std::uint64_t seed = 1);

}  // namespace tandem
