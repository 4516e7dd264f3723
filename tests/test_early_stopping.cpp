// EarlyStopping says why it stopped: the epoch, the monitored score's best value and epoch, and
// the rule (no improvement by more than min_delta for patience epochs), also after a resume.
#include <gtest/gtest.h>

#include "myelin/myelin.hpp"

namespace myelin {
namespace {

// A trainer for the callback to stop; it is never fitted here.
train::Trainer idle_trainer() {
  auto model = std::make_shared<nn::Linear>(2, 1);
  return train::Trainer(model, std::make_shared<optim::SGD>(model->parameters()),
                        [](const Tensor& y, const Tensor& t) { return mse_loss(y, t); });
}

// Feeds `stop` the epochs `first`, first + 1, ... with these scores of `name`.
void feed(train::EarlyStopping& stop, train::Trainer& trainer, const std::string& name, int64_t first,
          const std::vector<double>& scores) {
  for (size_t i = 0; i < scores.size(); ++i) {
    train::EpochLogs logs;
    logs.epoch = first + static_cast<int64_t>(i);
    (name.rfind("val_", 0) == 0 ? logs.validation[name.substr(4)] : logs.train[name]) = scores[i];
    stop.on_epoch_end(trainer, logs);
  }
}

TEST(EarlyStoppingReason, NamesTheStopTheBestAndTheRule) {
  train::Trainer trainer = idle_trainer();
  train::EarlyStopping stop("loss", 2, 0.1);
  feed(stop, trainer, "loss", 0, {1.0, 0.5});
  EXPECT_EQ(stop.stop_reason(), "");
  feed(stop, trainer, "loss", 2, {0.45, 0.47});  // better, but not by more than 0.1: two bad epochs
  EXPECT_EQ(stop.stopped_epoch(), 3);
  EXPECT_EQ(stop.best_epoch(), 1);
  EXPECT_EQ(stop.stop_reason(),
            "early stopping after epoch 4: loss has not improved by more than 0.1 for 2 epochs (best 0.5000 at epoch 2)");
}

TEST(EarlyStoppingReason, KnowsTheBestEpochAfterAResume) {
  train::Trainer trainer = idle_trainer();
  train::EarlyStopping stop("val_accuracy", 3);
  stop.restore(0.75, 2);  // the best, then two epochs without progress, before epoch 6 (0-based 5)
  feed(stop, trainer, "val_accuracy", 5, {0.7});
  EXPECT_EQ(stop.stop_reason(),
            "early stopping after epoch 6: val_accuracy has not improved by more than 0 for 3 epochs (best 0.7500 at epoch 3)");
}

}  // namespace
}  // namespace myelin
