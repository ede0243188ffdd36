// t_models_npy: .npy arrays (models/npy.h) read back what was written, and every malformed file
// is an InputError naming it with the reason.
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>

#include "core/files.h"
#include "core/input_error.h"
#include "models/npy.h"

using namespace tandem;

namespace {

const std::string kDir = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_models_npy";

// A .npy file (format 1.0) with `header` as its dict and `body` as its data.
std::string npy_file(const std::string& name, const std::string& header, const std::string& body) {
  std::string padded = header;
  while ((10 + padded.size() + 1) % 64 != 0) padded += ' ';
  padded += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(padded.size() & 0xff);
  bytes += static_cast<char>(padded.size() >> 8);
  const std::string path = kDir + "/" + name + ".npy";
  write_file(path, bytes + padded + body);
  return path;
}

}  // namespace

TEST_CASE("t_models_npy: what is written reads back", "[models][npy]") {
  std::filesystem::create_directories(kDir);
  npy::write(kDir + "/w.npy", "i1", {2, 3}, {1, -2, 3, -4, 5, -128});
  const npy::Array w = npy::read(kDir + "/w.npy");
  CHECK(w.dtype == "i1");
  CHECK(w.shape == std::vector<std::int64_t>{2, 3});
  CHECK(w.values == std::vector<std::int32_t>{1, -2, 3, -4, 5, -128});
  npy::write(kDir + "/b.npy", "i4", {3}, {70000, -1, 2147483647});
  CHECK(npy::read(kDir + "/b.npy").values == std::vector<std::int32_t>{70000, -1, 2147483647});
  const std::vector<float> floats = {0.5f, -1.25f, 3.4028235e38f, 1e-45f, -0.0f, 0.1f};
  npy::write(kDir + "/f.npy", {3, 2}, floats);
  const npy::Array f = npy::read(kDir + "/f.npy");
  CHECK(f.dtype == "f4");
  CHECK(f.shape == std::vector<std::int64_t>{3, 2});
  CHECK(f.values.empty());
  REQUIRE(f.floats.size() == floats.size());
  for (std::size_t i = 0; i < floats.size(); ++i) CHECK(std::memcmp(&f.floats[i], &floats[i], 4) == 0);  // bit-exact
  // Little-endian bytes as NumPy writes them: 1.0f is 00 00 80 3f.
  const npy::Array one = npy::read(npy_file("one", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
                                            std::string("\x00\x00\x80\x3f", 4)));
  CHECK(one.floats == std::vector<float>{1.0f});
  const npy::Array empty = npy::read(npy_file("empty", "{'descr': '|i1', 'fortran_order': False, 'shape': (0, 5), }", ""));
  CHECK(empty.values.empty());
  const npy::Array wide = npy::read(npy_file("wide", "{'descr': '|i1', 'fortran_order': False, 'shape': (0, 10000000000000), }", ""));
  CHECK(wide.shape == std::vector<std::int64_t>{0, 10000000000000});  // kept as written, not clipped
}

TEST_CASE("t_models_npy: a malformed file is an InputError naming it", "[models][npy]") {
  std::filesystem::create_directories(kDir);
  const auto error = [](const std::string& path) {
    try {
      npy::read(path);
    } catch (const InputError& e) {
      CHECK(e.where().file == path);
      return e.message();
    }
    return std::string("accepted");
  };
  write_file(kDir + "/text.npy", "just text, not an array");
  CHECK(error(kDir + "/text.npy") == "not a .npy file (no \\x93NUMPY magic)");
  CHECK(error(kDir + "/missing.npy") == "cannot open file: No such file or directory");
  write_file(kDir + "/cut.npy", std::string("\x93NUMPY\x01\x00\x40\x00{'descr'", 17));
  CHECK(error(kDir + "/cut.npy") == "truncated .npy header");
  CHECK(error(npy_file("nodescr", "{'shape': (2,), }", "ab")) == ".npy header has no 'descr'");
  CHECK(error(npy_file("double", "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", "abcdefgh")) ==
        "unsupported dtype 'f8' (int8 '|i1', int32 '<i4' or float32 '<f4')");
  CHECK(error(npy_file("big", "{'descr': '>i4', 'fortran_order': False, 'shape': (1,), }", "abcd")) ==
        "big-endian data is not supported");
  CHECK(error(npy_file("bigf", "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", "abcd")) ==
        "big-endian data is not supported");
  CHECK(error(npy_file("shortf", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", std::string(23, 'x'))) ==
        "data is shorter than the shape says");
  CHECK(error(npy_file("fortran", "{'descr': '|i1', 'fortran_order': True, 'shape': (2, 2), }", "abcd")) ==
        "Fortran-order arrays are not supported; save in C order");
  CHECK(error(npy_file("noshape", "{'descr': '|i1', 'fortran_order': False, }", "ab")) == ".npy header has no 'shape'");
  CHECK(error(npy_file("short", "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", "abcd")) ==
        "data is shorter than the shape says");
  // Dimensions whose product overflows 64 bits are not a smaller array.
  CHECK(error(npy_file("huge", "{'descr': '|i1', 'fortran_order': False, 'shape': (4294967296, 4294967297), }", "ab")) ==
        "data is shorter than the shape says");
  CHECK(error(npy_file("absurd", "{'descr': '|i1', 'fortran_order': False, 'shape': (1234567890123456789012,), }", "ab")) ==
        "shape dimension 1234567890123456789012 is too large");
}
