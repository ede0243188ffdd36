#include "models/npy.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>

#include "core/files.h"
#include "core/input_error.h"

namespace tandem::npy {

namespace {

const char magic[] = "\x93NUMPY";

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw InputError({path, 0, 0}, "", what); }

int element_size(const std::string& path, const std::string& dtype) {
  if (dtype == "i1") return 1;
  if (dtype == "i4" || dtype == "f4") return 4;
  fail(path, "unsupported dtype '" + dtype + "' (int8 '|i1', int32 '<i4' or float32 '<f4')");
}

std::uint32_t little_endian_word(const std::string& data, std::size_t at) {
  std::uint32_t word = 0;
  for (int b = 3; b >= 0; --b) word = word << 8 | static_cast<unsigned char>(data[at + static_cast<std::size_t>(b)]);
  return word;
}

// The file's bytes up to the data: magic, version, header length and `header` (padded so that
// the data is 64-aligned).
std::string preamble(const std::string& descr, const std::vector<std::int64_t>& shape) {
  std::string dims;
  for (auto dim : shape) dims += std::to_string(dim) + ",";
  if (shape.size() > 1) dims.pop_back();
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string out(magic, 6);
  out += {1, 0, static_cast<char>(header.size() & 0xff), static_cast<char>(header.size() >> 8)};
  return out + header;
}

// Where the value of `key` starts in the header dict (whitespace skipped); npos when absent.
std::size_t value_of(const std::string& header, const std::string& key) {
  const std::size_t at = header.find("'" + key + "':");
  return at == std::string::npos ? at : header.find_first_not_of(" \t", at + key.size() + 3);
}

}  // namespace

Array read(const std::string& path) {
  const std::string data = read_input_file(path);
  if (data.size() < 10 || data.compare(0, 6, magic) != 0) fail(path, "not a .npy file (no \\x93NUMPY magic)");
  const int major = static_cast<unsigned char>(data[6]);
  std::size_t header_length = 0;
  std::size_t header_start = 10;
  if (major == 1) {
    header_length = static_cast<unsigned char>(data[8]) | static_cast<unsigned char>(data[9]) << 8;
  } else {
    header_start = 12;
    if (data.size() < 12) fail(path, "truncated .npy header");
    for (int i = 3; i >= 0; --i) header_length = header_length << 8 | static_cast<unsigned char>(data[8 + i]);
  }
  if (data.size() < header_start + header_length) fail(path, "truncated .npy header");
  const std::string header = data.substr(header_start, header_length);

  // The header is a Python dict literal: {'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }
  const std::size_t descr = value_of(header, "descr");
  if (descr == std::string::npos || descr + 3 >= header.size() || header[descr] != '\'' ||
      std::string("<|=>").find(header[descr + 1]) == std::string::npos || !std::islower(static_cast<unsigned char>(header[descr + 2]))) {
    fail(path, ".npy header has no 'descr'");
  }
  const std::size_t descr_end = header.find('\'', descr + 1);
  if (descr_end == std::string::npos) fail(path, ".npy header has no 'descr'");
  Array array;
  array.dtype = header.substr(descr + 2, descr_end - descr - 2);
  const int size = element_size(path, array.dtype);
  if (size > 1 && header[descr + 1] == '>') fail(path, "big-endian data is not supported");
  const std::size_t fortran = value_of(header, "fortran_order");
  if (fortran != std::string::npos && header.compare(fortran, 4, "True") == 0) {
    fail(path, "Fortran-order arrays are not supported; save in C order");
  }
  const std::size_t shape = value_of(header, "shape");
  const std::size_t shape_end = shape == std::string::npos ? shape : header.find(')', shape);
  if (shape == std::string::npos || header[shape] != '(' || shape_end == std::string::npos) {
    fail(path, ".npy header has no 'shape'");
  }
  // The element count is bounded by the data's size, so no product of dimensions can overflow.
  const std::size_t body = header_start + header_length;
  const std::size_t available = (data.size() - body) / static_cast<std::size_t>(size);
  std::size_t count = 1;
  for (std::size_t at = shape + 1; at < shape_end;) {
    if (!std::isdigit(static_cast<unsigned char>(header[at]))) {
      ++at;
      continue;
    }
    const std::size_t end = std::min(header.find_first_not_of("0123456789", at), shape_end);
    const std::string digits = header.substr(at, end - at);
    at = end;
    if (digits.size() > 18) fail(path, "shape dimension " + digits + " is too large");
    const std::size_t dim = std::stoull(digits);  // < 10^18: fits int64
    array.shape.push_back(static_cast<std::int64_t>(dim));
    count = dim == 0 || count == 0 ? 0 : (dim > available || count > available / dim ? available + 1 : count * dim);
  }
  if (count > available) fail(path, "data is shorter than the shape says");
  if (array.dtype == "f4") {
    static_assert(sizeof(float) == 4, "float32");
    array.floats.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint32_t word = little_endian_word(data, body + i * 4);
      std::memcpy(&array.floats[i], &word, 4);
    }
    return array;
  }
  array.values.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    array.values[i] = size == 1 ? static_cast<std::int8_t>(data[body + i])
                                : static_cast<std::int32_t>(little_endian_word(data, body + i * 4));
  }
  return array;
}

void write(const std::string& path, const std::string& dtype, const std::vector<std::int64_t>& shape,
           const std::vector<std::int32_t>& values) {
  const int size = element_size(path, dtype);
  if (dtype == "f4") throw std::invalid_argument("npy::write: float32 arrays take float values");
  std::string out = preamble(std::string(size == 1 ? "|" : "<") + dtype, shape);
  for (std::int32_t value : values) {
    const auto word = static_cast<std::uint32_t>(value);
    for (int b = 0; b < size; ++b) out += static_cast<char>(word >> (8 * b) & 0xff);
  }
  write_file(path, out);
}

void write(const std::string& path, const std::vector<std::int64_t>& shape, const std::vector<float>& values) {
  std::string out = preamble("<f4", shape);
  for (float value : values) {
    std::uint32_t word = 0;
    std::memcpy(&word, &value, 4);
    for (int b = 0; b < 4; ++b) out += static_cast<char>(word >> (8 * b) & 0xff);
  }
  write_file(path, out);
}

}  // namespace tandem::npy
