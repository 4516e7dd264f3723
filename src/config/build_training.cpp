// The optimizer, schedule, loss and metrics of a config.
#include "myelin/config/config.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "myelin/optim/adagrad.hpp"
#include "myelin/optim/adam.hpp"
#include "myelin/optim/rmsprop.hpp"
#include "myelin/optim/sgd.hpp"

namespace myelin::config {

namespace {
// A visitor made of one lambda per alternative.
template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
// Spelled out for clang 14, which lacks C++20's deduction for aggregates.
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// Whether a smaller score is better (losses and errors).
bool minimizes(const std::string& monitor) {
  for (const char* suffix : {"loss", "mae", "rmse"}) {
    const std::string s = suffix;
    if (monitor.size() >= s.size() && monitor.compare(monitor.size() - s.size(), s.size(), s) == 0) return true;
  }
  return false;
}
}  // namespace

std::shared_ptr<optim::Optimizer> build_optimizer(const OptimizerConfig& c, std::vector<Tensor> parameters) {
  using Made = std::shared_ptr<optim::Optimizer>;
  try {
    return std::visit(
        Overloaded{
            [&](const optim::SGDOptions& o) -> Made { return std::make_shared<optim::SGD>(std::move(parameters), o); },
            [&](const optim::AdamOptions& o) -> Made {
              if (c.type == "adamw") return std::make_shared<optim::AdamW>(std::move(parameters), o);
              return std::make_shared<optim::Adam>(std::move(parameters), o);
            },
            [&](const optim::RMSpropOptions& o) -> Made { return std::make_shared<optim::RMSprop>(std::move(parameters), o); },
            [&](const optim::AdagradOptions& o) -> Made { return std::make_shared<optim::Adagrad>(std::move(parameters), o); }},
        c.options);
  } catch (const Error& e) {
    throw Error(c.where.str() + ": [optimizer]: " + e.what());
  }
}

std::shared_ptr<optim::Schedule> build_schedule(const ScheduleConfig& c, optim::Optimizer& optimizer, int64_t epochs) {
  auto s = [&](const char* key) { return c.settings.at(key); };
  auto i = [&](const char* key) { return static_cast<int64_t>(s(key)); };
  try {
    if (c.type == "step") return std::make_shared<optim::StepLR>(optimizer, i("step_size"), s("gamma"));
    if (c.type == "exponential") return std::make_shared<optim::ExponentialLR>(optimizer, s("gamma"));
    if (c.type == "cosine") {
      if (i("warmup_epochs") >= epochs)
        throw Error("warmup_epochs (" + std::to_string(i("warmup_epochs")) + ") must be fewer than train.epochs (" +
                    std::to_string(epochs) + ")");
      return std::make_shared<optim::CosineWithWarmup>(optimizer, i("warmup_epochs"), epochs, s("min_lr"));
    }
    if (c.type == "plateau")
      return std::make_shared<optim::ReduceLROnPlateau>(
          optimizer, optim::PlateauOptions{.mode = minimizes(c.monitor) ? optim::PlateauMode::Min : optim::PlateauMode::Max,
                                           .factor = s("factor"), .patience = i("patience"), .threshold = s("threshold"),
                                           .cooldown = i("cooldown"), .min_lr = s("min_lr")});
  } catch (const Error& e) {
    throw Error(c.where.str() + ": [schedule]: " + e.what());
  }
  return nullptr;
}

train::LossFn build_loss(const LossConfig& c) {
  auto tensor = [](const std::vector<double>& v) {
    if (v.empty()) return Tensor();
    return Tensor::from_vector(std::vector<float>(v.begin(), v.end()), {static_cast<int64_t>(v.size())});
  };
  const Tensor weights = tensor(c.class_weights), pos_weight = tensor(c.pos_weight);
  // Scores per step (B, T, C) against classes (B, T), e.g. next tokens, count as B*T rows.
  auto rows = [](const Tensor& y) { return y.dim() > 2 ? y.reshape({-1, y.size(y.dim() - 1)}) : y; };
  auto row_targets = [](const Tensor& y, const Tensor& t) { return y.dim() > 2 ? t.reshape({-1}) : t; };
  if (c.type == "cross_entropy") {
    const CrossEntropyOptions o{.class_weights = weights, .label_smoothing = static_cast<float>(c.label_smoothing)};
    return [=](const Tensor& y, const Tensor& t) { return cross_entropy(rows(y), row_targets(y, t), o); };
  }
  if (c.type == "nll")
    return [=](const Tensor& y, const Tensor& t) { return nll_loss(rows(y), row_targets(y, t), weights); };
  if (c.type == "mse") return [](const Tensor& y, const Tensor& t) { return mse_loss(y, t); };
  if (c.type == "l1") return [](const Tensor& y, const Tensor& t) { return l1_loss(y, t); };
  if (c.type == "huber") {
    const float delta = static_cast<float>(c.delta);
    return [delta](const Tensor& y, const Tensor& t) { return huber_loss(y, t, delta); };
  }
  if (c.type == "bce_with_logits")
    return [pos_weight](const Tensor& y, const Tensor& t) { return binary_cross_entropy_with_logits(y, t, pos_weight); };
  throw Error(c.where.str() + ": [loss] unknown type '" + c.type + "'");
}

std::vector<std::string> metrics_of(const RunConfig& config) {
  if (!config.train.metrics.empty()) return config.train.metrics;
  if (config.loss.classifies()) return {"accuracy"};
  if (config.loss.type == "bce_with_logits") return {};
  return {"mae"};
}

}  // namespace myelin::config
