#pragma once
// Fashion-MNIST: 70,000 28x28 grey images of clothing in 10 classes (60,000 train, 10,000 test).
#include <memory>
#include <string>
#include <vector>

#include "myelin/data/dataset.hpp"

namespace myelin::data {

/// Where Debian's package dataset-fashion-mnist installs the files.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

/// Settings of load_fashion_mnist.
struct FashionMnistOptions {
  /// Images as (N, 784) rows (for MLPs); false keeps them as (N, 1, 28, 28) (for convolutions).
  bool flatten = true;
};

/// FashionMnist: the train and test sets and the class names (index -> name).
struct FashionMnist {
  std::shared_ptr<TensorDataset> train;  // inputs (60000, 784) in [0, 1], targets (60000) class indices
  std::shared_ptr<TensorDataset> test;   // inputs (10000, 784), targets (10000)
  std::vector<std::string> class_names;  // "T-shirt/top", "Trouser", ..., "Ankle boot"
};

/// Loads {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz] from `dir`: images as float32 scaled
/// to [0, 1], labels as float class indices 0..9.
/// Throws IoError naming the missing file (and saying that `make data` or `scripts/setup --data`
/// installs Debian's dataset-fashion-mnist) when the directory or a file is absent, and IoError
/// naming the file when its content is not the expected shape or a label is not a class index.
FashionMnist load_fashion_mnist(const std::string& dir = kFashionMnistDir, const FashionMnistOptions& options = {});

}  // namespace myelin::data
