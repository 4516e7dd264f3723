// ONNX import checked against the node test cases of Debian's libonnx-testdata: every case
// whose model is one op that the importer reads (scripts/fixtures/onnx_node_cases.py lists
// them) is here, with the outcome expected: a match of the reference outputs, or the error
// that names what myelin does not express. None is skipped.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "myelin/autograd.hpp"
#include "myelin/error.hpp"
#include "myelin/io/onnx.hpp"

namespace myelin {
namespace {

struct NodeCase {
  const char* name;
  const char* error;  // "": imports and matches output_0; else a part of the import error
};

const NodeCase kNodeCases[] = {
    {"test_averagepool_1d_default", ""},  // AveragePool
    {"test_averagepool_2d_ceil", "ceil_mode = 1 is not supported"},  // AveragePool
    {"test_averagepool_2d_default", ""},  // AveragePool
    {"test_averagepool_2d_pads", "AvgPool2d: kernel_size"},  // AveragePool
    {"test_averagepool_2d_pads_count_include_pad", "AvgPool2d: kernel_size"},  // AveragePool
    {"test_averagepool_2d_precomputed_pads", ""},  // AveragePool
    {"test_averagepool_2d_precomputed_pads_count_include_pad", ""},  // AveragePool
    {"test_averagepool_2d_precomputed_same_upper", "auto_pad SAME_UPPER with strides other than 1 is not supported"},  // AveragePool
    {"test_averagepool_2d_precomputed_strides", ""},  // AveragePool
    {"test_averagepool_2d_same_lower", "auto_pad SAME_LOWER pads one side more than the other"},  // AveragePool
    {"test_averagepool_2d_same_upper", "auto_pad SAME_UPPER pads one side more than the other"},  // AveragePool
    {"test_averagepool_2d_strides", ""},  // AveragePool
    {"test_averagepool_3d_default", "only 1-d and 2-d pooling is supported"},  // AveragePool
    {"test_basic_conv_with_padding", ""},  // Conv
    {"test_basic_conv_without_padding", ""},  // Conv
    {"test_batchnorm_epsilon", ""},  // BatchNormalization
    {"test_batchnorm_epsilon_training_mode", "training_mode = 1 is not supported"},  // BatchNormalization
    {"test_batchnorm_example", ""},  // BatchNormalization
    {"test_batchnorm_example_training_mode", "training_mode = 1 is not supported"},  // BatchNormalization
    {"test_cast_BFLOAT16_to_FLOAT", "tensor 'input': element type UINT16 is not supported"},  // Cast
    {"test_cast_DOUBLE_to_FLOAT", "only a Cast to INT64 or INT32 right before a Gather"},  // Cast
    {"test_cast_DOUBLE_to_FLOAT16", "only a Cast to INT64 or INT32 right before a Gather"},  // Cast
    {"test_cast_FLOAT16_to_DOUBLE", "tensor 'input': element type FLOAT16 is not supported"},  // Cast
    {"test_cast_FLOAT16_to_FLOAT", "tensor 'input': element type FLOAT16 is not supported"},  // Cast
    {"test_cast_FLOAT_to_BFLOAT16", "only a Cast to INT64 or INT32 right before a Gather"},  // Cast
    {"test_cast_FLOAT_to_DOUBLE", "only a Cast to INT64 or INT32 right before a Gather"},  // Cast
    {"test_cast_FLOAT_to_FLOAT16", "only a Cast to INT64 or INT32 right before a Gather"},  // Cast
    {"test_cast_FLOAT_to_STRING", "only a Cast to INT64 or INT32 right before a Gather"},  // Cast
    {"test_cast_STRING_to_FLOAT", "tensor 'input': element type STRING is not supported"},  // Cast
    {"test_castlike_BFLOAT16_to_FLOAT_expanded", "tensor 'input': element type UINT16 is not supported"},  // Cast
    {"test_castlike_DOUBLE_to_FLOAT16_expanded", "tensor 'like': element type FLOAT16 is not supported"},  // Cast
    {"test_castlike_DOUBLE_to_FLOAT_expanded", "only a Cast to INT64 or INT32 right before a Gather"},  // Cast
    {"test_castlike_FLOAT16_to_DOUBLE_expanded", "tensor 'input': element type FLOAT16 is not supported"},  // Cast
    {"test_castlike_FLOAT16_to_FLOAT_expanded", "tensor 'input': element type FLOAT16 is not supported"},  // Cast
    {"test_castlike_FLOAT_to_BFLOAT16_expanded", "tensor 'like': element type UINT16 is not supported"},  // Cast
    {"test_castlike_FLOAT_to_DOUBLE_expanded", "only a Cast to INT64 or INT32 right before a Gather"},  // Cast
    {"test_castlike_FLOAT_to_FLOAT16_expanded", "tensor 'like': element type FLOAT16 is not supported"},  // Cast
    {"test_castlike_FLOAT_to_STRING_expanded", "tensor 'like': element type STRING is not supported"},  // Cast
    {"test_castlike_STRING_to_FLOAT_expanded", "tensor 'input': element type STRING is not supported"},  // Cast
    {"test_conv_with_autopad_same", "auto_pad SAME_LOWER with strides other than 1 is not supported"},  // Conv
    {"test_conv_with_strides_and_asymmetric_padding", ""},  // Conv
    {"test_conv_with_strides_no_padding", ""},  // Conv
    {"test_conv_with_strides_padding", ""},  // Conv
    {"test_convtranspose", ""},  // ConvTranspose
    {"test_convtranspose_1d", "only 2-d transposed convolutions are supported"},  // ConvTranspose
    {"test_convtranspose_3d", "weight"},  // ConvTranspose
    {"test_convtranspose_autopad_same", "auto_pad SAME_UPPER is not supported (give explicit pads)"},  // ConvTranspose
    {"test_convtranspose_dilations", ""},  // ConvTranspose
    {"test_convtranspose_kernel_shape", "attribute 'output_shape' is not supported"},  // ConvTranspose
    {"test_convtranspose_output_shape", "attribute 'output_shape' is not supported"},  // ConvTranspose
    {"test_convtranspose_pad", ""},  // ConvTranspose
    {"test_convtranspose_pads", ""},  // ConvTranspose
    {"test_convtranspose_with_kernel", "attribute 'output_shape' is not supported"},  // ConvTranspose
    {"test_dropout_default", ""},  // Dropout
    {"test_dropout_default_mask", ""},  // Dropout
    {"test_dropout_default_mask_ratio", ""},  // Dropout
    {"test_dropout_default_old", ""},  // Dropout
    {"test_dropout_default_ratio", ""},  // Dropout
    {"test_dropout_random_old", ""},  // Dropout
    {"test_elu", ""},  // Elu
    {"test_elu_default", ""},  // Elu
    {"test_elu_example", ""},  // Elu
    {"test_flatten_axis0", "axis 0 (a leading dimension of 1) is not supported"},  // Flatten
    {"test_flatten_axis1", ""},  // Flatten
    {"test_flatten_axis2", ""},  // Flatten
    {"test_flatten_axis3", ""},  // Flatten
    {"test_flatten_default_axis", ""},  // Flatten
    {"test_flatten_negative_axis1", ""},  // Flatten
    {"test_flatten_negative_axis2", ""},  // Flatten
    {"test_flatten_negative_axis3", ""},  // Flatten
    {"test_flatten_negative_axis4", "axis 0 (a leading dimension of 1) is not supported"},  // Flatten
    {"test_gather_0", "input 'data' must be a constant (an initializer), not computed by the graph"},  // Gather
    {"test_gather_1", "only axis 0"},  // Gather
    {"test_gather_2d_indices", "only axis 0"},  // Gather
    {"test_gather_negative_indices", "input 'data' must be a constant (an initializer), not computed by the graph"},  // Gather
    {"test_gemm_all_attributes", "transA = 1 (a transposed input) is not supported"},  // Gemm
    {"test_gemm_alpha", ""},  // Gemm
    {"test_gemm_beta", ""},  // Gemm
    {"test_gemm_default_matrix_bias", "bias C of shape (3, 4) is not a per-output bias of 4"},  // Gemm
    {"test_gemm_default_no_bias", ""},  // Gemm
    {"test_gemm_default_scalar_bias", ""},  // Gemm
    {"test_gemm_default_single_elem_vector_bias", ""},  // Gemm
    {"test_gemm_default_vector_bias", ""},  // Gemm
    {"test_gemm_default_zero_bias", ""},  // Gemm
    {"test_gemm_transposeA", "transA = 1 (a transposed input) is not supported"},  // Gemm
    {"test_gemm_transposeB", ""},  // Gemm
    {"test_globalaveragepool", ""},  // GlobalAveragePool
    {"test_globalaveragepool_precomputed", ""},  // GlobalAveragePool
    {"test_gru_batchwise", "linear_before_reset must be 1"},  // GRU
    {"test_gru_defaults", "linear_before_reset must be 1"},  // GRU
    {"test_gru_seq_length", "linear_before_reset must be 1"},  // GRU
    {"test_gru_with_initial_bias", "linear_before_reset must be 1"},  // GRU
    {"test_identity", ""},  // Identity
    {"test_identity_opt", "too many elements"},  // Identity
    {"test_identity_sequence", "shape (120,) needs 120 elements, the data holds 0"},  // Identity
    {"test_layer_normalization_2d_axis0", ""},  // LayerNormalization
    {"test_layer_normalization_2d_axis1", ""},  // LayerNormalization
    {"test_layer_normalization_2d_axis_negative_1", ""},  // LayerNormalization
    {"test_layer_normalization_2d_axis_negative_2", ""},  // LayerNormalization
    {"test_layer_normalization_3d_axis0_epsilon", ""},  // LayerNormalization
    {"test_layer_normalization_3d_axis1_epsilon", ""},  // LayerNormalization
    {"test_layer_normalization_3d_axis2_epsilon", ""},  // LayerNormalization
    {"test_layer_normalization_3d_axis_negative_1_epsilon", ""},  // LayerNormalization
    {"test_layer_normalization_3d_axis_negative_2_epsilon", ""},  // LayerNormalization
    {"test_layer_normalization_3d_axis_negative_3_epsilon", ""},  // LayerNormalization
    {"test_layer_normalization_4d_axis0", ""},  // LayerNormalization
    {"test_layer_normalization_4d_axis1", ""},  // LayerNormalization
    {"test_layer_normalization_4d_axis2", ""},  // LayerNormalization
    {"test_layer_normalization_4d_axis3", ""},  // LayerNormalization
    {"test_layer_normalization_4d_axis_negative_1", ""},  // LayerNormalization
    {"test_layer_normalization_4d_axis_negative_2", ""},  // LayerNormalization
    {"test_layer_normalization_4d_axis_negative_3", ""},  // LayerNormalization
    {"test_layer_normalization_4d_axis_negative_4", ""},  // LayerNormalization
    {"test_layer_normalization_default_axis", ""},  // LayerNormalization
    {"test_leakyrelu", ""},  // LeakyRelu
    {"test_leakyrelu_default", ""},  // LeakyRelu
    {"test_leakyrelu_example", ""},  // LeakyRelu
    {"test_logsoftmax_axis_0", ""},  // LogSoftmax
    {"test_logsoftmax_axis_1", ""},  // LogSoftmax
    {"test_logsoftmax_axis_2", ""},  // LogSoftmax
    {"test_logsoftmax_default_axis", ""},  // LogSoftmax
    {"test_logsoftmax_example_1", ""},  // LogSoftmax
    {"test_logsoftmax_large_number", ""},  // LogSoftmax
    {"test_logsoftmax_negative_axis", ""},  // LogSoftmax
    {"test_lstm_batchwise", "graph output 'Y' is not the end of the node chain ('Y_h')"},  // LSTM
    {"test_lstm_defaults", ""},  // LSTM
    {"test_lstm_with_initial_bias", ""},  // LSTM
    {"test_lstm_with_peepholes", "input 4"},  // LSTM
    {"test_matmul_2d", ""},  // MatMul
    {"test_matmul_3d", "B must be a constant matrix, got (2, 4, 3)"},  // MatMul
    {"test_matmul_4d", "B must be a constant matrix, got (1, 2, 4, 3)"},  // MatMul
    {"test_maxpool_1d_default", ""},  // MaxPool
    {"test_maxpool_2d_ceil", "ceil_mode = 1 is not supported"},  // MaxPool
    {"test_maxpool_2d_default", ""},  // MaxPool
    {"test_maxpool_2d_dilations", "dilations other than 1 are not supported"},  // MaxPool
    {"test_maxpool_2d_pads", "MaxPool2d: kernel_size"},  // MaxPool
    {"test_maxpool_2d_precomputed_pads", ""},  // MaxPool
    {"test_maxpool_2d_precomputed_same_upper", "auto_pad SAME_UPPER with strides other than 1 is not supported"},  // MaxPool
    {"test_maxpool_2d_precomputed_strides", ""},  // MaxPool
    {"test_maxpool_2d_same_lower", "auto_pad SAME_LOWER pads one side more than the other"},  // MaxPool
    {"test_maxpool_2d_same_upper", "auto_pad SAME_UPPER pads one side more than the other"},  // MaxPool
    {"test_maxpool_2d_strides", ""},  // MaxPool
    {"test_maxpool_2d_uint8", ""},  // MaxPool
    {"test_maxpool_3d_default", "only 1-d and 2-d pooling is supported"},  // MaxPool
    {"test_maxpool_with_argmax_2d_precomputed_pads", ""},  // MaxPool
    {"test_maxpool_with_argmax_2d_precomputed_strides", "storage_order = 1 is not supported"},  // MaxPool
    {"test_relu", ""},  // Relu
    {"test_reshape_allowzero_reordered", ""},  // Reshape
    {"test_reshape_extended_dims", ""},  // Reshape
    {"test_reshape_negative_dim", ""},  // Reshape
    {"test_reshape_negative_extended_dims", ""},  // Reshape
    {"test_reshape_one_dim", ""},  // Reshape
    {"test_reshape_reduced_dims", ""},  // Reshape
    {"test_reshape_reordered_all_dims", ""},  // Reshape
    {"test_reshape_reordered_last_dims", ""},  // Reshape
    {"test_reshape_zero_and_negative_dim", ""},  // Reshape
    {"test_reshape_zero_dim", ""},  // Reshape
    {"test_resize_downsample_scales_cubic", "mode cubic is not supported"},  // Resize
    {"test_resize_downsample_scales_cubic_A_n0p5_exclude_outside", "mode cubic is not supported"},  // Resize
    {"test_resize_downsample_scales_cubic_align_corners", "mode cubic is not supported"},  // Resize
    {"test_resize_downsample_scales_linear", "mode linear is not supported"},  // Resize
    {"test_resize_downsample_scales_linear_align_corners", "mode linear is not supported"},  // Resize
    {"test_resize_downsample_scales_nearest", "must be (1, 1, sh, sw) with whole sh, sw >= 1"},  // Resize
    {"test_resize_downsample_sizes_cubic", "mode cubic is not supported"},  // Resize
    {"test_resize_downsample_sizes_linear_pytorch_half_pixel", "mode linear is not supported"},  // Resize
    {"test_resize_downsample_sizes_nearest", "sizes are not supported (give constant scales)"},  // Resize
    {"test_resize_tf_crop_and_resize", "mode linear is not supported"},  // Resize
    {"test_resize_upsample_scales_cubic", "mode cubic is not supported"},  // Resize
    {"test_resize_upsample_scales_cubic_A_n0p5_exclude_outside", "mode cubic is not supported"},  // Resize
    {"test_resize_upsample_scales_cubic_align_corners", "mode cubic is not supported"},  // Resize
    {"test_resize_upsample_scales_cubic_asymmetric", "mode cubic is not supported"},  // Resize
    {"test_resize_upsample_scales_linear", "mode linear is not supported"},  // Resize
    {"test_resize_upsample_scales_linear_align_corners", "mode linear is not supported"},  // Resize
    {"test_resize_upsample_scales_nearest", ""},  // Resize
    {"test_resize_upsample_sizes_cubic", "mode cubic is not supported"},  // Resize
    {"test_resize_upsample_sizes_nearest", "sizes are not supported (give constant scales)"},  // Resize
    {"test_resize_upsample_sizes_nearest_ceil_half_pixel", "coordinate_transformation_mode half_pixel with nearest_mode ceil is not supported"},  // Resize
    {"test_resize_upsample_sizes_nearest_floor_align_corners", "coordinate_transformation_mode align_corners with nearest_mode floor is not supported"},  // Resize
    {"test_resize_upsample_sizes_nearest_round_prefer_ceil_asymmetric", "coordinate_transformation_mode asymmetric with nearest_mode round_prefer_ceil is not supported"},  // Resize
    {"test_rnn_seq_length", ""},  // RNN
    {"test_sigmoid", ""},  // Sigmoid
    {"test_sigmoid_example", ""},  // Sigmoid
    {"test_simple_rnn_batchwise", "graph output 'Y' is not the end of the node chain ('Y_h')"},  // RNN
    {"test_simple_rnn_defaults", ""},  // RNN
    {"test_simple_rnn_with_initial_bias", ""},  // RNN
    {"test_softmax_axis_0", ""},  // Softmax
    {"test_softmax_axis_1", ""},  // Softmax
    {"test_softmax_axis_2", ""},  // Softmax
    {"test_softmax_default_axis", ""},  // Softmax
    {"test_softmax_example", ""},  // Softmax
    {"test_softmax_large_number", ""},  // Softmax
    {"test_softmax_negative_axis", ""},  // Softmax
    {"test_softplus", ""},  // Softplus
    {"test_softplus_example", ""},  // Softplus
    {"test_tanh", ""},  // Tanh
    {"test_tanh_example", ""},  // Tanh
    {"test_training_dropout", "training_mode must be false"},  // Dropout
    {"test_training_dropout_default", "training_mode must be false"},  // Dropout
    {"test_training_dropout_default_mask", "training_mode must be false"},  // Dropout
    {"test_training_dropout_mask", "training_mode must be false"},  // Dropout
    {"test_training_dropout_zero_ratio", "training_mode must be false"},  // Dropout
    {"test_training_dropout_zero_ratio_mask", "training_mode must be false"},  // Dropout
};

const std::string kNodeDir = MYELIN_ONNX_NODE_DIR;

class OnnxNodeCase : public ::testing::TestWithParam<NodeCase> {};

// gtest prints a failing case by its name.
void PrintTo(const NodeCase& c, std::ostream* os) { *os << c.name; }

// Runs test_data_set_0: input_0 is the data, the other inputs are bound as the weights.
TEST_P(OnnxNodeCase, MatchesTheReferenceOrNamesWhatIsUnsupported) {
  const NodeCase& c = GetParam();
  const std::string dir = kNodeDir + "/" + c.name;
  ASSERT_TRUE(std::filesystem::exists(dir + "/model.onnx")) << dir << ": run scripts/setup (libonnx-testdata)";
  const std::string data = dir + "/test_data_set_0/";
  Tensor x;
  io::ImportedModel imported;
  try {
    x = io::load_onnx_tensor(data + "input_0.pb").second;
    std::map<std::string, Tensor> bound;
    for (int i = 1; std::filesystem::exists(data + "input_" + std::to_string(i) + ".pb"); ++i)
      bound.insert(io::load_onnx_tensor(data + "input_" + std::to_string(i) + ".pb"));
    imported = io::import_onnx(dir + "/model.onnx", bound);
  } catch (const Error& e) {
    EXPECT_NE(std::string(c.error), "") << "import failed: " << e.what();
    EXPECT_NE(std::string(e.what()).find(c.error), std::string::npos) << e.what();
    return;
  }
  ASSERT_EQ(std::string(c.error), "") << "imported, but the table expects an error";
  const Tensor want = io::load_onnx_tensor(data + "output_0.pb").second;
  NoGradGuard no_grad;
  const Tensor got = (*imported.module)(x).contiguous();
  ASSERT_EQ(got.shape(), want.shape());
  for (int64_t i = 0; i < want.numel(); ++i)
    ASSERT_NEAR(got.data()[i], want.data()[i], 1e-4 + 1e-3 * std::abs(want.data()[i])) << "element " << i;
}

INSTANTIATE_TEST_SUITE_P(LibonnxTestdata, OnnxNodeCase, ::testing::ValuesIn(kNodeCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace myelin
