// Reshape: ONNX's reading of a target shape (0 copies, -1 infers), its errors, its spec.
#include <gtest/gtest.h>

#include "expect_error.hpp"
#include "gradcheck.hpp"
#include "myelin/myelin.hpp"

namespace myelin::nn {
namespace {

TEST(NnReshape, ZeroCopiesAndMinusOneInfers) {
  const Tensor x = Tensor::arange(24).reshape({2, 3, 4});
  EXPECT_EQ(Reshape({0, -1})(x).shape(), (Shape{2, 12}));
  EXPECT_EQ(Reshape({0, 0, 2, 2})(x).shape(), (Shape{2, 3, 2, 2}));
  EXPECT_EQ(Reshape({4, 2, 3})(x).shape(), (Shape{4, 2, 3}));
  EXPECT_EQ(Reshape({-1})(x).shape(), (Shape{24}));
  // The batch follows the input: (0, -1) fits any batch size.
  EXPECT_EQ(Reshape({0, -1})(Tensor::zeros({5, 3, 4})).shape(), (Shape{5, 12}));
  // Row-major order is kept.
  const Tensor y = Reshape({0, 4, 3})(x).contiguous();
  for (int64_t i = 0; i < 24; ++i) EXPECT_EQ(y.data()[i], float(i));
}

TEST(NnReshape, AllowzeroMakesZeroASize) {
  EXPECT_EQ(Reshape({3, 4, 0}, true)(Tensor::zeros({0, 3, 4})).shape(), (Shape{3, 4, 0}));
  EXPECT_EQ(Reshape({4, 0, -1})(Tensor::zeros({2, 3, 4})).shape(), (Shape{4, 3, 2}));
}

TEST(NnReshape, BadShapesAreErrors) {
  testing::expect_error([] { Reshape({-1, 2, -1}); }, {"Reshape", "at most one -1"});
  testing::expect_error([] { Reshape({-2, 3}); }, {"Reshape", "sizes >= 0"});
  testing::expect_error([] { Reshape({0, -1}, true); }, {"Reshape", "allowzero"});
  const Tensor x = Tensor::zeros({2, 3});
  testing::expect_error<ShapeError>([&] { Reshape({5, -1})(x); }, {"reshape", "(2, 3)"});
  testing::expect_error<ShapeError>([&] { Reshape({0, 0, 0})(x); }, {"Reshape", "copies dimension 2"});
  // Sizes from a hostile file whose product is past int64.
  const int64_t big = int64_t{1} << 31;
  testing::expect_error<ShapeError>([&] { Reshape({big, big, big})(x); }, {"Reshape", "more elements"});
}

TEST(NnReshape, SpecRebuildsTheLayer) {
  const Reshape r({0, -1, 2}, false);
  const ModulePtr rebuilt = build_module(r.spec());
  EXPECT_EQ(rebuilt->type_name(), "Reshape");
  EXPECT_EQ(std::dynamic_pointer_cast<Reshape>(rebuilt)->shape(), (Shape{0, -1, 2}));
  EXPECT_TRUE(std::dynamic_pointer_cast<Reshape>(build_module(Reshape({2, 0}, true).spec()))->allowzero());
}

TEST(NnReshape, GradientsFlowBackInTheInputShape) {
  testing::check_gradients({"reshape_module", {{2, 3, 4}},
                            [](const std::vector<Tensor>& x) { return Reshape({0, 2, -1})(x[0]); }},
                           true);
}

}  // namespace
}  // namespace myelin::nn
