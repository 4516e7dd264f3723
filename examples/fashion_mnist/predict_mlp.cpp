// Tutorial, part 2: load the network that train_mlp saved and use it, without the code that
// built it. The model file holds the architecture and the weights, so this program gets the
// same predictions as the one that trained it.
//
// Run: build/examples/predict_mlp [model.safetensors]
#include <myelin/myelin.hpp>

#include <cstdio>
#include <string>

using namespace myelin;

int main(int argc, char** argv) try {
  const std::string path = argc > 1 ? argv[1] : "fashion_mlp.safetensors";

  // 1. Rebuild the network from the file: architecture from its metadata, then the weights.
  io::LoadedModel loaded = io::load_model(path);
  nn::Module& model = *loaded.module;
  model.eval();
  std::printf("loaded %s: %lld parameters\n", path.c_str(), static_cast<long long>(model.num_parameters()));

  // 2. Predict without recording a graph: no gradients are needed, so none are kept.
  data::FashionMnist fashion = data::load_fashion_mnist();
  NoGradGuard no_grad;
  const Tensor scores = model(fashion.test->inputs());
  const Tensor predicted = argmax(scores, 1);

  // 3. Compare with the true labels.
  const std::vector<float> p = predicted.to_vector(), y = fashion.test->targets().to_vector();
  int64_t correct = 0;
  for (size_t i = 0; i < p.size(); ++i) correct += p[i] == y[i];
  std::printf("test accuracy: %.2f%%\n", 100.0 * correct / static_cast<double>(p.size()));
  std::printf("predicted classes of the first 10 test images:");
  for (int i = 0; i < 10; ++i) std::printf(" %d", static_cast<int>(p[i]));
  std::printf("\n");
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "predict_mlp: %s\n", e.what());
  return 1;
}
