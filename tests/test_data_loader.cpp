// DataLoader: batch shapes, epoch orders from (seed, epoch), prefetching, early exit, errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <optional>
#include <ranges>
#include <vector>

#include "myelin/data/loader.hpp"
#include "myelin/error.hpp"

namespace myelin::testing {
namespace {

using data::Batch;
using data::DataLoader;
using data::DataLoaderOptions;
using data::Example;
using data::TensorDataset;

static_assert(std::ranges::input_range<DataLoader>, "a DataLoader works with range-for and std::ranges");

// n examples: input row i = (i, 10 i, 100 i), target i.
std::shared_ptr<TensorDataset> numbered(int64_t n) {
  Tensor x = Tensor::empty({n, 3});
  for (int64_t i = 0; i < n; ++i)
    for (int64_t k = 0; k < 3; ++k) x.data()[i * 3 + k] = static_cast<float>(i) * (k == 0 ? 1.f : k == 1 ? 10.f : 100.f);
  return std::make_shared<TensorDataset>(x, Tensor::arange(n));
}

// The targets of each batch of one epoch.
std::vector<std::vector<float>> run_epoch(DataLoader& loader) {
  std::vector<std::vector<float>> out;
  for (const Batch& b : loader) out.push_back(b.targets.to_vector());
  return out;
}

TEST(DataLoader, BatchShapesAndLastPartialBatch) {
  DataLoader loader(numbered(10), {.batch_size = 4});
  EXPECT_EQ(loader.num_batches(), 3);
  std::vector<Shape> inputs, targets;
  for (const Batch& b : loader) {
    inputs.push_back(b.inputs.shape());
    targets.push_back(b.targets.shape());
  }
  EXPECT_EQ(inputs, (std::vector<Shape>{{4, 3}, {4, 3}, {2, 3}}));
  EXPECT_EQ(targets, (std::vector<Shape>{{4}, {4}, {2}}));
}

TEST(DataLoader, DropLastSkipsThePartialBatch) {
  DataLoader loader(numbered(10), {.batch_size = 4, .drop_last = true});
  EXPECT_EQ(loader.num_batches(), 2);
  const auto epoch = run_epoch(loader);
  ASSERT_EQ(epoch.size(), 2u);
  EXPECT_EQ(epoch[1], (std::vector<float>{4, 5, 6, 7}));
  DataLoader tiny(numbered(3), {.batch_size = 4, .drop_last = true});
  EXPECT_EQ(tiny.num_batches(), 0);
  EXPECT_TRUE(run_epoch(tiny).empty());
}

TEST(DataLoader, InputsMatchTargetsAfterShuffling) {
  DataLoader loader(numbered(20), {.batch_size = 6, .shuffle = true, .seed = 3});
  for (const Batch& b : loader)
    for (int64_t r = 0; r < b.targets.size(0); ++r) EXPECT_EQ(b.inputs.at({r, 2}), 100.f * b.targets.at({r}));
}

TEST(DataLoader, EveryIndexExactlyOncePerEpoch) {
  DataLoader loader(numbered(23), {.batch_size = 5, .shuffle = true, .seed = 11});
  for (int epoch = 0; epoch < 3; ++epoch) {
    std::vector<float> seen;
    for (const auto& batch : run_epoch(loader)) seen.insert(seen.end(), batch.begin(), batch.end());
    std::sort(seen.begin(), seen.end());
    std::vector<float> all(23);
    std::iota(all.begin(), all.end(), 0.f);
    EXPECT_EQ(seen, all) << "epoch " << epoch;
  }
}

TEST(DataLoader, ShuffleIsDeterministicPerSeedAndEpoch) {
  const auto ds = numbered(50);
  const DataLoaderOptions options{.batch_size = 8, .shuffle = true, .seed = 42};
  DataLoader a(ds, options), b(ds, options);
  const auto a0 = run_epoch(a), a1 = run_epoch(a);
  EXPECT_EQ(a0, run_epoch(b));
  EXPECT_EQ(a1, run_epoch(b));
  EXPECT_NE(a0, a1);  // a new order each epoch

  DataLoader resumed(ds, options);
  resumed.set_epoch(1);  // resuming at epoch 1 replays it exactly
  EXPECT_EQ(run_epoch(resumed), a1);
  EXPECT_EQ(resumed.epoch(), 2);

  DataLoader other(ds, {.batch_size = 8, .shuffle = true, .seed = 43});
  EXPECT_NE(run_epoch(other), a0);

  DataLoader ordered(ds, {.batch_size = 50});
  std::vector<float> identity(50);
  std::iota(identity.begin(), identity.end(), 0.f);
  EXPECT_EQ(run_epoch(ordered)[0], identity);
}

TEST(DataLoader, PrefetchGivesTheSameBatches) {
  const auto ds = numbered(37);
  DataLoader sync(ds, {.batch_size = 4, .shuffle = true, .seed = 5, .prefetch = 0});
  DataLoader async(ds, {.batch_size = 4, .shuffle = true, .seed = 5, .prefetch = 3});
  for (int epoch = 0; epoch < 2; ++epoch) {
    std::vector<std::vector<float>> s, a;
    for (const Batch& b : sync) s.push_back(b.inputs.to_vector());
    for (const Batch& b : async) a.push_back(b.inputs.to_vector());
    EXPECT_EQ(s, a) << "epoch " << epoch;
  }
}

TEST(DataLoader, EarlyBreakWithPrefetchStopsTheThread) {
  DataLoader loader(numbered(1000), {.batch_size = 2, .prefetch = 4});
  int seen = 0;
  for (const Batch& b : loader) {
    (void)b;
    if (++seen == 2) break;  // the iterator's destructor must stop and join the worker
  }
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(run_epoch(loader).size(), 500u);  // the loader is fine for the next epoch
}

TEST(DataLoader, IteratorOutlivesTheLoader) {
  std::optional<DataLoader::Iterator> it;
  {
    DataLoader loader(numbered(100), {.batch_size = 10, .prefetch = 2});
    it.emplace(loader.begin());
  }  // loader destroyed mid-epoch
  ++*it;
  EXPECT_EQ((**it).targets.at({0}), 10.f);
  it.reset();  // destroying the iterator mid-epoch joins its thread
}

// Fails on one index, from get() (default batching) or get_batch().
class Faulty : public data::Dataset {
 public:
  int64_t size() const override { return 12; }
  Example get(int64_t i) const override {
    if (i == 7) throw Error("Faulty: example 7 cannot be read");
    return {Tensor::full({2}, static_cast<float>(i)), Tensor::scalar(static_cast<float>(i))};
  }
};

TEST(DataLoader, WorkerExceptionReachesTheConsumer) {
  for (int64_t prefetch : {0, 2}) {
    DataLoader loader(std::make_shared<Faulty>(), {.batch_size = 4, .prefetch = prefetch});
    int batches = 0;
    try {
      for (const Batch& b : loader) {
        (void)b;
        ++batches;
      }
      ADD_FAILURE() << "no exception with prefetch " << prefetch;
    } catch (const Error& e) {
      EXPECT_STREQ(e.what(), "Faulty: example 7 cannot be read");
    }
    EXPECT_EQ(batches, 1) << "prefetch " << prefetch;  // batch 0 is fine, batch 1 holds index 7
  }
}

TEST(DataLoader, RejectsBadOptions) {
  EXPECT_THROW(DataLoader(numbered(4), {.batch_size = 0}), Error);
  EXPECT_THROW(DataLoader(numbered(4), {.prefetch = -1}), Error);
  EXPECT_THROW(DataLoader(nullptr), Error);
}

}  // namespace
}  // namespace myelin::testing
