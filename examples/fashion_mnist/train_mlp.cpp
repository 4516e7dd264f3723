// Tutorial: train a multilayer perceptron on Fashion-MNIST with myelin's C++ API.
//
// Fashion-MNIST is 70,000 grayscale 28x28 pictures of clothing in 10 classes (T-shirt, trouser,
// ..., ankle boot): 60,000 to train on and 10,000 to test with. We build a network with
//   an input layer of 784 neurons (one per pixel),
//   two hidden layers of 512 and 256 neurons with ReLU activations, and
//   an output layer of 10 neurons (one score per class),
// train it with forward and backward propagation, report its test accuracy, and save it to one
// file that examples/fashion_mnist/predict_mlp.cpp loads again.
//
// Run:  make demo        (installs the data set, builds, runs this program)
//   or: build/examples/train_mlp [--epochs N] [--threads T] [--lr 0.01] [--out model.safetensors]
#include <myelin/myelin.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <unistd.h>

using namespace myelin;

int main(int argc, char** argv) try {
  int epochs = 5;
  int threads = 0;  // 0: all cores
  double lr = 0.05;
  std::string out = "fashion_mlp.safetensors";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--epochs")) epochs = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--lr")) lr = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--out")) out = argv[i + 1];
    else throw Error(std::string("unknown option ") + argv[i] + " (expected --epochs, --threads, --lr, --out)");
  }
  if (epochs < 1) throw Error("--epochs must be at least 1");
  if (threads > 0) set_num_threads(threads);

  // 1. One seed makes the run repeatable: the initial weights, the shuffling, any dropout.
  manual_seed(42);

  // 2. The data: images flattened to 784 values in [0, 1], labels 0..9.
  data::FashionMnist fashion = data::load_fashion_mnist();
  std::printf("Fashion-MNIST: %lld training and %lld test images\n",
              static_cast<long long>(fashion.train->size()), static_cast<long long>(fashion.test->size()));

  // A loader cuts a data set into shuffled mini-batches of 64 examples.
  data::DataLoader train_loader(fashion.train, {.batch_size = 64, .shuffle = true, .seed = 42});
  data::DataLoader test_loader(fashion.test, {.batch_size = 1000});

  // 3. The network: input 784 -> hidden 512 -> hidden 256 -> output 10. Each Linear layer holds
  // a weight per channel between two layers of neurons and a bias per neuron.
  auto model = std::make_shared<nn::Sequential>(std::initializer_list<nn::ModulePtr>{
      std::make_shared<nn::Linear>(784, 512), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Linear>(512, 256), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Linear>(256, 10)});
  std::cout << nn::to_string(nn::summary(*model, {784}));

  // 4. Learning: the error is the cross-entropy between the output scores and the true class;
  // backward propagation computes each weight's gradient and SGD with momentum adjusts them.
  auto optimizer = std::make_shared<optim::SGD>(model->parameters(),
                                                optim::SGDOptions{.lr = lr, .momentum = 0.9});
  auto loss = [](const Tensor& scores, const Tensor& labels) { return cross_entropy(scores, labels); };
  train::Trainer trainer(model, optimizer, loss, {"accuracy"});
  // Large steps early, small steps at the end: the learning rate follows a cosine from its
  // starting value down to zero over the run, which settles the weights into a better minimum.
  trainer.set_schedule(std::make_shared<optim::CosineWithWarmup>(*optimizer, 0, epochs));
  trainer.add_callback(std::make_shared<train::ProgressBar>(std::cout, isatty(STDOUT_FILENO)));

  // 5. Train: each epoch is one pass over the 60,000 training images.
  trainer.fit(train_loader, epochs, &test_loader);

  // 6. Judge the network on the 10,000 images it never trained on.
  const train::Scores test = trainer.evaluate(test_loader);
  std::printf("test accuracy: %.2f%%  (test loss %.4f)\n", 100 * test.at("accuracy"), test.at("loss"));

  // 7. Save everything needed to use the network again (weights and architecture) in one file.
  io::save_model(out, *model, {{"class_names", "T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot"}});
  const Tensor first = trainer.predict(fashion.test->inputs().slice(0, 0, 10));
  std::printf("saved %s; predicted classes of the first 10 test images:", out.c_str());
  for (int64_t i = 0; i < 10; ++i) std::printf(" %d", static_cast<int>(argmax(first, 1).at({i})));
  std::printf("\n");
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "train_mlp: %s\n", e.what());
  return 1;
}
