// Class labels that a classifier cannot learn (a byte 200 for a 10-unit last layer, 2.5, -1,
// NaN) stop `myelin train` before the first epoch, naming the part, its file, the example and
// the last layer, not inside the loss at the first batch.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "npy_file.hpp"
#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::run_cli;

// A config training a `units`-class classifier on x.npy (8 examples of 4 features) and y.npy.
std::string config_for(const testing::TempDir& dir, const std::vector<float>& labels, int units) {
  std::vector<float> x(8 * 4, 0.5f);
  dir.write("x.npy", testing::npy("{'descr': '<f4', 'fortran_order': False, 'shape': (8, 4), }",
                                  testing::bytes<float>(x)));
  dir.write("y.npy", testing::npy("{'descr': '<f4', 'fortran_order': False, 'shape': (8,), }",
                                  testing::bytes<float>(labels)));
  return dir.write("c.toml", "[data]\nsource = \"npy\"\ntrain_images = \"x.npy\"\ntrain_labels = \"y.npy\"\n"
                             "[[model.layers]]\ntype = \"Linear\"\nunits = " + std::to_string(units) +
                             "\n[train]\nepochs = 1\n");
}

TEST(ClassLabels, ALabelBeyondTheLastLayersUnitsStopsTrainingNamingTheExample) {
  testing::TempDir dir;
  const std::string config = config_for(dir, {0, 1, 2, 3, 4, 200, 6, 7}, 10);
  const auto [status, out] = run_cli("train " + config + " --out " + dir.file("run"));
  EXPECT_NE(status, 0);
  EXPECT_NE(out.find("needs class labels 0..9 (one per unit of the last layer), but example 5 of the train data "
                     "(train_labels = '" + dir.file("y.npy") + "') has label 200"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("layer 1, Linear"), std::string::npos) << out;
  EXPECT_EQ(out.find("epoch 1"), std::string::npos) << out;
}

TEST(ClassLabels, FractionalNegativeAndNanLabelsAreRefused) {
  for (const float bad : {2.5f, -1.f, std::numeric_limits<float>::quiet_NaN()}) {
    testing::TempDir dir;
    const std::string config = config_for(dir, {0, 1, 2, bad, 0, 1, 2, 0}, 3);
    const auto [status, out] = run_cli("train " + config + " --out " + dir.file("run"));
    EXPECT_NE(status, 0) << bad;
    EXPECT_NE(out.find("but example 3 of the train data"), std::string::npos) << out;
  }
}

}  // namespace
}  // namespace myelin
