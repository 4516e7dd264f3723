// Recognising people by embedding, end to end on generated pictures: three "persons" are three
// procedurally drawn patterns (horizontal stripes, vertical stripes, a checkerboard) at random
// phases with noise. `myelin train` learns them from an image folder; `myelin enrol` builds a
// gallery from other photos; `myelin identify` names new ones. Bad input must fail clearly.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "expect_error.hpp"
#include "myelin/myelin.hpp"
#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

const std::vector<std::string> kPeople = {"ada", "bo", "cy"};

// A 16 x 16 grayscale picture of person `p` with a random phase and noise.
void draw_person(const std::string& path, size_t p, Generator& g) {
  Tensor image = Tensor::empty({1, 16, 16});
  const int64_t dy = g.below(4), dx = g.below(4);
  for (int64_t y = 0; y < 16; ++y)
    for (int64_t x = 0; x < 16; ++x) {
      const bool row = (y + dy) / 2 % 2, col = (x + dx) / 2 % 2;
      const bool on = p == 0 ? row : p == 1 ? col : row != col;
      image.data()[y * 16 + x] = std::clamp((on ? 0.8f : 0.2f) + 0.3f * (g.uniform() - 0.5f), 0.f, 1.f);
    }
  data::write_png(path, image);
}

// DIR/<person>/<i>.png, `n` pictures of each person.
void write_people(const testing::TempDir& dir, const std::string& sub, int n, Generator& g) {
  for (size_t p = 0; p < kPeople.size(); ++p) {
    std::filesystem::create_directories(dir.file(sub + "/" + kPeople[p]));
    for (int i = 0; i < n; ++i) draw_person(dir.file(sub + "/" + kPeople[p] + "/" + std::to_string(i) + ".png"), p, g);
  }
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CliIdentity, EnrolsAGalleryAndIdentifiesNewPictures) {
  testing::TempDir dir;
  Generator g(11);
  write_people(dir, "photos/train", 16, g);
  write_people(dir, "photos/gallery", 4, g);
  write_people(dir, "photos/new", 2, g);
  // The example's config as shipped (three people), next to the generated photos.
  const std::string config = read_text(std::string(MYELIN_SOURCE_DIR) + "/examples/faces/people.toml");
  const auto [train_status, train_out] = testing::run_cli("train " + dir.write("people.toml", config) + " --out " + dir.file("run"));
  ASSERT_EQ(train_status, 0) << train_out;
  const std::string model = dir.file("run/model.safetensors");

  const auto [enrol_status, enrol_out] =
      testing::run_cli("enrol " + model + " --gallery " + dir.file("photos/gallery") + " --out " + dir.file("g.safetensors"));
  ASSERT_EQ(enrol_status, 0) << enrol_out;
  EXPECT_NE(enrol_out.find("enrolled 3 people (embeddings of 64 values)"), std::string::npos) << enrol_out;
  const vision::Gallery gallery = vision::load_gallery(dir.file("g.safetensors"));
  EXPECT_EQ(gallery.names, kPeople);

  std::string photos;
  for (const std::string& person : kPeople)
    for (int i = 0; i < 2; ++i) photos += " " + dir.file("photos/new/" + person + "/" + std::to_string(i) + ".png");
  const auto [status, out] = testing::run_cli("identify " + model + " --gallery " + dir.file("g.safetensors") + photos);
  ASSERT_EQ(status, 0) << out;
  for (const std::string& person : kPeople)
    for (int i = 0; i < 2; ++i)
      EXPECT_NE(out.find("new/" + person + "/" + std::to_string(i) + ".png," + person + ","), std::string::npos) << out;
  // No picture is within distance 0 of a gallery mean: all unknown.
  const auto [strict_status, strict_out] =
      testing::run_cli("identify " + model + " --gallery " + dir.file("g.safetensors") + " --max-distance 0" + photos);
  ASSERT_EQ(strict_status, 0) << strict_out;
  EXPECT_EQ(std::count(strict_out.begin(), strict_out.end(), '\n'), 7) << strict_out;
  EXPECT_EQ(strict_out.find(",ada,"), std::string::npos) << strict_out;

  // Bad input: an empty person folder, a gallery from another model, a file that is no gallery.
  std::filesystem::create_directories(dir.file("photos/gallery/dee"));
  const auto [empty_status, empty_out] =
      testing::run_cli("enrol " + model + " --gallery " + dir.file("photos/gallery") + " --out " + dir.file("h.safetensors"));
  EXPECT_EQ(empty_status, 1);
  EXPECT_NE(empty_out.find("gallery/dee: no images in this class folder"), std::string::npos) << empty_out;
  EXPECT_FALSE(std::filesystem::exists(dir.file("h.safetensors")));
  vision::save_gallery(dir.file("other.safetensors"), {{"x"}, Tensor::ones({1, 5})});
  const auto [other_status, other_out] = testing::run_cli("identify " + model + " --gallery " + dir.file("other.safetensors") + photos);
  EXPECT_EQ(other_status, 1);
  EXPECT_NE(other_out.find("other.safetensors: identify: an embedding of 64 values, but the gallery's have 5"), std::string::npos)
      << other_out;
  const auto [not_gallery_status, not_gallery_out] = testing::run_cli("identify " + model + " --gallery " + model + photos);
  EXPECT_EQ(not_gallery_status, 1);
  EXPECT_NE(not_gallery_out.find("not a gallery file"), std::string::npos) << not_gallery_out;
}

TEST(VisionEmbedding, EnrolChecksShapesAndIdentifiesByCosine) {
  manual_seed(2);
  auto model = std::make_shared<nn::Sequential>();
  model->add<nn::Flatten>();
  model->add<nn::Linear>(4, 3);
  model->add<nn::Linear>(3, 2);
  const Tensor a = Tensor::from_vector({1, 0, 0, 0, 0.9f, 0.1f, 0, 0}, {2, 2, 2}), b = Tensor::from_vector({0, 0, 0, 1}, {1, 2, 2});
  const vision::Gallery g = vision::enrol(*model, {{"a", a}, {"b", b}});
  ASSERT_EQ(g.embeddings.shape(), (Shape{2, 3}));
  for (int64_t p = 0; p < 2; ++p) {  // unit rows
    float norm = 0;
    for (int64_t j = 0; j < 3; ++j) norm += g.embeddings.data()[p * 3 + j] * g.embeddings.data()[p * 3 + j];
    EXPECT_NEAR(norm, 1.f, 1e-5f);
  }
  const Tensor e = vision::embed(*model, b);
  const vision::Match m = vision::identify(g, e.reshape({3}), 0.5f);
  EXPECT_EQ(m.person, 1);
  EXPECT_NEAR(m.distance, 0.f, 1e-5f);
  testing::expect_error<ShapeError>([&] { vision::enrol(*model, {{"a", a}, {"big", Tensor::zeros({1, 3, 3})}}); },
                                    {"big", "(3, 3)", "(2, 2)"});
  testing::expect_error<ShapeError>([&] { vision::enrol(*model, {{"none", Tensor::zeros({0, 2, 2})}}); }, "none has no examples");
  testing::expect_error<ShapeError>([&] { vision::identify(g, Tensor::zeros({4}), 1.f); }, "another model");
  nn::Linear single(4, 2);
  testing::expect_error([&] { vision::embed(single, a.reshape({2, 4})); }, "must be a Sequential");
}

}  // namespace
}  // namespace myelin
