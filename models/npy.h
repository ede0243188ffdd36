// Internal: reading NumPy .npy arrays (format 1.0/2.0/3.0, C order, little-endian int8 or
// int32), the file format a network YAML's `weights_file:` / `bias_file:` refers to.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tandem::npy {

struct Array {
  std::string dtype;  // "i1" or "i4"
  std::vector<std::int64_t> shape;
  std::vector<std::int32_t> values;  // int8 values widened
};

// Throws InputError naming the file with the reason (unreadable file, not .npy, unsupported
// dtype, Fortran order, truncated data).
Array read(const std::string& path);

// Writes a C-order little-endian array; dtype "i1" or "i4". For tests and exporters.
void write(const std::string& path, const std::string& dtype, const std::vector<std::int64_t>& shape,
           const std::vector<std::int32_t>& values);

}  // namespace tandem::npy
