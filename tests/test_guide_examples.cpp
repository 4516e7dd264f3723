// The code shown in docs/guide.md, compiled and run, so the guide stays true.
#include <gtest/gtest.h>

#include "myelin/myelin.hpp"

namespace myelin {
namespace {

TEST(GuideExamples, TensorsAndViews) {
  Tensor b = Tensor::from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(b.at({1, 2}), 6.f);
  EXPECT_TRUE(b.transpose(0, 1).shares_storage(b));
  EXPECT_THROW(matmul(Tensor::zeros({3, 4}), Tensor::zeros({5, 6})), ShapeError);
}

TEST(GuideExamples, Autograd) {
  Tensor w = Tensor::normal({3, 4}, 0.f, 0.1f).requires_grad_();
  Tensor x = Tensor::ones({8, 4});
  Tensor loss = mean(pow(matmul(x, w.transpose(0, 1)), 2.f));
  loss.backward();
  EXPECT_EQ(w.grad().shape(), (Shape{3, 4}));
}

class Scale : public nn::Module {
 public:
  explicit Scale(int64_t n) : n_(n) { w_ = register_parameter("weight", Tensor::ones({n})); }
  Tensor forward(const Tensor& x) override { return x * w_; }
  std::string type_name() const override { return "Scale"; }

 protected:
  void describe(nn::ModuleSpec& s) const override { s.set("features", n_); }

 private:
  int64_t n_;
  Tensor w_;
};

TEST(GuideExamples, ModulesOptimizersAndModelFiles) {
  nn::register_module_type("Scale", [](const nn::ModuleSpec& s, Generator*) {
    return std::make_shared<Scale>(s.get_int("features"));
  });
  auto net = std::make_shared<nn::Sequential>(std::initializer_list<nn::ModulePtr>{
      std::make_shared<nn::Linear>(4, 16), std::make_shared<nn::Tanh>(),
      std::make_shared<nn::Dropout>(0.2), std::make_shared<nn::Linear>(16, 3),
      std::make_shared<Scale>(3)});
  EXPECT_EQ(net->named_parameters()[0].first, "0.weight");
  EXPECT_EQ(net->named_parameters().back().first, "4.weight");

  optim::SGD sgd(net->parameters(), {.lr = 0.05, .momentum = 0.9, .nesterov = true});
  optim::AdamW adamw(net->parameters(), {.lr = 1e-3, .weight_decay = 0.01});
  Tensor x = Tensor::normal({8, 4}, 0.f, 1.f);
  Tensor y = Tensor::from_vector({0, 1, 2, 0, 1, 2, 0, 1}, {8});
  sgd.zero_grad();
  cross_entropy((*net)(x), y).backward();
  optim::clip_grad_norm_(net->parameters(), 1.0);
  sgd.step();

  const std::string path = ::testing::TempDir() + "guide_model.safetensors";
  io::save_model(path, *net, {{"class_names", "cat,dog,bird"}});
  io::LoadedModel m = io::load_model(path);
  EXPECT_EQ(m.metadata.at("class_names"), "cat,dog,bird");
  net->eval();
  NoGradGuard no_grad;
  EXPECT_EQ((*m.module)(x).to_vector(), (*net)(x).to_vector());
}

TEST(GuideExamples, DataSplitAndLoader) {
  auto ds = std::make_shared<data::TensorDataset>(Tensor::arange(100).reshape({50, 2}),
                                                  Tensor::zeros({50}));
  auto [train_set, val_set] = data::train_validation_split(ds, 0.1, 1);
  EXPECT_EQ(val_set->size(), 5);
  data::DataLoader loader(train_set, {.batch_size = 16, .shuffle = true, .seed = 7, .prefetch = 2});
  int64_t seen = 0;
  for (const data::Batch& b : loader) seen += b.inputs.size(0);
  EXPECT_EQ(seen, 45);
}

TEST(GuideExamples, ConvolutionalNetwork) {
  auto cnn = std::make_shared<nn::Sequential>(std::initializer_list<nn::ModulePtr>{
      std::make_shared<nn::Conv2d>(1, 32, Size2{3, 3}), std::make_shared<nn::BatchNorm2d>(32),
      std::make_shared<nn::ReLU>(), std::make_shared<nn::MaxPool2d>(Size2{2, 2}),
      std::make_shared<nn::Flatten>(), std::make_shared<nn::Linear>(32 * 13 * 13, 10)});
  EXPECT_EQ((*cnn)(Tensor::zeros({8, 1, 28, 28})).shape(), (Shape{8, 10}));
}

TEST(GuideExamples, ResidualBlockAndAugmentation) {
  nn::Sequential net;
  auto body = std::make_shared<nn::Sequential>(std::initializer_list<nn::ModulePtr>{
      std::make_shared<nn::Conv2d>(32, 64, Size2{3, 3}, Conv2dOptions{.stride = {2, 2}, .padding = {1, 1}}),
      std::make_shared<nn::BatchNorm2d>(64), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Conv2d>(64, 64, Size2{3, 3}, Conv2dOptions{.same_padding = true}),
      std::make_shared<nn::BatchNorm2d>(64)});
  auto shortcut = std::make_shared<nn::Conv2d>(32, 64, Size2{1, 1}, Conv2dOptions{.stride = {2, 2}});
  net.add<nn::Residual>(body, shortcut);
  net.add<nn::ReLU>();
  EXPECT_EQ(net(Tensor::zeros({2, 32, 14, 14})).shape(), (Shape{2, 64, 7, 7}));

  auto train = std::make_shared<data::TensorDataset>(Tensor::ones({4, 1, 28, 28}), Tensor::arange(4));
  auto augmented = std::make_shared<data::AugmentedDataset>(
      train, data::ImageAugment{.crop_padding = 2, .horizontal_flip = true}, /*seed=*/42);
  data::DataLoader train_loader(augmented, {.batch_size = 64, .shuffle = true, .seed = 42});
  auto model = std::make_shared<nn::Sequential>(
      std::initializer_list<nn::ModulePtr>{std::make_shared<nn::Flatten>(), std::make_shared<nn::Linear>(784, 4)});
  auto optimizer = std::make_shared<optim::SGD>(model->parameters(), optim::SGDOptions{.lr = 0.1});
  train::Trainer trainer(model, optimizer, [](const Tensor& y, const Tensor& t) { return cross_entropy(y, t); });
  struct NewAugmentations : train::Callback {  // the guide's callback: each epoch its own variants
    std::shared_ptr<data::AugmentedDataset> data;
    void on_epoch_begin(train::Trainer&, int64_t epoch) override { data->set_epoch(epoch); }
  };
  auto callback = std::make_shared<NewAugmentations>();
  callback->data = augmented;
  trainer.add_callback(callback);
  trainer.fit(train_loader, 2);
  EXPECT_EQ(augmented->epoch(), 1);  // set as the last epoch began
}

TEST(GuideExamples, RecurrentStateCarriedDetached) {
  nn::LSTM lstm(4, 8, {.num_layers = 2, .batch_first = true, .dropout = 0.1});
  nn::RecurrentState state;
  for (int step = 0; step < 2; ++step) {
    auto [out, next] = lstm.forward_with_state(Tensor::normal({3, 5, 4}, 0.f, 1.f), state);
    EXPECT_EQ(out.shape(), (Shape{3, 5, 8}));
    sum(out).backward();
    state = next.detach();
  }
}

}  // namespace
}  // namespace myelin
