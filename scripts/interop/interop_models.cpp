// The myelin side of `make interop` (scripts/interop/check_torch.py drives it).
//
//   interop_models write DIR   writes each model of kModels as DIR/NAME.safetensors (weights
//                              under PyTorch's state-dict names, the architecture in the
//                              metadata), with an input and myelin's output in DIR/NAME.io.safetensors
//   interop_models read DIR    loads DIR/NAME.torch.safetensors (weights PyTorch saved for the same
//                              architecture) into each model, runs DIR/NAME.torch_io.safetensors's
//                              input and compares with PyTorch's output; exits 1 on a mismatch
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

#include "myelin/myelin.hpp"
#include "random_state.hpp"

using namespace myelin;

namespace {

struct InteropModel {
  const char* name;
  const char* architecture;  // spec JSON, as in a model file's metadata
  Shape input;
};

const InteropModel kModels[] = {
    {"mlp", R"({"type":"Sequential","children":[
        ["0",{"type":"Linear","attrs":{"in_features":"6","out_features":"8"}}],
        ["1",{"type":"ReLU"}],
        ["2",{"type":"Linear","attrs":{"in_features":"8","out_features":"3","bias":"false"}}]]})",
     {4, 6}},
    {"cnn", R"({"type":"Sequential","children":[
        ["0",{"type":"Conv2d","attrs":{"in_channels":"2","out_channels":"4","kernel_size":"3","padding":"1"}}],
        ["1",{"type":"BatchNorm2d","attrs":{"num_features":"4"}}],
        ["2",{"type":"ReLU"}],
        ["3",{"type":"MaxPool2d","attrs":{"kernel_size":"2"}}],
        ["4",{"type":"Flatten"}],
        ["5",{"type":"Linear","attrs":{"in_features":"64","out_features":"3"}}]]})",
     {2, 2, 8, 8}},
    {"lstm", R"({"type":"Sequential","children":[
        ["0",{"type":"LSTM","attrs":{"input_size":"3","hidden_size":"5","num_layers":"2","bidirectional":"true","batch_first":"true"}}],
        ["1",{"type":"LayerNorm","attrs":{"normalized_shape":"10"}}],
        ["2",{"type":"Linear","attrs":{"in_features":"10","out_features":"2"}}]]})",
     {2, 7, 3}},
    {"gru", R"({"type":"Sequential","children":[
        ["0",{"type":"GRU","attrs":{"input_size":"3","hidden_size":"4"}}]]})",
     {6, 2, 3}},
    {"attention", R"({"type":"Sequential","children":[
        ["0",{"type":"MultiheadAttention","attrs":{"embed_dim":"8","num_heads":"2","batch_first":"true"}}]]})",
     {2, 5, 8}},
};

int write(const std::string& dir) {
  Generator gen(11);
  for (const auto& m : kModels) {
    nn::ModulePtr model = nn::build_module(io::spec_from_json(m.architecture), &gen);
    testing::randomise_state(*model, gen);
    model->eval();
    const Tensor x = Tensor::uniform(m.input, -1.f, 1.f, &gen);
    NoGradGuard no_grad;
    io::save_model(dir + "/" + m.name + ".safetensors", *model);
    io::save_safetensors(dir + "/" + m.name + ".io.safetensors", {{"input", x}, {"output", (*model)(x)}});
  }
  return 0;
}

int read(const std::string& dir) {
  int failures = 0;
  for (const auto& m : kModels) {
    nn::ModulePtr model = nn::build_module(io::spec_from_json(m.architecture));
    std::map<std::string, Tensor> state;
    for (auto& [name, t] : io::load_safetensors(dir + "/" + m.name + ".torch.safetensors").tensors) state[name] = t;
    model->load_state_dict(state, true);  // strict: every PyTorch name must be myelin's
    model->eval();
    std::map<std::string, Tensor> io_tensors;
    for (auto& [name, t] : io::load_safetensors(dir + "/" + m.name + ".torch_io.safetensors").tensors) io_tensors[name] = t;
    NoGradGuard no_grad;
    const Tensor got = (*model)(io_tensors.at("input")).contiguous();
    const Tensor want = io_tensors.at("output").contiguous();
    float worst = got.shape() == want.shape() ? 0.f : INFINITY;
    for (int64_t i = 0; worst != INFINITY && i < want.numel(); ++i)
      worst = std::max(worst, std::abs(got.data()[i] - want.data()[i]));
    const bool ok = worst <= 1e-5f;
    failures += !ok;
    std::printf("torch -> myelin  %-10s max |diff| %.2e  %s\n", m.name, worst, ok ? "ok" : "MISMATCH");
  }
  return failures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc == 3 ? argv[1] : "";
  if (mode != "write" && mode != "read") {
    std::fprintf(stderr, "usage: interop_models write|read DIR\n");
    return 2;
  }
  try {
    return mode == "write" ? write(argv[2]) : read(argv[2]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "interop_models: %s\n", e.what());
    return 1;
  }
}
