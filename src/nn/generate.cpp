// Sampling and autoregressive generation.
#include "myelin/nn/generate.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "myelin/autograd.hpp"
#include "myelin/error.hpp"
#include "myelin/nn/incremental.hpp"
#include "myelin/nn/recurrent.hpp"
#include "myelin/random.hpp"

namespace myelin::nn {

int64_t sample_next(const Tensor& logits, const SamplingOptions& o, Generator* gen) {
  if (logits.dim() != 1 || logits.numel() == 0)
    throw Error("sample_next: logits must be a non-empty vector, got " + to_string(logits.shape()));
  if (!(o.temperature >= 0.f) || o.top_k < 0 || !(o.top_p > 0.f && o.top_p <= 1.f))
    throw Error("sample_next: need temperature >= 0, top_k >= 0 and top_p in (0, 1], got " +
                std::to_string(o.temperature) + ", " + std::to_string(o.top_k) + ", " +
                std::to_string(o.top_p));
  const std::vector<float> z = logits.to_vector();
  const int64_t V = static_cast<int64_t>(z.size());
  if (o.temperature == 0.f) return std::max_element(z.begin(), z.end()) - z.begin();

  // Tokens by decreasing logit (stable: ties keep the lower index first).
  std::vector<int64_t> order(V);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return z[a] > z[b]; });
  const int64_t k = o.top_k > 0 ? std::min(o.top_k, V) : V;
  std::vector<double> p(k);
  for (int64_t i = 0; i < k; ++i) p[i] = std::exp((z[order[i]] - z[order[0]]) / o.temperature);
  double total = std::accumulate(p.begin(), p.end(), 0.0);
  // Nucleus: the shortest prefix whose probability reaches top_p.
  int64_t kept = k;
  if (o.top_p < 1.f) {
    double cum = 0.0;
    for (int64_t i = 0; i < k; ++i) {
      cum += p[i] / total;
      if (cum >= o.top_p) {
        kept = i + 1;
        break;
      }
    }
    total = std::accumulate(p.begin(), p.begin() + kept, 0.0);
  }
  Generator& g = gen ? *gen : default_generator();
  const double u = g.uniform() * total;
  double cum = 0.0;
  for (int64_t i = 0; i < kept; ++i) {
    cum += p[i];
    if (u < cum) return order[i];
  }
  return order[kept - 1];
}

namespace {

// Restores a module's training mode on scope exit.
class EvalScope {
 public:
  explicit EvalScope(Module& m) : m_(m), was_training_(m.is_training()) { m.eval(); }
  ~EvalScope() { m_.train(was_training_); }
  EvalScope(const EvalScope&) = delete;
  EvalScope& operator=(const EvalScope&) = delete;

 private:
  Module& m_;
  bool was_training_;
};

Tensor tokens_tensor(const std::vector<int64_t>& tokens, size_t from) {
  std::vector<float> v(tokens.begin() + static_cast<std::ptrdiff_t>(from), tokens.end());
  return Tensor::from_vector(v, {1, static_cast<int64_t>(v.size())});
}

// The logits (V) of the last position of (1, T, V).
Tensor last_logits(const Tensor& y) {
  if (y.dim() != 3 || y.size(0) != 1)
    throw ShapeError("generate: the model must map (1, T) tokens to (1, T, V) logits, got " +
                     to_string(y.shape()));
  return y.select(0, 0).select(0, y.size(1) - 1);
}

}  // namespace

std::vector<int64_t> generate(Sequential& model, const std::vector<int64_t>& prompt,
                              const GenerateOptions& options, Generator* gen) {
  if (prompt.empty()) throw Error("generate: the prompt is empty");
  for (const auto& [name, child] : model.children())
    if (auto* r = dynamic_cast<Recurrent*>(child.get()); r && !r->options().batch_first)
      throw Error("generate: recurrent layer '" + name + "' must be batch_first");
  EvalScope eval(model);
  NoGradGuard no_grad;
  std::vector<int64_t> tokens = prompt;
  std::vector<StepCache> caches(model.size());
  size_t fed = 0;  // tokens already seen by the caches
  for (int64_t n = 0; n < options.max_new_tokens; ++n) {
    Tensor y;
    if (options.use_cache) {
      y = tokens_tensor(tokens, fed);
      for (size_t i = 0; i < model.size(); ++i) {
        auto* inc = dynamic_cast<Incremental*>(&model[i]);
        y = inc ? inc->forward_incremental(y, caches[i]) : model[i](y);
      }
      fed = tokens.size();
    } else {
      const size_t w = options.window > 0 ? static_cast<size_t>(options.window) : tokens.size();
      y = model(tokens_tensor(tokens, tokens.size() - std::min(w, tokens.size())));
    }
    tokens.push_back(sample_next(last_logits(y), options.sampling, gen));
  }
  return {tokens.begin() + static_cast<std::ptrdiff_t>(prompt.size()), tokens.end()};
}

}  // namespace myelin::nn
