// Fashion-MNIST's two splits, read once per test process (docs/accuracy.md).
#pragma once

#include "accuracy/accuracy.h"

namespace tandem::test {

inline const ImageDataset& train_set() {
  static const ImageDataset data = load_fashion_mnist(DatasetSplit::train);
  return data;
}

inline const ImageDataset& test_set() {
  static const ImageDataset data = load_fashion_mnist(DatasetSplit::test);
  return data;
}

}  // namespace tandem::test
