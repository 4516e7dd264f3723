// Building a config's model layer by layer, inferring input sizes and checking each layer's
// input shape on a zero batch of one sample.
#include <array>

#include "config/suggest.hpp"
#include "myelin/autograd.hpp"
#include "myelin/config/config.hpp"
#include "myelin/error.hpp"
#include "myelin/nn/sequential.hpp"

namespace myelin::config {
namespace {

// Settings a layer may leave out because they follow from its input: the setting and the
// dimension of the per-sample input it takes (-1: the last; 0: the first, channels).
constexpr std::array<std::pair<const char*, int>, 4> kInferred = {
    {{"in_features", -1}, {"input_size", -1}, {"in_channels", 0}, {"num_features", 0}}};

// The setting named in a build_module error ("...: setting 'k' ..." or "unknown setting 'k'").
std::string setting_in(const std::string& message) {
  const std::string mark = "setting '";
  const size_t at = message.find(mark);
  if (at == std::string::npos) return "";
  const size_t begin = at + mark.size(), end = message.find('\'', begin);
  return end == std::string::npos ? "" : message.substr(begin, end - begin);
}

// Builds `spec`, filling in an inferable setting the factory asks for from `input` (one at a
// time, as the factory reports them).
nn::ModulePtr build_inferring(nn::ModuleSpec spec, const Shape& input, Generator* init) {
  for (size_t tries = 0;; ++tries) {
    try {
      return nn::build_module(spec, init);
    } catch (const Error& e) {
      const std::string key = setting_in(e.what());
      const std::string required = "setting '" + key + "' is required";
      if (tries == kInferred.size() || std::string(e.what()).find(required) == std::string::npos) throw;
      bool inferred = false;
      for (const auto& [name, dim] : kInferred) {
        if (key != name || input.empty()) continue;
        spec.set(key, dim < 0 ? input.back() : input.front());
        inferred = true;
      }
      if (!inferred) throw;
    }
  }
}

// The per-sample output shape of `m` for a per-sample `input`, from a zero batch of one.
Shape output_shape(nn::Module& m, const Shape& input) {
  NoGradGuard no_grad;
  m.eval();
  Shape batch = {1};
  batch.insert(batch.end(), input.begin(), input.end());
  const Tensor y = m(Tensor::zeros(batch));
  m.train();
  Shape out = y.shape();
  if (!out.empty()) out.erase(out.begin());
  return out;
}

}  // namespace

nn::ModulePtr build_model(const RunConfig& config, const Shape& input_shape, Generator* init) {
  auto model = std::make_shared<nn::Sequential>();
  Shape shape = input_shape;
  for (size_t i = 0; i < config.model.layers.size(); ++i) {
    const LayerConfig& layer = config.model.layers[i];
    const std::string name = "layer " + std::to_string(i + 1) + " (" + layer.spec.type + ")";
    nn::ModulePtr m;
    try {
      m = build_inferring(layer.spec, shape, init);
    } catch (const Error& e) {
      auto key = layer.key_where.find(setting_in(e.what()));
      const Location& where = key == layer.key_where.end() ? layer.where : key->second;
      std::string hint;
      if (std::string(e.what()).rfind("unknown layer type", 0) == 0) {
        const std::string guess = nearest(layer.spec.type, nn::module_types());
        if (!guess.empty()) hint = " (did you mean '" + guess + "'?)";
      }
      throw Error(where.str() + ": " + name + ": " + e.what() + hint);
    }
    try {
      shape = output_shape(*m, shape);
    } catch (const Error& e) {
      throw Error(layer.where.str() + ": " + name + " cannot take inputs of shape " + to_string(shape) +
                  " (per sample, from the " + (i == 0 ? std::string("data") : "previous layer") + "): " + e.what());
    }
    model->push_back(m);
    if (!layer.activation.empty()) {
      nn::ModuleSpec activation;
      activation.type = layer.activation;
      model->push_back(nn::build_module(activation, init));
    }
  }
  return model;
}

}  // namespace myelin::config
