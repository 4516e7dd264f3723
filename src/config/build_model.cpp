// Building a config's model layer by layer, inferring input sizes and checking each layer's
// input shape on a zero batch of one sample, within a memory budget.
#include <algorithm>
#include <array>

#include "config/memory_budget.hpp"
#include "config/suggest.hpp"
#include "myelin/autograd.hpp"
#include "myelin/config/config.hpp"
#include "myelin/error.hpp"
#include "myelin/nn/residual.hpp"
#include "myelin/nn/sequential.hpp"
#include "tensor/allocation_limit.hpp"

namespace myelin::config {
namespace {

// Settings a layer may leave out because they follow from its input: the setting and the
// dimension of the per-sample input it takes (-1: the last; 0: the first, channels).
constexpr std::array<std::pair<const char*, int>, 6> kInferred = {{{"in_features", -1},
                                                                  {"input_size", -1},
                                                                  {"in_channels", 0},
                                                                  {"num_features", 0},
                                                                  {"num_channels", 0},
                                                                  {"normalized_shape", -1}}};

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

// Builds `layers` in order into `into` (each layer's activation after it) from per-sample
// inputs of `shape`, adding each to `budget`; returns the per-sample output shape. `prefix`
// names the list in errors ("layer 3 (Residual), body ").
Shape build_layers(const std::vector<LayerConfig>& layers, Shape shape, Generator* init, nn::Sequential& into,
                   const std::string& prefix, MemoryBudget& budget);

// A Residual layer: body and shortcut built from the block's input; their outputs must agree.
nn::ModulePtr build_residual(const LayerConfig& layer, const Shape& input, Generator* init, const std::string& name,
                             MemoryBudget& budget) {
  if (!layer.spec.attrs.empty())
    throw Error(layer.key_where.at(layer.spec.attrs.begin()->first).str() + ": " + name + ": unknown setting '" +
                layer.spec.attrs.begin()->first + "' (a Residual takes [[...body]] and [[...shortcut]] layers)");
  if (layer.body.empty())
    throw Error(layer.where.str() + ": " + name + " needs its body, e.g.\n  [[model.layers.body]]\n  type = \"Conv2d\"");
  auto body = std::make_shared<nn::Sequential>();
  const Shape body_out = build_layers(layer.body, input, init, *body, name + ", body ", budget);
  std::shared_ptr<nn::Sequential> shortcut;
  Shape shortcut_out = input;
  if (!layer.shortcut.empty()) {
    shortcut = std::make_shared<nn::Sequential>();
    shortcut_out = build_layers(layer.shortcut, input, init, *shortcut, name + ", shortcut ", budget);
  }
  if (body_out != shortcut_out)
    throw Error(layer.where.str() + ": " + name + ": the body gives " + to_string(body_out) + " but the shortcut (" +
                (shortcut ? std::string("its layers") : "the identity, as none is given") + ") gives " +
                to_string(shortcut_out) + "; they are added, so they must agree (a shortcut of a 1x1 Conv2d "
                "with the body's stride and out_channels does)");
  return std::make_shared<nn::Residual>(body, shortcut);
}

// A layer other than Residual, from its settings (`name` in errors), for per-sample inputs of
// `shape`.
nn::ModulePtr build_leaf(const LayerConfig& layer, const Shape& shape, Generator* init, const std::string& name) {
  try {
    return build_inferring(layer.spec, shape, init);
  } catch (const AllocationRefused&) {
    throw;
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
}

// The per-sample output of `m`, layer `i` of a list (`name` in errors), for inputs of `shape`.
Shape checked_output_shape(nn::Module& m, const LayerConfig& layer, const Shape& shape, size_t i,
                           const std::string& name, const std::string& prefix) {
  try {
    return output_shape(m, shape);
  } catch (const AllocationRefused&) {
    throw;
  } catch (const Error& e) {
    throw Error(layer.where.str() + ": " + name + " cannot take inputs of shape " + to_string(shape) +
                " (per sample, from the " + std::string(i > 0 ? "previous layer" : prefix.empty() ? "data" : "block's input") + "): " + e.what());
  }
}

Shape build_layers(const std::vector<LayerConfig>& layers, Shape shape, Generator* init, nn::Sequential& into,
                   const std::string& prefix, MemoryBudget& budget) {
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerConfig& layer = layers[i];
    const std::string name = prefix + "layer " + std::to_string(i + 1) + " (" + layer.spec.type + ")";
    const std::string who = layer.where.str() + ": " + name;
    nn::ModulePtr m;
    Shape out;
    if (layer.spec.type == "Residual") {
      // Its branches' layers are counted one by one; the block adds its sum.
      m = build_residual(layer, shape, init, name, budget);
      out = checked_output_shape(*m, layer, shape, i, name, prefix);
      budget.add_layer(who, 0, numel(out));
    } else {
      // Every buffer the layer and its zero batch allocate counts against what is left, so an
      // oversized layer is refused before its memory is taken.
      try {
        AllocationLimit guard(budget.left(), who + " needs more memory than the limit leaves");
        m = build_leaf(layer, shape, init, name);
        out = checked_output_shape(*m, layer, shape, i, name, prefix);
      } catch (const AllocationRefused& refused) {
        budget.refuse(who, refused.asked, refused.left);
      }
      budget.add_layer(who, m->num_parameters(), numel(out));
    }
    shape = out;
    into.push_back(m);
    if (!layer.activation.empty()) {
      nn::ModuleSpec activation;
      activation.type = layer.activation;
      into.push_back(nn::build_module(activation, init));
    }
  }
  return shape;
}

}  // namespace

nn::ModulePtr build_model(const RunConfig& config, const Shape& input_shape, Generator* init,
                          const ModelLimits& limits) {
  // A batch_size above the training examples makes one batch of all of them.
  const int64_t batch =
      limits.examples > 0 ? std::min(config.train.batch_size, limits.examples) : config.train.batch_size;
  MemoryBudget budget(limits.max_memory_bytes, batch);
  auto model = std::make_shared<nn::Sequential>();
  build_layers(config.model.layers, input_shape, init, *model, "", budget);
  return model;
}

}  // namespace myelin::config
