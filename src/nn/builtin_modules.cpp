#include "nn/builtin_modules.hpp"

#include <memory>

#include "myelin/error.hpp"
#include "myelin/nn/activation.hpp"
#include "myelin/nn/attention.hpp"
#include "myelin/nn/conv.hpp"
#include "myelin/nn/dropout.hpp"
#include "myelin/nn/embedding.hpp"
#include "myelin/nn/flatten.hpp"
#include "myelin/nn/last_step.hpp"
#include "myelin/nn/linear.hpp"
#include "myelin/nn/positional.hpp"
#include "myelin/nn/recurrent.hpp"
#include "myelin/nn/reshape.hpp"
#include "myelin/nn/rms_norm.hpp"
#include "myelin/nn/norm.hpp"
#include "myelin/nn/pool.hpp"
#include "myelin/nn/residual.hpp"
#include "myelin/nn/sequential.hpp"
#include "myelin/nn/transformer.hpp"

namespace myelin::nn {
namespace {

// A factory for a type whose constructor takes no settings.
template <class M>
ModuleFactory plain() {
  return [](const ModuleSpec&, Generator*) -> ModulePtr { return std::make_shared<M>(); };
}

ModulePtr make_sequential(const ModuleSpec& spec, Generator* init) {
  auto seq = std::make_shared<Sequential>();
  for (const auto& [name, child] : spec.children) {
    // The names are the state-dict prefixes, so they must be what push_back gives.
    if (name != std::to_string(seq->size()))
      throw Error("Sequential: child number " + std::to_string(seq->size()) + " is named '" + name +
                  "', expected '" + std::to_string(seq->size()) + "'");
    seq->push_back(build_module(child, init));
  }
  return seq;
}

RecurrentOptions recurrent_options(const ModuleSpec& s) {
  RecurrentOptions o;
  o.num_layers = s.get_int("num_layers", 1);
  o.bias = s.get_bool("bias", true);
  o.batch_first = s.get_bool("batch_first", false);
  o.dropout = s.get_float("dropout", 0.0);
  o.bidirectional = s.get_bool("bidirectional", false);
  return o;
}

ModulePtr make_residual(const ModuleSpec& spec, Generator* init) {
  ModulePtr body, shortcut;
  for (const auto& [name, child] : spec.children) {
    if (name == "body" && !body) body = build_module(child, init);
    else if (name == "shortcut" && !shortcut) shortcut = build_module(child, init);
    else throw Error("Residual: unexpected child '" + name + "' (expected one 'body' and at most one 'shortcut')");
  }
  if (!body) throw Error("Residual: the child 'body' is missing");
  return std::make_shared<Residual>(body, shortcut);
}

// A pair of sizes from a setting written "a" (both axes) or "a,b".
Size2 size2(const ModuleSpec& s, const std::string& key, int64_t fallback) {
  if (!s.attrs.count(key)) return {fallback, fallback};
  const std::vector<int64_t> v = s.get_ints(key);
  if (v.size() == 1) return {v[0], v[0]};
  if (v.size() != 2)
    throw Error(s.type + ": setting '" + key + "' needs 1 or 2 values, got " + std::to_string(v.size()));
  return {v[0], v[1]};
}

ModulePtr make_pool(const ModuleSpec& s, Generator*) {
  const bool cip = s.get_bool("count_include_pad", true);
  if (s.type == "MaxPool1d" || s.type == "AvgPool1d") {
    const int64_t k = s.get_int("kernel_size"), st = s.get_int("stride", 0), p = s.get_int("padding", 0);
    if (s.type == "MaxPool1d") return std::make_shared<MaxPool1d>(k, st, p);
    return std::make_shared<AvgPool1d>(k, st, p, cip);
  }
  s.get_string("kernel_size");  // required
  const Size2 k = size2(s, "kernel_size", 0), st = size2(s, "stride", 0), p = size2(s, "padding", 0);
  if (s.type == "MaxPool2d") return std::make_shared<MaxPool2d>(k, st, p);
  return std::make_shared<AvgPool2d>(k, st, p, cip);
}

ModulePtr make_upsample(const ModuleSpec& s, Generator*) {
  if (s.get_string("mode", "nearest") != "nearest")
    throw Error("Upsample: setting 'mode' must be nearest, got '" + s.get_string("mode") + "'");
  return std::make_shared<Upsample>(size2(s, "scale_factor", 2), size2(s, "size", 0));
}

template <class BN>
ModuleFactory batch_norm_factory() {
  return [](const ModuleSpec& s, Generator*) -> ModulePtr {
    return std::make_shared<BN>(s.get_int("num_features"), s.get_float("eps", 1e-5),
                                s.get_float("momentum", 0.1), s.get_bool("affine", true),
                                s.get_bool("track_running_stats", true));
  };
}

}  // namespace

void register_builtin_modules(std::map<std::string, ModuleFactory>& factories) {
  factories["Linear"] = [](const ModuleSpec& s, Generator* init) -> ModulePtr {
    return std::make_shared<Linear>(s.get_int("in_features"), s.get_int("out_features"),
                                    s.get_bool("bias", true), init);
  };
  factories["ReLU"] = plain<ReLU>();
  factories["Sigmoid"] = plain<Sigmoid>();
  factories["Tanh"] = plain<Tanh>();
  factories["GELU"] = plain<GELU>();
  factories["Identity"] = plain<Identity>();
  factories["LeakyReLU"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    return std::make_shared<LeakyReLU>(s.get_float("negative_slope", 0.01));
  };
  factories["ELU"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    return std::make_shared<ELU>(s.get_float("alpha", 1.0));
  };
  factories["Softplus"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    return std::make_shared<Softplus>(s.get_float("beta", 1.0), s.get_float("threshold", 20.0));
  };
  factories["Softmax"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    return std::make_shared<Softmax>(s.get_int("axis", -1));
  };
  factories["LogSoftmax"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    return std::make_shared<LogSoftmax>(s.get_int("axis", -1));
  };
  // Dropout keeps its generator for the masks, so it gets the default one, not `init`.
  factories["Dropout"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    return std::make_shared<Dropout>(s.get_float("p", 0.5));
  };
  factories["Flatten"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    return std::make_shared<Flatten>(s.get_int("start_dim", 1), s.get_int("end_dim", -1));
  };
  factories["Reshape"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    return std::make_shared<Reshape>(s.get_ints("shape"), s.get_bool("allowzero", false));
  };
  factories["Sequential"] = make_sequential;
  factories["Embedding"] = [](const ModuleSpec& s, Generator* init) -> ModulePtr {
    return std::make_shared<Embedding>(s.get_int("num_embeddings"), s.get_int("embedding_dim"),
                                       s.get_int("padding_idx", -1), init);
  };
  factories["LastStep"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    return std::make_shared<LastStep>(s.get_int("dim", 1), s.get_bool("keepdim", false));
  };
  factories["RNN"] = [](const ModuleSpec& s, Generator* init) -> ModulePtr {
    return std::make_shared<RNN>(s.get_int("input_size"), s.get_int("hidden_size"),
                                 recurrent_options(s), s.get_string("nonlinearity", "tanh"), init);
  };
  factories["LSTM"] = [](const ModuleSpec& s, Generator* init) -> ModulePtr {
    return std::make_shared<LSTM>(s.get_int("input_size"), s.get_int("hidden_size"),
                                  recurrent_options(s), init);
  };
  factories["MultiheadAttention"] = [](const ModuleSpec& s, Generator* init) -> ModulePtr {
    return std::make_shared<MultiheadAttention>(s.get_int("embed_dim"), s.get_int("num_heads"),
                                                s.get_bool("bias", true), s.get_bool("batch_first", false),
                                                s.get_bool("causal", false), init);
  };
  factories["TransformerBlock"] = [](const ModuleSpec& s, Generator* init) -> ModulePtr {
    TransformerBlockOptions o;
    o.num_heads = s.get_int("num_heads", 4);
    o.mlp_hidden = s.get_int("mlp_hidden", 0);
    o.causal = s.get_bool("causal", false);
    o.norm = s.get_string("norm", "RMSNorm");
    return std::make_shared<TransformerBlock>(s.get_int("d_model"), o, init);
  };
  factories["RMSNorm"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    return std::make_shared<RMSNorm>(s.get_int("dim"), s.get_float("eps", 1e-6));
  };
  factories["LearnedPositionalEncoding"] = [](const ModuleSpec& s, Generator* init) -> ModulePtr {
    return std::make_shared<LearnedPositionalEncoding>(s.get_int("max_len"), s.get_int("dim"), init);
  };
  factories["SinusoidalPositionalEncoding"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    return std::make_shared<SinusoidalPositionalEncoding>(s.get_int("max_len"), s.get_int("dim"));
  };
  factories["GRU"] = [](const ModuleSpec& s, Generator* init) -> ModulePtr {
    return std::make_shared<GRU>(s.get_int("input_size"), s.get_int("hidden_size"),
                                 recurrent_options(s), init);
  };
  factories["Residual"] = make_residual;
  for (const char* type : {"Conv1d", "Conv2d", "ConvTranspose2d"}) factories[type] = build_conv;
  for (const char* type : {"MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d"}) factories[type] = make_pool;
  factories["AdaptiveAvgPool2d"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    s.get_string("output_size");  // required
    return std::make_shared<AdaptiveAvgPool2d>(size2(s, "output_size", 1));
  };
  factories["GlobalAvgPool2d"] = plain<GlobalAvgPool2d>();
  factories["Upsample"] = make_upsample;
  factories["BatchNorm1d"] = batch_norm_factory<BatchNorm1d>();
  factories["BatchNorm2d"] = batch_norm_factory<BatchNorm2d>();
  factories["LayerNorm"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    const std::vector<int64_t> shape = s.get_ints("normalized_shape");
    return std::make_shared<LayerNorm>(Shape(shape.begin(), shape.end()), s.get_float("eps", 1e-5),
                                       s.get_bool("elementwise_affine", true));
  };
  factories["GroupNorm"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    return std::make_shared<GroupNorm>(s.get_int("num_groups"), s.get_int("num_channels"),
                                       s.get_float("eps", 1e-5), s.get_bool("affine", true));
  };
}

}  // namespace myelin::nn
