// Gradient checks for convolution, pooling, normalisation and upsampling (one row per setting).
#include "gradcheck.hpp"

namespace myelin::testing {
namespace {

using V = const std::vector<Tensor>&;

Tensor bn_train(V x) {
  // Running stats are updated in place each call; the output does not depend on them.
  return batch_norm(x[0], Tensor::zeros({3}), Tensor::ones({3}), x[1], x[2], {.training = true});
}

const GradCase kCases[] = {
    {"conv2d_plain", {{2, 3, 5, 4}, {4, 3, 3, 2}, {4}},
     [](V x) { return conv2d(x[0], x[1], x[2]); }},
    {"conv2d_stride_padding", {{2, 2, 7, 6}, {3, 2, 3, 3}, {3}},
     [](V x) { return conv2d(x[0], x[1], x[2], {.stride = {2, 3}, .padding = {1, 2}}); }},
    {"conv2d_dilation", {{1, 2, 7, 7}, {2, 2, 3, 2}},
     [](V x) { return conv2d(x[0], x[1], Tensor(), {.padding = {1, 0}, .dilation = {2, 3}}); }},
    {"conv2d_groups", {{2, 4, 5, 5}, {6, 2, 3, 3}, {6}},
     [](V x) { return conv2d(x[0], x[1], x[2], {.stride = {2, 1}, .groups = 2}); }},
    {"conv2d_depthwise", {{1, 3, 5, 6}, {3, 1, 3, 3}},
     [](V x) { return conv2d(x[0], x[1], Tensor(), {.padding = {1, 1}, .groups = 3}); }},
    {"conv2d_same_even_kernel", {{1, 2, 5, 4}, {2, 2, 2, 4}},
     [](V x) { return conv2d(x[0], x[1], Tensor(), {.same_padding = true}); }},
    {"conv2d_pointwise", {{2, 3, 3, 4}, {2, 3, 1, 1}, {2}},
     [](V x) { return conv2d(x[0], x[1], x[2]); }},
    {"conv1d", {{2, 3, 9}, {4, 3, 3}, {4}},
     [](V x) { return conv1d(x[0], x[1], x[2], {.stride = 2, .padding = 1, .dilation = 2}); }},
    {"conv1d_groups_same", {{1, 4, 7}, {2, 2, 4}},
     [](V x) { return conv1d(x[0], x[1], Tensor(), {.groups = 2, .same_padding = true}); }},
    {"conv_transpose2d", {{2, 3, 3, 4}, {3, 2, 3, 3}, {2}},
     [](V x) { return conv_transpose2d(x[0], x[1], x[2]); }},
    {"conv_transpose2d_stride_outpad", {{1, 2, 3, 3}, {2, 3, 3, 2}, {3}},
     [](V x) {
       return conv_transpose2d(x[0], x[1], x[2],
                               {.stride = {2, 3}, .padding = {1, 0}, .output_padding = {1, 2}});
     }},
    {"conv_transpose2d_groups_dilation", {{1, 4, 3, 3}, {4, 1, 2, 3}},
     [](V x) {
       return conv_transpose2d(x[0], x[1], Tensor(), {.dilation = {2, 1}, .groups = 2});
     }},
    {"max_pool2d", {{2, 2, 5, 6}}, [](V x) { return max_pool2d(x[0]); }, Inputs::Distinct},
    // 2x2 at stride 2 takes the branch-free kernel: odd sizes leave a row and a column unread.
    {"max_pool2d_2x2_odd", {{2, 3, 7, 5}}, [](V x) { return max_pool2d(x[0], {.kernel = {2, 2}}); },
     Inputs::Distinct},
    {"max_pool2d_overlap_pad", {{1, 2, 5, 5}}, [](V x) {
       return max_pool2d(x[0], {.kernel = {3, 3}, .stride = {2, 1}, .padding = {1, 1}});
     }, Inputs::Distinct},
    // Fused with a ReLU before it (odd sizes: the spaced values then never hit relu's kink at 0).
    {"relu_max_pool2d_2x2", {{1, 3, 7, 5}}, [](V x) { return relu_max_pool2d(x[0]); }, Inputs::Distinct},
    {"relu_max_pool2d_overlap_pad", {{1, 3, 5, 7}}, [](V x) {
       return relu_max_pool2d(x[0], {.kernel = {3, 3}, .stride = {2, 1}, .padding = {1, 1}});
     }, Inputs::Distinct},
    {"relu_max_pool1d", {{1, 3, 7}}, [](V x) { return relu_max_pool1d(x[0], {.kernel = 3, .stride = 2}); },
     Inputs::Distinct},
    {"avg_pool2d_pad", {{1, 2, 5, 6}}, [](V x) {
       return avg_pool2d(x[0], {.kernel = {3, 2}, .stride = {2, 2}, .padding = {1, 1}});
     }},
    {"avg_pool2d_exclude_pad", {{1, 2, 5, 5}}, [](V x) {
       return avg_pool2d(x[0], {.kernel = {3, 3}, .stride = {2, 2}, .padding = {1, 1},
                                .count_include_pad = false});
     }},
    {"max_pool1d", {{2, 3, 7}}, [](V x) { return max_pool1d(x[0], {.kernel = 3, .stride = 2, .padding = 1}); },
     Inputs::Distinct},
    {"avg_pool1d", {{2, 3, 7}}, [](V x) { return avg_pool1d(x[0], {.kernel = 3, .stride = 2}); }},
    {"adaptive_avg_pool2d", {{1, 2, 7, 5}}, [](V x) { return adaptive_avg_pool2d(x[0], {3, 2}); }},
    {"global_avg_pool2d", {{2, 3, 3, 4}}, [](V x) { return global_avg_pool2d(x[0]); }},
    {"upsample_nearest2d", {{1, 2, 3, 2}}, [](V x) { return upsample_nearest2d(x[0], {6, 5}); }},
    {"batch_norm_train", {{4, 3, 2, 2}, {3}, {3}}, bn_train},
    {"batch_norm_eval", {{2, 3, 2, 2}, {3}, {3}}, [](V x) {
       return batch_norm(x[0], Tensor::full({3}, 0.2f), Tensor::full({3}, 1.5f), x[1], x[2],
                         {.training = false});
     }},
    // Planes longer than the kernels' 16 running sums, with a remainder.
    {"batch_norm_train_long_planes", {{3, 2, 5, 7}, {2}, {2}}, [](V x) {
       return batch_norm(x[0], Tensor(), Tensor(), x[1], x[2], {.training = true});
     }},
    {"batch_norm_1d", {{5, 3}}, [](V x) {
       return batch_norm(x[0], Tensor(), Tensor(), Tensor(), Tensor(), {.training = true});
     }},
    {"layer_norm", {{3, 2, 4}, {2, 4}, {2, 4}},
     [](V x) { return layer_norm(x[0], {2, 4}, x[1], x[2]); }},
    {"group_norm", {{2, 4, 3, 2}, {4}, {4}}, [](V x) { return group_norm(x[0], 2, x[1], x[2]); }},
};

class ConvGrad : public ::testing::TestWithParam<GradCase> {};
TEST_P(ConvGrad, Contiguous) { check_gradients(GetParam(), false); }
TEST_P(ConvGrad, NonContiguous) { check_gradients(GetParam(), true); }
INSTANTIATE_TEST_SUITE_P(Ops, ConvGrad, ::testing::ValuesIn(kCases), case_name);

}  // namespace
}  // namespace myelin::testing
