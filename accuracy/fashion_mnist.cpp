// The Fashion-MNIST reader: IDX files (big-endian header, then unsigned bytes), gzip or plain;
// zlib's gzread reads both.
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "accuracy/accuracy.h"

namespace tandem {

namespace {

// The whole (decompressed) content of an IDX file, or of its .gz when the plain one is absent.
std::vector<std::uint8_t> read_idx_bytes(const std::string& dir, const std::string& stem) {
  std::string path = dir + "/" + stem;
  if (!std::filesystem::exists(path)) path += ".gz";
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) {
    throw std::runtime_error("cannot open " + dir + "/" + stem + "[.gz] (Fashion-MNIST: install "
                             "the Debian package dataset-fashion-mnist or set "
                             "TANDEM_FASHION_MNIST_DIR)");
  }
  std::vector<std::uint8_t> bytes;
  std::uint8_t buffer[1 << 16];
  int n = 0;
  while ((n = gzread(file, buffer, sizeof buffer)) > 0) bytes.insert(bytes.end(), buffer, buffer + n);
  const bool failed = n < 0;
  gzclose(file);
  if (failed) throw std::runtime_error(path + ": corrupt gzip data");
  return bytes;
}

std::uint32_t big_endian(const std::vector<std::uint8_t>& bytes, std::size_t offset) {
  return (std::uint32_t{bytes[offset]} << 24) | (std::uint32_t{bytes[offset + 1]} << 16) |
         (std::uint32_t{bytes[offset + 2]} << 8) | std::uint32_t{bytes[offset + 3]};
}

// Checks the IDX header (magic 0x000008NN: unsigned bytes, NN dimensions) and returns the
// dimensions; the payload must be exactly their product.
std::vector<std::uint32_t> idx_dimensions(const std::vector<std::uint8_t>& bytes, int expected_rank,
                                          const std::string& name) {
  const std::size_t header = 4 + 4 * static_cast<std::size_t>(expected_rank);
  if (bytes.size() < header || big_endian(bytes, 0) != 0x0800u + static_cast<std::uint32_t>(expected_rank)) {
    throw std::runtime_error(name + ": not an IDX file of unsigned bytes with " +
                             std::to_string(expected_rank) + " dimension(s)");
  }
  std::vector<std::uint32_t> dims;
  std::size_t payload = 1;
  for (int d = 0; d < expected_rank; ++d) {
    dims.push_back(big_endian(bytes, 4 + 4 * static_cast<std::size_t>(d)));
    payload *= dims.back();
  }
  if (bytes.size() != header + payload) {
    throw std::runtime_error(name + ": expected " + std::to_string(payload) + " data bytes, found " +
                             std::to_string(bytes.size() - header));
  }
  return dims;
}

}  // namespace

ImageDataset load_fashion_mnist(DatasetSplit split, const std::string& dir_argument) {
  std::string dir = dir_argument;
  if (dir.empty()) {
    const char* env = std::getenv("TANDEM_FASHION_MNIST_DIR");
    dir = env && *env ? env : kFashionMnistDir;
  }
  const std::string prefix = split == DatasetSplit::train ? "train" : "t10k";
  const std::string images_name = prefix + "-images-idx3-ubyte";
  const std::string labels_name = prefix + "-labels-idx1-ubyte";
  std::vector<std::uint8_t> images = read_idx_bytes(dir, images_name);
  std::vector<std::uint8_t> labels = read_idx_bytes(dir, labels_name);
  const auto image_dims = idx_dimensions(images, 3, dir + "/" + images_name);
  const auto label_dims = idx_dimensions(labels, 1, dir + "/" + labels_name);
  if (image_dims[0] != label_dims[0]) {
    throw std::runtime_error(dir + ": " + std::to_string(image_dims[0]) + " images but " +
                             std::to_string(label_dims[0]) + " labels");
  }
  ImageDataset dataset;
  dataset.rows = static_cast<int>(image_dims[1]);
  dataset.cols = static_cast<int>(image_dims[2]);
  dataset.pixels.assign(images.begin() + 16, images.end());
  dataset.labels.assign(labels.begin() + 8, labels.end());
  for (std::uint8_t label : dataset.labels) {
    if (label > 9) throw std::runtime_error(dir + "/" + labels_name + ": label " + std::to_string(label) + " is not 0..9");
  }
  return dataset;
}

}  // namespace tandem
