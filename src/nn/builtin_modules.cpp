#include "nn/builtin_modules.hpp"

#include <memory>

#include "myelin/error.hpp"
#include "myelin/nn/activation.hpp"
#include "myelin/nn/attention.hpp"
#include "myelin/nn/dropout.hpp"
#include "myelin/nn/embedding.hpp"
#include "myelin/nn/flatten.hpp"
#include "myelin/nn/last_step.hpp"
#include "myelin/nn/linear.hpp"
#include "myelin/nn/positional.hpp"
#include "myelin/nn/recurrent.hpp"
#include "myelin/nn/rms_norm.hpp"
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
  factories["Sequential"] = make_sequential;
  factories["Embedding"] = [](const ModuleSpec& s, Generator* init) -> ModulePtr {
    return std::make_shared<Embedding>(s.get_int("num_embeddings"), s.get_int("embedding_dim"),
                                       s.get_int("padding_idx", -1), init);
  };
  factories["LastStep"] = [](const ModuleSpec& s, Generator*) -> ModulePtr {
    return std::make_shared<LastStep>(s.get_int("dim", 1));
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
}

}  // namespace myelin::nn
