// Trainer: convergence, bit-identical reruns, callbacks (CSV log, checkpoint, early stop) and
// the divergence check, on a small generated classification problem.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "myelin/myelin.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

// 3 classes in 4-D, separable by the sign pattern of two projections.
data::DatasetPtr make_blobs(int64_t n, uint64_t seed) {
  Generator gen(seed);
  Tensor x = Tensor::normal({n, 4}, 0.f, 1.f, &gen);
  Tensor y = Tensor::empty({n});
  for (int64_t i = 0; i < n; ++i) {
    const float* r = x.data() + i * 4;
    const float a = r[0] + 0.5f * r[1], b = r[2] - r[3];
    y.data()[i] = a > 0 ? (b > 0 ? 0.f : 1.f) : 2.f;
  }
  return std::make_shared<data::TensorDataset>(x, y);
}

struct Harness {
  nn::ModulePtr model;
  std::shared_ptr<train::Trainer> trainer;
};

Harness make_run(uint64_t seed, float lr = 0.1f, float dropout = 0.1f) {
  Generator gen(seed);
  auto model = std::make_shared<nn::Sequential>(std::initializer_list<nn::ModulePtr>{
      std::make_shared<nn::Linear>(4, 16, true, &gen), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Dropout>(dropout), std::make_shared<nn::Linear>(16, 3, true, &gen)});
  auto opt = std::make_shared<optim::SGD>(model->parameters(),
                                          optim::SGDOptions{.lr = lr, .momentum = 0.9});
  auto loss = [](const Tensor& out, const Tensor& y) { return cross_entropy(out, y); };
  return {model, std::make_shared<train::Trainer>(model, opt, loss, std::vector<std::string>{"accuracy"})};
}

TEST(Trainer, LearnsASeparableProblem) {
  manual_seed(3);
  data::DataLoader train_loader(make_blobs(512, 1), {.batch_size = 32, .shuffle = true, .seed = 5});
  data::DataLoader val_loader(make_blobs(256, 2), {.batch_size = 64});
  Harness run = make_run(7);
  const auto& history = run.trainer->fit(train_loader, 15, &val_loader);
  ASSERT_EQ(history.size(), 15u);
  EXPECT_LT(history.back().train.at("loss"), history.front().train.at("loss"));
  EXPECT_GT(history.back().validation.at("accuracy"), 0.9);
  EXPECT_EQ(history.back().samples, 512);
}

TEST(Trainer, SameSeedGivesBitIdenticalWeights) {
  std::vector<std::vector<float>> weights[2];
  for (int r = 0; r < 2; ++r) {
    manual_seed(11);  // drives dropout
    data::DataLoader loader(make_blobs(256, 1), {.batch_size = 16, .shuffle = true, .seed = 9});
    Harness run = make_run(13);
    run.trainer->fit(loader, 3);
    for (auto& [name, t] : run.model->state_dict()) weights[r].push_back(t.to_vector());
  }
  ASSERT_EQ(weights[0].size(), weights[1].size());
  for (size_t i = 0; i < weights[0].size(); ++i) EXPECT_EQ(weights[0][i], weights[1][i]) << "tensor " << i;
}

TEST(Trainer, DivergenceStopsWithEpochAndBatch) {
  manual_seed(1);
  data::DataLoader loader(make_blobs(64, 1), {.batch_size = 16});
  Harness run = make_run(1);
  // A weight set to NaN poisons the first loss.
  run.model->parameters()[0].data()[0] = std::nanf("");
  try {
    run.trainer->fit(loader, 2);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("epoch 1, batch 1"), std::string::npos) << e.what();
  }
}

TEST(Trainer, EarlyStoppingEndsTheRun) {
  manual_seed(1);
  data::DataLoader loader(make_blobs(64, 1), {.batch_size = 16});
  Harness run = make_run(1, 0.f, 0.f);  // lr 0 and no dropout: the loss never changes
  auto stop = std::make_shared<train::EarlyStopping>("loss", 2);
  run.trainer->add_callback(stop);
  const auto& history = run.trainer->fit(loader, 20);
  EXPECT_EQ(history.size(), 3u);  // the first epoch sets the best, two more without progress
  EXPECT_EQ(stop->stopped_epoch(), 2);
}

TEST(Trainer, CsvLogAndBestCheckpoint) {
  testing::TempDir dir;
  manual_seed(2);
  data::DataLoader train_loader(make_blobs(256, 1), {.batch_size = 32, .shuffle = true, .seed = 1});
  data::DataLoader val_loader(make_blobs(128, 2), {.batch_size = 64});
  Harness run = make_run(5);
  const std::string csv = dir.path() + "/metrics.csv", best = dir.path() + "/best.safetensors";
  auto checkpoint = std::make_shared<train::BestCheckpoint>(best, "val_accuracy");
  run.trainer->add_callback(std::make_shared<train::CsvLogger>(csv));
  run.trainer->add_callback(checkpoint);
  run.trainer->fit(train_loader, 4, &val_loader);

  std::ifstream in(csv);
  std::string header, line;
  std::getline(in, header);
  EXPECT_EQ(header, "epoch,seconds,lr,accuracy,loss,val_accuracy,val_loss");
  int rows = 0;
  while (std::getline(in, line)) ++rows;
  EXPECT_EQ(rows, 4);

  io::LoadedModel loaded = io::load_model(best);
  EXPECT_EQ(loaded.metadata.at("best_val_accuracy").substr(0, 4),
            std::to_string(checkpoint->best()).substr(0, 4));
  EXPECT_TRUE(loaded.metadata.count("best_epoch"));
}

TEST(Trainer, PredictMatchesForwardInEvalMode) {
  Harness run = make_run(3);
  Tensor x = Tensor::normal({10, 4}, 0.f, 1.f);
  const Tensor batched = run.trainer->predict(x, 3);
  run.model->eval();
  NoGradGuard no_grad;
  // Not bit-equal: the last batch has one row, which the backend runs as a matrix-vector
  // product (summing in another order than GEMM).
  const std::vector<float> a = batched.to_vector(), b = run.model->forward(x).to_vector();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-5f) << "element " << i;
}

TEST(Trainer, UnknownMetricIsRejectedUpFront) {
  Generator gen(1);
  auto model = std::make_shared<nn::Linear>(4, 3, true, &gen);
  auto opt = std::make_shared<optim::SGD>(model->parameters(), optim::SGDOptions{.lr = 0.1});
  auto loss = [](const Tensor& out, const Tensor& y) { return cross_entropy(out, y); };
  EXPECT_THROW(train::Trainer(model, opt, loss, {"acuracy"}), Error);
}

}  // namespace
}  // namespace myelin

namespace myelin {
namespace {

// Stops the run after `after` batches of its second epoch.
class StopMidEpoch : public train::Callback {
 public:
  explicit StopMidEpoch(int64_t after) : after_(after) {}
  void on_batch_end(train::Trainer& t, const train::BatchLogs& b) override {
    if (b.epoch == 1 && b.batch + 1 == after_) t.request_stop();
  }
  void on_epoch_end(train::Trainer&, const train::EpochLogs&) override { ++epochs_seen; }
  int64_t epochs_seen = 0;

 private:
  int64_t after_;
};

TEST(Trainer, StopInsideAnEpochAbandonsIt) {
  manual_seed(3);
  data::DataLoader loader(make_blobs(128, 1), {.batch_size = 32, .shuffle = true, .seed = 5});
  Harness run = make_run(7);
  auto stop = std::make_shared<StopMidEpoch>(2);
  run.trainer->add_callback(stop);
  const auto& history = run.trainer->fit(loader, 5);
  EXPECT_TRUE(run.trainer->interrupted());
  EXPECT_EQ(history.size(), 1u);  // the partial second epoch is not logged
  EXPECT_EQ(stop->epochs_seen, 1);
  run.trainer->fit(loader, 1);  // a new fit starts afresh
  EXPECT_FALSE(run.trainer->interrupted());
}

TEST(Trainer, CsvLoggerContinuesAnEarlierLog) {
  testing::TempDir dir;
  const std::string path = dir.write("log.csv", "epoch,seconds,lr,loss\n1,0.5,0.1,2\n2,0.5,0.1,1.5\n3,0.5,0.1,1.25\n");
  train::CsvLogger logger(path, 2);  // resumed after epoch 2: the row of epoch 3 is dropped
  Harness run = make_run(7);
  train::EpochLogs e{.epoch = 2, .train = {{"loss", 1.0}}, .seconds = 0.25, .learning_rate = 0.05};
  logger.on_epoch_end(*run.trainer, e);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "epoch,seconds,lr,loss\n1,0.5,0.1,2\n2,0.5,0.1,1.5\n3,0.25,0.05,1\n");
  EXPECT_THROW(train::CsvLogger(dir.write("bad.csv", "epoch,loss\n1,x\n"), 1), IoError);
}

}  // namespace
}  // namespace myelin
