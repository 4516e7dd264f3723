// Fashion-MNIST from its four IDX files.
#include "myelin/data/fashion_mnist.hpp"

#include <filesystem>

#include "myelin/data/idx.hpp"
#include "myelin/error.hpp"

namespace myelin::data {
namespace {

const std::vector<std::string> kClassNames = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                              "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
constexpr int64_t kSide = 28;
const char* const kInstallHint =
    "; run `make data` or `scripts/setup --data` to install Debian's dataset-fashion-mnist";

// `dir/name.gz`, or `dir/name` when only the uncompressed file is there.
std::string find_file(const std::string& dir, const std::string& name) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw IoError(dir + ": no such directory (looking for Fashion-MNIST)" + kInstallHint);
  const fs::path gz = fs::path(dir) / (name + ".gz"), raw = fs::path(dir) / name;
  if (fs::exists(gz)) return gz.string();
  if (fs::exists(raw)) return raw.string();
  throw IoError(gz.string() + ": file not found (nor " + name + " without .gz)" + kInstallHint);
}

std::shared_ptr<TensorDataset> load_part(const std::string& dir, const std::string& prefix,
                                         const FashionMnistOptions& options) {
  const std::string image_path = find_file(dir, prefix + "-images-idx3-ubyte");
  const std::string label_path = find_file(dir, prefix + "-labels-idx1-ubyte");
  Tensor images = read_idx(image_path);
  const Tensor labels = read_idx(label_path);
  if (images.dim() != 3 || images.size(1) != kSide || images.size(2) != kSide)
    throw IoError(image_path + ": expected images of shape (N, 28, 28), got " + to_string(images.shape()));
  const int64_t n = images.size(0);
  if (labels.dim() != 1 || labels.size(0) != n)
    throw IoError(label_path + ": expected " + std::to_string(n) + " labels to match " + image_path + ", got shape " +
                  to_string(labels.shape()));
  const float* y = labels.data();
  for (int64_t i = 0; i < n; ++i)
    if (!(y[i] >= 0.f && y[i] <= 9.f && y[i] == static_cast<float>(static_cast<int>(y[i]))))
      throw IoError(label_path + ": label " + std::to_string(y[i]) + " of example " + std::to_string(i) +
                    " is not a class index 0..9");
  float* px = images.data();
  for (int64_t i = 0; i < images.numel(); ++i) px[i] /= 255.f;  // as torchvision: exact division
  const Shape shape = options.flatten ? Shape{n, kSide * kSide} : Shape{n, 1, kSide, kSide};
  return std::make_shared<TensorDataset>(images.reshape(shape), labels);
}

}  // namespace

FashionMnist load_fashion_mnist(const std::string& dir, const FashionMnistOptions& options) {
  return {load_part(dir, "train", options), load_part(dir, "t10k", options), kClassNames};
}

}  // namespace myelin::data
