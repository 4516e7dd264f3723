#pragma once
// Reads reference tensors written by scripts/fixtures/fixture_io.py (PyTorch outputs).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "myelin/myelin.hpp"

namespace myelin::testing {

class Fixture {
 public:
  // `name` is a file in tests/fixtures.
  explicit Fixture(const std::string& name) {
    const std::string path = std::string(MYELIN_FIXTURE_DIR) + "/" + name;
    std::ifstream in(path);
    if (!in) throw Error(path + ": fixture file not found");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream fields(line);
      std::string key, dims;
      fields >> key >> dims;
      Shape shape;
      if (dims != "-") {
        std::istringstream d(dims);
        std::string item;
        while (std::getline(d, item, ',')) shape.push_back(std::stoll(item));
      }
      std::vector<float> values;
      float v;
      while (fields >> v) values.push_back(v);
      tensors_[key] = Tensor::from_vector(values, shape);
    }
  }
  const Tensor& operator[](const std::string& key) const {
    auto it = tensors_.find(key);
    if (it == tensors_.end()) throw Error("fixture has no tensor '" + key + "'");
    return it->second;
  }
  bool has(const std::string& key) const { return tensors_.count(key) > 0; }

 private:
  std::map<std::string, Tensor> tensors_;
};

// Asserts equal shapes and |a - b| <= atol + rtol * |b| elementwise.
inline void expect_close(const Tensor& actual, const Tensor& expected, float rtol, float atol,
                         const std::string& what) {
  ASSERT_EQ(actual.shape(), expected.shape()) << what << ": shape";
  const std::vector<float> a = actual.to_vector(), b = expected.to_vector();
  for (size_t i = 0; i < a.size(); ++i)
    ASSERT_LE(std::fabs(a[i] - b[i]), atol + rtol * std::fabs(b[i]))
        << what << ": element " << i << " is " << a[i] << ", expected " << b[i];
}

}  // namespace myelin::testing
