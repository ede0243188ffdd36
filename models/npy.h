// Internal: reading NumPy .npy arrays (format 1.0/2.0/3.0, C order, little-endian int8, int32
// or float32): the file format a network YAML's `weights_file:` / `bias_file:` refers to (int8,
// int32) and ONNX import's calibration inputs (float32).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tandem::npy {

struct Array {
  std::string dtype;  // "i1", "i4" or "f4"
  std::vector<std::int64_t> shape;
  std::vector<std::int32_t> values;  // "i1", "i4": the values (int8 widened); empty for "f4"
  std::vector<float> floats;         // "f4": the values (NaN and inf as stored); empty otherwise
};

// Throws InputError naming the file with the reason (unreadable file, not .npy, unsupported
// dtype, Fortran order, truncated data).
Array read(const std::string& path);

// Writes a C-order little-endian array; dtype "i1" or "i4". For tests and exporters.
void write(const std::string& path, const std::string& dtype, const std::vector<std::int64_t>& shape,
           const std::vector<std::int32_t>& values);
// Writes a C-order little-endian float32 ('<f4') array.
void write(const std::string& path, const std::vector<std::int64_t>& shape, const std::vector<float>& values);

}  // namespace tandem::npy
