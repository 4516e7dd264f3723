// A property of config checking and model building: any config, however odd its layers and
// settings, gives a model or a myelin::Error; never a crash, a runaway allocation or another
// exception type. Checked on random small configs drawn from a fixed seed (so a failure
// reproduces), mixing sensible values with hostile ones (0, negatives, 2^31, 2^63 - 1, 1e10).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "myelin/config/config.hpp"
#include "myelin/error.hpp"
#include "myelin/random.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::TempDir;

// What a setting takes, so that most drawn values are of the right kind.
enum class Takes { Int, Pair, Bool, Fraction, Shape, Padding, Nonlinearity };

// A setting of a layer type; a required one is left out only now and then.
struct Setting {
  const char* name;
  Takes takes;
  bool required = false;
};

// A layer type and the settings a config may give it.
struct LayerKind {
  const char* type;
  std::vector<Setting> settings;
};

const std::vector<LayerKind>& layer_kinds() {
  using enum Takes;
  static const std::vector<LayerKind> kinds = {
      {"Linear", {{"units", Int, true}, {"bias", Bool}}},
      {"Conv1d", {{"out_channels", Int, true}, {"kernel_size", Int, true}, {"stride", Int}, {"padding", Padding},
                  {"dilation", Int}, {"groups", Int}}},
      {"Conv2d", {{"out_channels", Int, true}, {"kernel_size", Pair, true}, {"stride", Pair}, {"padding", Padding},
                  {"dilation", Pair}, {"groups", Int}}},
      {"ConvTranspose2d", {{"out_channels", Int, true}, {"kernel_size", Pair, true}, {"stride", Pair},
                           {"padding", Pair}, {"output_padding", Pair}, {"dilation", Pair}}},
      {"MaxPool1d", {{"kernel_size", Int, true}, {"stride", Int}, {"padding", Int}}},
      {"MaxPool2d", {{"kernel_size", Pair, true}, {"stride", Pair}, {"padding", Pair}}},
      {"AvgPool2d", {{"kernel_size", Pair, true}, {"stride", Pair}, {"padding", Pair}, {"count_include_pad", Bool}}},
      {"AdaptiveAvgPool2d", {{"output_size", Pair, true}}},
      {"GlobalAvgPool2d", {}},
      {"Upsample", {{"scale_factor", Pair}}},
      {"BatchNorm1d", {{"eps", Fraction}, {"momentum", Fraction}}},
      {"BatchNorm2d", {{"affine", Bool}}},
      {"LayerNorm", {{"eps", Fraction}}},
      {"GroupNorm", {{"num_groups", Int, true}}},
      {"RMSNorm", {{"dim", Int, true}}},
      {"Flatten", {{"start_dim", Int}, {"end_dim", Int}}},
      {"Reshape", {{"shape", Shape, true}}},
      {"Dropout", {{"p", Fraction}}},
      {"Embedding", {{"num_embeddings", Int, true}, {"embedding_dim", Int, true}, {"padding_idx", Int}}},
      {"LSTM", {{"hidden_size", Int, true}, {"num_layers", Int}, {"batch_first", Bool}, {"bidirectional", Bool}}},
      {"GRU", {{"hidden_size", Int, true}, {"batch_first", Bool}}},
      {"RNN", {{"hidden_size", Int, true}, {"nonlinearity", Nonlinearity}, {"batch_first", Bool}}},
      {"LastStep", {{"dim", Int}}},
      {"MultiheadAttention", {{"embed_dim", Int, true}, {"num_heads", Int, true}, {"batch_first", Bool}, {"causal", Bool}}},
      {"TransformerBlock", {{"d_model", Int, true}, {"num_heads", Int}, {"mlp_hidden", Int}, {"causal", Bool}}},
      {"LearnedPositionalEncoding", {{"max_len", Int, true}, {"dim", Int, true}}},
      {"SinusoidalPositionalEncoding", {{"max_len", Int, true}, {"dim", Int, true}}},
      {"Softmax", {{"axis", Int}}},
      {"ReLU", {}},
      {"Residual", {}},
  };
  return kinds;
}

// RandomConfig: draws configs from one seeded generator.
class RandomConfig {
 public:
  explicit RandomConfig(uint64_t seed) : rng_(seed) {}

  // A whole config: [data] (not read), [model] with an input shape and 1 to 3 layers, and
  // sometimes a [train] batch size.
  std::string config() {
    std::string text = "[data]\nsource = \"csv\"\ntrain = \"t.csv\"\nlabel = \"y\"\n\n[model]\ninput_shape = [";
    const int rank = pick(1, 4);
    for (int i = 0; i < rank; ++i) text += (i ? ", " : "") + std::to_string(pick_of<int64_t>({1, 2, 3, 5, 8, 16}));
    text += "]\n";
    const int layers = pick(1, 3);
    for (int i = 0; i < layers; ++i) text += layer("model.layers", 0);
    if (pick(0, 3) == 0) text += "[train]\nbatch_size = " + integer() + "\n";
    return text;
  }

 private:
  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  bool one_in(int n) { return pick(1, n) == 1; }
  template <class T>
  T pick_of(std::initializer_list<T> values) {
    return *(values.begin() + pick(0, static_cast<int>(values.size()) - 1));
  }

  // Mostly a size a layer could take; one time in eight an edge or a hostile one.
  std::string integer() {
    if (!one_in(8)) return std::to_string(pick_of<int64_t>({1, 1, 2, 2, 3, 4, 8, 16}));
    return pick_of<std::string>({"0", "-1", "64", "300", "-9223372036854775807", "2147483648", "2147483647",
                                 "4611686018427387904", "9223372036854775807", "1e9", "1e10", "1e300", "0.5"});
  }

  // A value of the kind `takes`; one time in eight a value of any kind.
  std::string value(Takes takes) {
    if (one_in(8)) takes = static_cast<Takes>(pick(0, 6));
    switch (takes) {
      case Takes::Int: return integer();
      case Takes::Pair: return one_in(2) ? integer() : "[" + integer() + ", " + integer() + "]";
      case Takes::Bool: return pick_of<std::string>({"true", "false"});
      case Takes::Fraction: return pick_of<std::string>({"0.1", "0.5", "1e-5", "0", "1", "-0.5", "nan", "inf"});
      case Takes::Shape: return pick_of<std::string>({"[-1]", "[0]", "[2, -1]", "[-1, 2, 2]", "[]", "[1, 2, 3]"});
      case Takes::Padding: return one_in(3) ? "\"same\"" : integer();
      case Takes::Nonlinearity: return pick_of<std::string>({"\"tanh\"", "\"relu\"", "\"x\""});
    }
    return "";
  }

  // One [[table]] layer entry of `table` (a Residual nests body layers, at most two deep).
  std::string layer(const std::string& table, int depth) {
    const LayerKind& kind = layer_kinds()[static_cast<size_t>(pick(0, static_cast<int>(layer_kinds().size()) - 1))];
    std::string text = "[[" + table + "]]\ntype = \"" + kind.type + "\"\n";
    if (std::string(kind.type) == "Residual") {
      if (depth >= 2) return text;  // a Residual without a body: an error to report
      const int body = pick(1, 2);
      for (int i = 0; i < body; ++i) text += layer(table + ".body", depth + 1);
      return text;
    }
    for (const Setting& setting : kind.settings)
      if (setting.required ? !one_in(16) : one_in(2)) text += std::string(setting.name) + " = " + value(setting.takes) + "\n";
    if (one_in(5)) text += "activation = \"" + pick_of<std::string>({"relu", "softmax", "gelu"}) + "\"\n";
    return text;
  }

  std::mt19937_64 rng_;
};

TEST(ConfigProperty, RandomConfigsGiveAModelOrAnErrorNeverACrash) {
  TempDir dir;
  RandomConfig random(20261204);
  int models = 0, errors = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string text = random.config();
    const std::string path = dir.write("c.toml", text);
    try {
      const config::RunConfig c = config::load_config(path);
      Generator init(1);
      config::build_model(c, Shape(c.model.input_shape.begin(), c.model.input_shape.end()), &init,
                          {.max_memory_bytes = uint64_t{64} << 20});
      ++models;
    } catch (const Error&) {
      ++errors;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "config " << i << " threw " << typeid(e).name() << " (not a myelin::Error): " << e.what()
                    << "\n" << text;
    }
  }
  // Both outcomes are common, so the property was tested on each.
  EXPECT_GT(models, 100);
  EXPECT_GT(errors, 100);
}

}  // namespace
}  // namespace myelin
