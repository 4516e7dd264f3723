// The faces example end to end on its real data (scripts/fetch-data faces): train the face /
// non-face CNN of examples/faces/faces.toml on lfw_subset, beat the majority class on the held-out
// test images, then run `myelin detect` over the astronaut photo and check the PNG it writes.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "myelin/myelin.hpp"
#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

const std::string kData = std::string(MYELIN_DATA_DIR) + "/faces";
const std::string kConfig = std::string(MYELIN_SOURCE_DIR) + "/examples/faces/faces.toml";

// The share of the most frequent class among the test images: what always guessing it scores.
double majority_share(const data::Dataset& test) {
  int64_t faces = 0;
  for (int64_t i = 0; i < test.size(); ++i) faces += test.get(i).target.item() == 0.f;
  return static_cast<double>(std::max(faces, test.size() - faces)) / static_cast<double>(test.size());
}

TEST(CliFaces, TrainsOnLfwSubsetBeatsTheBaselineAndDetects) {
  if (!std::filesystem::exists(kData + "/lfw_subset.npy") || !std::filesystem::exists(kData + "/astronaut.png"))
    GTEST_SKIP() << "the faces data is not fetched (scripts/fetch-data faces)";
  testing::TempDir dir;
  const auto [status, out] = testing::run_cli("train " + kConfig + " --epochs 15 --out " + dir.file("run"));
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("150 training examples, 50 test"), std::string::npos) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex("test:  accuracy ([0-9.]+)"))) << out;
  const double accuracy = std::stod(m[1]);
  const double baseline = majority_share(*config::load_data(config::load_config(kConfig)).test);
  EXPECT_GE(baseline, 0.5);
  EXPECT_GT(accuracy, baseline + 0.2) << out;

  const auto [detect_status, boxes] = testing::run_cli("detect " + dir.file("run/model.safetensors") + " " + kData +
                                                       "/astronaut.png --scales 0.25 --stride 3 --out-width 256 --out " + dir.file("boxes.png"));
  ASSERT_EQ(detect_status, 0) << boxes;
  EXPECT_NE(boxes.find("x,y,width,height,score\n"), std::string::npos) << boxes;
  EXPECT_NE(boxes.find("boxes; wrote"), std::string::npos) << boxes;
  const Tensor picture = data::read_image(dir.file("boxes.png"), 3);
  EXPECT_EQ(picture.shape(), (Shape{3, 256, 256}));  // the 512 x 512 photo at --out-width
}

}  // namespace
}  // namespace myelin
