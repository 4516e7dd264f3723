// Anomaly detection: a NaN or infinity in the inputs, a weight, the loss or a gradient is
// reported with the op or tensor, the layer, the epoch and the batch where it first appears.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>

#include "expect_error.hpp"
#include "myelin/myelin.hpp"

namespace myelin::testing {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// 4 batches of 8 samples, 3 features -> 2 outputs, with a regression target.
data::DatasetPtr make_data(float input_value = 0.f, int64_t at = -1) {
  Generator gen(5);
  Tensor x = Tensor::normal({32, 3}, 0.f, 1.f, &gen);
  if (at >= 0) x.data()[at] = input_value;
  return std::make_shared<data::TensorDataset>(x, Tensor::normal({32, 2}, 0.f, 1.f, &gen));
}

struct TrainRun {
  nn::ModulePtr model;
  std::shared_ptr<train::Trainer> trainer;
};

TrainRun make_run(float lr = 0.01f) {
  Generator gen(3);
  auto model = std::make_shared<nn::Sequential>(std::initializer_list<nn::ModulePtr>{
      std::make_shared<nn::Linear>(3, 4, true, &gen), std::make_shared<nn::Tanh>(),
      std::make_shared<nn::Linear>(4, 2, true, &gen)});
  auto opt = std::make_shared<optim::SGD>(model->parameters(), optim::SGDOptions{.lr = lr});
  auto trainer = std::make_shared<train::Trainer>(
      model, opt, [](const Tensor& out, const Tensor& y) { return mse_loss(out, y); });
  return {model, trainer};
}

void expect_anomaly(train::Trainer& trainer, const data::DatasetPtr& data, std::initializer_list<std::string> parts) {
  data::DataLoader loader(data, {.batch_size = 8});
  DetectAnomaly detect;
  expect_error<AnomalyError>([&] { trainer.fit(loader, 2); }, parts);
}

TEST(Anomaly, NaNInTheInputsNamesTheBatch) {
  TrainRun run = make_run();
  // Sample 20 (row-major, 3 features) is in the third batch.
  expect_anomaly(*run.trainer, make_data(kNaN, 20 * 3 + 1),
                 {"anomaly: the batch's inputs holds NaN at index 13 of shape (8, 3)", "at epoch 1, batch 3"});
}

TEST(Anomaly, NaNInAWeightNamesTheParameterAndLayer) {
  TrainRun run = make_run();
  run.model->named_parameters()[2].second.data()[5] = kNaN;  // "2.weight"
  expect_anomaly(*run.trainer, make_data(),
                 {"parameter '2.weight' holds NaN at index 5 of shape (2, 4)", "in layer '2' (Linear)", "at epoch 1, batch 1"});
}

TEST(Anomaly, OverflowInTheLossNamesTheOp) {
  TrainRun run = make_run();
  // 1e30 squared overflows float32: the loss's own op gives inf, not the model's layers.
  Generator gen(5);
  auto data = std::make_shared<data::TensorDataset>(Tensor::normal({16, 3}, 0.f, 1.f, &gen),
                                                    Tensor::full({16, 2}, 1e30f));
  expect_anomaly(*run.trainer, data, {"the forward output of op", "holds inf", "in the loss", "at epoch 1, batch 1"});
}

TEST(Anomaly, OverflowInsideALayerNamesTheLayer) {
  TrainRun run = make_run();
  // A finite input and finite weights whose product overflows float32.
  Tensor weight = run.model->named_parameters()[0].second;  // "0.weight"
  for (int64_t i = 0; i < weight.numel(); ++i) weight.data()[i] = 10.f;
  expect_anomaly(*run.trainer, make_data(3e38f, 9 * 3),
                 {"the forward output of op", "holds inf", "in layer '0' (Linear)", "at epoch 1, batch 2"});
}

TEST(Anomaly, NonFiniteGradientNamesTheBackwardOp) {
  // sqrt is finite at 0 but its derivative is not.
  Tensor x = Tensor::zeros({3}).requires_grad_();
  DetectAnomaly detect;
  Tensor y;
  {
    AnomalyScope scope("layer 'root' (Test)");
    y = sum(sqrt(x));
  }
  expect_error<AnomalyError>([&] { y.backward(); },
                             {"the gradient from the backward of op 'sqrt' for its input 0 holds inf",
                              "in layer 'root' (Test)"});
}

TEST(Anomaly, IsOffUnlessAsked) {
  EXPECT_FALSE(anomaly_detection_enabled());
  Tensor x = Tensor::zeros({3}).requires_grad_();
  Tensor y = sum(sqrt(x));
  EXPECT_NO_THROW(y.backward());
  EXPECT_TRUE(std::isinf(x.grad().data()[0]));
  {
    DetectAnomaly outer;
    {
      DetectAnomaly inner;
    }
    EXPECT_TRUE(anomaly_detection_enabled());
  }
  EXPECT_FALSE(anomaly_detection_enabled());
}

TEST(Anomaly, CleanTrainingIsUnchangedByTheChecks) {
  std::vector<float> weights[2];
  for (int detect = 0; detect < 2; ++detect) {
    TrainRun run = make_run();
    data::DataLoader loader(make_data(), {.batch_size = 8});
    std::optional<DetectAnomaly> guard;
    if (detect == 1) guard.emplace();
    run.trainer->fit(loader, 2);
    weights[detect] = run.model->parameters()[0].to_vector();
  }
  EXPECT_EQ(weights[0], weights[1]);
}

}  // namespace
}  // namespace myelin::testing
