// The music pipeline end to end on a slice of the real corpus (scripts/fetch-data music): a
// "midi" config trains an LSTM on melody tokens and beats the unigram baseline on held-out files.
#include <gtest/gtest.h>

#include <filesystem>

#include "expect_error.hpp"
#include "myelin/config/config.hpp"
#include "myelin/data/loader.hpp"
#include "myelin/data/sequence.hpp"
#include "myelin/music/corpus.hpp"
#include "myelin/random.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

// The 31 OpenMSX files: about 21,000 melody tokens.
const std::string kSlice = std::string(MYELIN_DATA_DIR) + "/music/openmsx";

std::string midi_config(const std::string& dir) {
  return R"([data]
source = "midi"
dir = ")" + dir + R"("
validation_split = 0.2
seq_len = 32
stride = 32

[model]
[[model.layers]]
type = "Embedding"
num_embeddings = 106
embedding_dim = 32
[[model.layers]]
type = "LSTM"
hidden_size = 64
batch_first = true
[[model.layers]]
type = "Linear"
units = 106

[optimizer]
type = "adam"
lr = 0.005

[train]
epochs = 3
batch_size = 16
seed = 3
clip_grad_norm = 1.0
)";
}

const Tensor& tokens_of(const data::DatasetPtr& d) {
  return dynamic_cast<const data::TokenSequenceDataset&>(*d).tokens();
}

std::vector<int64_t> ints(const Tensor& t) {
  std::vector<int64_t> out;
  for (float v : t.to_vector()) out.push_back(static_cast<int64_t>(v));
  return out;
}

TEST(MusicPipeline, LstmBeatsTheBaselinesOnHeldOutFiles) {
  if (!std::filesystem::is_directory(kSlice)) GTEST_SKIP() << kSlice << " is missing: run scripts/fetch-data music";
  testing::TempDir dir;
  const config::RunConfig c = config::load_config(dir.write("music.toml", midi_config(kSlice)));
  const config::PreparedData data = config::load_data(c);
  ASSERT_NE(data.validation, nullptr);
  EXPECT_EQ(data.input_shape, Shape{32});
  EXPECT_EQ(music::MelodyTokenizer::from_json(data.tokenizer).vocab_size(), 106);

  const std::vector<int64_t> train = ints(tokens_of(data.train)), held_out = ints(tokens_of(data.validation));
  const double unigram = music::ngram_loss(train, held_out, 106, 1);
  const double bigram = music::ngram_loss(train, held_out, 106, 2);

  manual_seed(c.train.seed);
  nn::ModulePtr model = config::build_model(c, data.input_shape);
  auto optimizer = config::build_optimizer(c.optimizer, model->parameters());
  train::Trainer trainer(model, optimizer, config::build_loss(c.loss), config::metrics_of(c));
  trainer.set_clip_grad_norm(c.train.clip_grad_norm);
  data::DataLoader train_loader(data.train, {.batch_size = 16, .shuffle = true, .seed = c.train.seed});
  data::DataLoader validation_loader(data.validation, {.batch_size = 64});
  trainer.fit(train_loader, c.train.epochs, &validation_loader);
  const double loss = trainer.evaluate(validation_loader).at("loss");
  std::printf("held-out loss per token: LSTM %.3f, bigram %.3f, unigram %.3f\n", loss, bigram, unigram);
  EXPECT_LT(loss, unigram);
  EXPECT_LT(loss, bigram);
}

TEST(MusicPipeline, ConfigErrorsNameTheKey) {
  testing::TempDir dir;
  const std::string path = dir.write("music.toml", midi_config(dir.file("nothing")));
  testing::expect_error<IoError>([&] { config::load_data(config::load_config(path)); },
                                 {"music.toml:3: [data] dir:", "nothing: no such directory"});
  // Too few tokens for a window.
  std::filesystem::create_directories(dir.file("tiny"));
  music::write_midi(dir.file("tiny/a.mid"), music::melody_to_midi({{0, 1, 60}}));
  music::write_midi(dir.file("tiny/b.mid"), music::melody_to_midi({{0, 1, 60}}));
  const std::string tiny = dir.write("tiny.toml", midi_config(dir.file("tiny")));
  testing::expect_error<IoError>([&] { config::load_data(config::load_config(tiny)); },
                                 "the training files hold 3 melody tokens, fewer than seq_len + 1 = 33");
}

}  // namespace
}  // namespace myelin
