// Reading and writing Verilated packed signals of any width as bytes or 32-bit elements,
// so that one harness serves every parameter set of a module.
#pragma once

#include <verilated.h>

#include <cstdint>
#include <type_traits>
#include <vector>

namespace tandem::test {

template <typename Signal>
inline std::uint32_t get_word32(const Signal& signal, int index) {
  if constexpr (std::is_integral_v<Signal>) {
    return static_cast<std::uint32_t>(static_cast<std::uint64_t>(signal) >> (32 * index));
  } else {
    return signal[static_cast<std::size_t>(index)];
  }
}

template <typename Signal>
inline void set_word32(Signal& signal, int index, std::uint32_t value) {
  if constexpr (std::is_integral_v<Signal>) {
    using U = std::make_unsigned_t<Signal>;
    const int shift = 32 * index;
    if (shift >= static_cast<int>(8 * sizeof(Signal))) return;
    U bits = static_cast<U>(signal);
    const U mask = static_cast<U>(static_cast<std::uint64_t>(0xFFFFFFFFu) << shift);
    bits = static_cast<U>((bits & ~mask) | (static_cast<U>(static_cast<std::uint64_t>(value) << shift) & mask));
    signal = static_cast<Signal>(bits);
  } else {
    signal[static_cast<std::size_t>(index)] = value;
  }
}

// Byte `index` of a packed signal.
template <typename Signal>
inline std::uint8_t get_byte(const Signal& signal, int index) {
  return static_cast<std::uint8_t>(get_word32(signal, index / 4) >> (8 * (index % 4)));
}

// Writes `bytes` (little-endian: bytes[0] is bits 7..0) into a packed signal of that width.
template <typename Signal>
inline void set_bytes(Signal& signal, const std::vector<std::uint8_t>& bytes) {
  for (std::size_t word = 0; word * 4 < bytes.size(); ++word) {
    std::uint32_t value = 0;
    for (std::size_t b = 0; b < 4 && word * 4 + b < bytes.size(); ++b) {
      value |= static_cast<std::uint32_t>(bytes[word * 4 + b]) << (8 * b);
    }
    set_word32(signal, static_cast<int>(word), value);
  }
}

template <typename Signal>
inline std::vector<std::uint8_t> get_bytes(const Signal& signal, int count) {
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) bytes[static_cast<std::size_t>(i)] = get_byte(signal, i);
  return bytes;
}

}  // namespace tandem::test
