#include "nn/builtin_modules.hpp"

#include <memory>

#include "myelin/error.hpp"
#include "myelin/nn/activation.hpp"
#include "myelin/nn/dropout.hpp"
#include "myelin/nn/flatten.hpp"
#include "myelin/nn/linear.hpp"
#include "myelin/nn/sequential.hpp"

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
}

}  // namespace myelin::nn
