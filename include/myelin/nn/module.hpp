#pragma once
// Module: the building block of networks, built at run time.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin {
class Generator;
}

namespace myelin::nn {

/// ModuleSpec: a module's architecture as plain data — its type name, its settings as text, and
/// its children in order. It is what a model file stores in its metadata and what the config
/// builder produces; `build_module(spec)` makes the module back (with fresh weights).
struct ModuleSpec {
  std::string type;                          // "Linear", "Sequential", "ReLU", ...
  std::map<std::string, std::string> attrs;  // e.g. {"in_features", "784"}
  std::vector<std::pair<std::string, ModuleSpec>> children;  // (name, spec), in order

  // Defined out of line: inline, clang 14 with libstdc++ 12 cannot instantiate them for a type
  // that holds itself in a vector of pairs.
  ModuleSpec();
  ModuleSpec(std::string type, std::map<std::string, std::string> attrs = {},
             std::vector<std::pair<std::string, ModuleSpec>> children = {});
  ModuleSpec(const ModuleSpec&);
  ModuleSpec(ModuleSpec&&) noexcept;
  ModuleSpec& operator=(const ModuleSpec&);
  ModuleSpec& operator=(ModuleSpec&&) noexcept;
  ~ModuleSpec();

  /// The largest magnitude of an integer setting (2^31): far above any real layer's units,
  /// channels, kernel or positions, and small enough that the product of two settings fits int64.
  static constexpr int64_t kMaxIntSetting = int64_t{1} << 31;

  /// Typed reads; a missing key without a default, or a value that does not parse, throws
  /// Error naming the module type and the key. Integers (get_int, get_ints) must lie within
  /// +-kMaxIntSetting, else Error "Type: setting 'key' must be between ...".
  int64_t get_int(const std::string& key) const;
  int64_t get_int(const std::string& key, int64_t fallback) const;
  double get_float(const std::string& key) const;
  double get_float(const std::string& key, double fallback) const;
  bool get_bool(const std::string& key, bool fallback) const;
  std::string get_string(const std::string& key) const;
  std::string get_string(const std::string& key, const std::string& fallback) const;
  /// A list of integers written "a,b,c".
  std::vector<int64_t> get_ints(const std::string& key) const;
  void set(const std::string& key, int64_t v);
  void set(const std::string& key, double v);
  void set(const std::string& key, bool v);
  void set(const std::string& key, const std::string& v);
  void set(const std::string& key, const char* v) { set(key, std::string(v)); }
  void set(const std::string& key, const std::vector<int64_t>& v);
};

/// Module: a layer or a network of layers, with named parameters (trained) and buffers (state
/// such as running statistics), and child modules. Names follow PyTorch's state-dict names
/// ("0.weight", "encoder.lstm.weight_ih_l0"), so weights move between myelin and PyTorch.
///
/// A subclass registers its tensors and children in its constructor, implements forward(),
/// type_name() and describe() (all its settings), and is listed in the registry
/// (nn/builtin_modules.cpp) so that models load from a file.
class Module {
 public:
  virtual ~Module() = default;
  Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  virtual Tensor forward(const Tensor& x) = 0;
  /// forward(x), then reported to this thread's forward hook if one is set (ScopedForwardHook).
  /// Containers call their children this way, so hooks see every layer.
  Tensor operator()(const Tensor& x);

  /// The registered type, e.g. "Linear".
  virtual std::string type_name() const = 0;
  /// The architecture: type, settings and children (recursively).
  ModuleSpec spec() const;
  /// One line of settings for summaries, e.g. "in_features=784, out_features=512, bias=true".
  virtual std::string extra_repr() const { return ""; }
  /// Floating-point operations of one forward pass from `input` to `output` (shapes as run),
  /// a multiply-add counting 2; 0 for layers whose cost is negligible (elementwise).
  /// Used by summary() to report FLOPs per sample.
  virtual int64_t flops(const Shape& input, const Shape& output) const {
    (void)input, (void)output;
    return 0;
  }

  /// Parameters of this module and its children, with dotted names, in registration order.
  std::vector<std::pair<std::string, Tensor>> named_parameters() const;
  std::vector<Tensor> parameters() const;
  std::vector<std::pair<std::string, Tensor>> named_buffers() const;
  /// Parameters and buffers together, as PyTorch's state_dict().
  std::vector<std::pair<std::string, Tensor>> state_dict() const;
  /// Copies values into this module's tensors (in place). With `strict`, a missing or unexpected
  /// name, or a shape mismatch, throws Error naming the tensor.
  void load_state_dict(const std::map<std::string, Tensor>& state, bool strict = true);
  int64_t num_parameters() const;

  /// Training mode (dropout active, batch statistics) or evaluation mode; recursive.
  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }
  /// Resets the gradients of all parameters.
  void zero_grad();

  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& children() const {
    return children_;
  }

 protected:
  /// Marks `t` as a trained parameter (requires_grad) named `name`; returns it.
  Tensor register_parameter(const std::string& name, Tensor t);
  Tensor register_buffer(const std::string& name, Tensor t);
  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> m) {
    children_.emplace_back(name, m);
    return m;
  }
  /// Writes this module's own settings (not children) into `spec.attrs`.
  virtual void describe(ModuleSpec& spec) const { (void)spec; }

 private:
  void collect(const std::string& prefix, bool params, bool buffers,
               std::vector<std::pair<std::string, Tensor>>& out) const;
  std::vector<std::pair<std::string, Tensor>> params_;
  std::vector<std::pair<std::string, Tensor>> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

using ModulePtr = std::shared_ptr<Module>;

/// Called after a module's forward with the module, its input and its output.
using ForwardHook = std::function<void(const Module&, const Tensor& input, const Tensor& output)>;

/// ScopedForwardHook: while alive, every Module::operator() on this thread reports to `hook`
/// (inner layers before the container that called them). A nested scope replaces the hook
/// until it ends. Used by summary() to see each layer's output shape.
class ScopedForwardHook {
 public:
  explicit ScopedForwardHook(ForwardHook hook);
  ~ScopedForwardHook();
  ScopedForwardHook(const ScopedForwardHook&) = delete;
  ScopedForwardHook& operator=(const ScopedForwardHook&) = delete;

 private:
  ForwardHook hook_;
  const ForwardHook* previous_;
};

/// True while something watches each layer's call on this thread (a ScopedForwardHook, or
/// anomaly detection naming layers): containers then call every child through operator()
/// instead of running neighbours as one fused op.
bool layer_calls_observed();

/// Makes a module (with freshly initialised weights drawn from `init`, the default generator
/// when null) from its spec. `init` is used only while building. Unknown types, unknown settings
/// and bad values throw Error naming the type and key.
ModulePtr build_module(const ModuleSpec& spec, Generator* init = nullptr);

/// Adds a module type to the registry (the built-in types are always present).
/// A factory builds children with build_module(child, init) and passes `init` only to
/// weight initialisation (never keeps it: it may not outlive the call).
using ModuleFactory = std::function<ModulePtr(const ModuleSpec&, Generator* init)>;
void register_module_type(const std::string& type, ModuleFactory factory);

/// The names of all registered module types, sorted.
std::vector<std::string> module_types();

}  // namespace myelin::nn
