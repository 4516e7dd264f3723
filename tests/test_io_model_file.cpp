// Model files: save_model/load_model round trips, metadata, and clear errors; spec JSON.
#include <gtest/gtest.h>

#include <cstring>

#include "myelin/myelin.hpp"
#include "scratch_dir.hpp"

namespace myelin::testing {
namespace {

using nn::ModuleSpec;

// y = x * scale + shift over the last dimension.
class TestAffine : public nn::Module {
 public:
  explicit TestAffine(int64_t features) : features_(features) {
    scale_ = register_parameter("scale", Tensor::uniform({features}, -1.f, 1.f));
    shift_ = register_parameter("shift", Tensor::uniform({features}, -1.f, 1.f));
  }
  Tensor forward(const Tensor& x) override { return x * scale_ + shift_; }
  std::string type_name() const override { return "TestAffine"; }

 protected:
  void describe(ModuleSpec& spec) const override { spec.set("features", features_); }

 private:
  int64_t features_;
  Tensor scale_, shift_;
};

// Applies its children in order, then adds a 0-d buffer.
class TestChain : public nn::Module {
 public:
  explicit TestChain(const std::vector<nn::ModulePtr>& layers) {
    for (size_t i = 0; i < layers.size(); ++i) register_module(std::to_string(i), layers[i]);
    offset_ = register_buffer("offset", Tensor::scalar(0.f));
  }
  Tensor forward(const Tensor& x) override {
    Tensor y = x;
    for (const auto& [name, child] : children()) y = child->forward(y);
    return y + offset_;
  }
  std::string type_name() const override { return "TestChain"; }
  Tensor offset_;
};

void register_test_modules() {
  nn::register_module_type("TestAffine", [](const ModuleSpec& s, Generator*) {
    return std::make_shared<TestAffine>(s.get_int("features"));
  });
  nn::register_module_type("TestChain", [](const ModuleSpec& s, Generator* init) {
    std::vector<nn::ModulePtr> layers;
    for (const auto& [name, child] : s.children) layers.push_back(nn::build_module(child, init));
    return std::make_shared<TestChain>(layers);
  });
}

std::shared_ptr<TestChain> make_model() {
  register_test_modules();
  auto inner = std::make_shared<TestChain>(
      std::vector<nn::ModulePtr>{std::make_shared<TestAffine>(4), std::make_shared<TestAffine>(4)});
  inner->offset_.fill_(-0.25f);
  auto model = std::make_shared<TestChain>(std::vector<nn::ModulePtr>{std::make_shared<TestAffine>(4), inner});
  model->offset_.fill_(1.5f);
  return model;
}

void expect_same_spec(const ModuleSpec& a, const ModuleSpec& b) {
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.attrs, b.attrs);
  ASSERT_EQ(a.children.size(), b.children.size());
  for (size_t i = 0; i < a.children.size(); ++i) {
    EXPECT_EQ(a.children[i].first, b.children[i].first);
    expect_same_spec(a.children[i].second, b.children[i].second);
  }
}

// Asserts that loading `path` throws an IoError naming the file and containing `expected`.
void expect_load_error(const std::string& path, const std::string& expected) {
  try {
    io::load_model(path);
    ADD_FAILURE() << "loading " << path << " did not throw";
  } catch (const IoError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(path + ": ", 0), 0u) << what;
    EXPECT_NE(what.find(expected), std::string::npos) << "message: " << what << "\nexpected to contain: " << expected;
  }
}

TEST(ModelFile, RoundTripGivesBitIdenticalOutputs) {
  ScratchDir dir;
  auto model = make_model();
  const std::string path = dir.file("model.safetensors");
  io::save_model(path, *model, {{"input_shape", "4"}, {"labels", "a,b,c,d"}});

  const io::LoadedModel loaded = io::load_model(path);
  EXPECT_FALSE(loaded.module->is_training());
  EXPECT_EQ(loaded.module->type_name(), "TestChain");
  expect_same_spec(loaded.module->spec(), model->spec());

  const auto original_state = model->state_dict(), loaded_state = loaded.module->state_dict();
  ASSERT_EQ(loaded_state.size(), original_state.size());
  for (size_t i = 0; i < original_state.size(); ++i) {
    EXPECT_EQ(loaded_state[i].first, original_state[i].first);
    EXPECT_EQ(loaded_state[i].second.to_vector(), original_state[i].second.to_vector());
  }
  EXPECT_EQ(original_state[0].first, "offset");  // own tensors first, then children, as PyTorch
  EXPECT_EQ(original_state.back().first, "1.1.shift");

  const Tensor x = Tensor::normal({3, 4}, 0.f, 1.f);
  const std::vector<float> expected = model->forward(x).to_vector(), actual = loaded.module->forward(x).to_vector();
  ASSERT_EQ(actual.size(), expected.size());
  EXPECT_EQ(std::memcmp(actual.data(), expected.data(), actual.size() * sizeof(float)), 0);

  EXPECT_EQ(loaded.metadata.at("format"), "myelin");
  EXPECT_EQ(loaded.metadata.at("format_version"), "1");
  EXPECT_EQ(loaded.metadata.at("architecture"), io::spec_to_json(model->spec()));
  EXPECT_EQ(loaded.metadata.at("input_shape"), "4");
  EXPECT_EQ(loaded.metadata.at("labels"), "a,b,c,d");
}

TEST(ModelFile, IsAPlainSafetensorsFileWithPyTorchNames) {
  ScratchDir dir;
  auto model = make_model();
  const std::string path = dir.file("model.safetensors");
  io::save_model(path, *model);
  const io::TensorFile file = io::load_safetensors(path);
  std::vector<std::string> names;
  for (const auto& [name, t] : file.tensors) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"offset", "0.scale", "0.shift", "1.offset", "1.0.scale",
                                             "1.0.shift", "1.1.scale", "1.1.shift"}));
}

TEST(ModelFile, ExtraMetadataMayNotOverrideTheFormat) {
  ScratchDir dir;
  auto model = make_model();
  const std::string path = dir.file("model.safetensors");
  for (const char* key : {"format", "format_version", "architecture"}) {
    try {
      io::save_model(path, *model, {{key, "x"}});
      ADD_FAILURE() << key;
    } catch (const IoError& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("may not set '") + key + "'"), std::string::npos) << e.what();
    }
  }
  EXPECT_TRUE(dir.entries().empty());
}

TEST(ModelFile, RejectsFilesItCannotRebuild) {
  ScratchDir dir;
  auto model = make_model();
  const std::string architecture = io::spec_to_json(model->spec());
  const auto state = model->state_dict();
  const std::string path = dir.file("model.safetensors");
  using Meta = std::map<std::string, std::string>;
  const std::vector<std::pair<Meta, std::string>> cases = {
      {{}, "not a myelin model file (metadata 'format' is missing"},
      {{{"format", "pt"}}, "metadata 'format' is 'pt', expected 'myelin'"},
      {{{"format", "myelin"}, {"architecture", architecture}}, "format_version missing is not supported"},
      {{{"format", "myelin"}, {"format_version", "2"}, {"architecture", architecture}},
       "format_version '2' is not supported; this myelin reads version 1"},
      {{{"format", "myelin"}, {"format_version", "1"}}, "metadata has no 'architecture'"},
      {{{"format", "myelin"}, {"format_version", "1"}, {"architecture", "{\"type\":"}},
       "cannot rebuild the model from its 'architecture': module spec JSON is malformed"},
      {{{"format", "myelin"}, {"format_version", "1"}, {"architecture", R"({"type":"NoSuchLayer"})"}},
       "unknown layer type 'NoSuchLayer'"},
      {{{"format", "myelin"}, {"format_version", "1"}, {"architecture", R"({"type":"TestAffine"})"}},
       "TestAffine: setting 'features' is required"},
  };
  for (const auto& [metadata, expected] : cases) {
    SCOPED_TRACE(expected);
    io::save_safetensors(path, state, metadata);
    expect_load_error(path, expected);
  }
}

TEST(ModelFile, RejectsWeightsThatDoNotFit) {
  ScratchDir dir;
  auto model = make_model();
  const std::string path = dir.file("model.safetensors");
  io::save_model(path, *model);
  io::TensorFile file = io::load_safetensors(path);
  file.metadata.erase(io::kChecksumKey);  // edited by hand: the weights, not the checksum, are at fault

  io::NamedTensors missing(file.tensors.begin() + 1, file.tensors.end());
  io::save_safetensors(path, missing, file.metadata);
  expect_load_error(path, "the weights do not fit the architecture: load_state_dict: missing tensor 'offset'");

  io::NamedTensors extra = file.tensors;
  extra.emplace_back("1.2.scale", Tensor::ones({4}));
  io::save_safetensors(path, extra, file.metadata);
  expect_load_error(path, "unexpected tensor '1.2.scale'");

  io::NamedTensors reshaped = file.tensors;
  reshaped[1].second = Tensor::ones({5});
  io::save_safetensors(path, reshaped, file.metadata);
  expect_load_error(path, "tensor '0.scale' has shape (5,), the model expects (4,)");
}

TEST(SpecJson, WritesTheDocumentedForm) {
  ModuleSpec inner;
  inner.type = "B";
  ModuleSpec outer;
  outer.type = "A";
  outer.set("n", int64_t{3});
  outer.set("name", "say \"hi\"");
  outer.children.emplace_back("0", inner);
  EXPECT_EQ(io::spec_to_json(outer),
            R"({"type":"A","attrs":{"n":"3","name":"say \"hi\""},"children":[["0",{"type":"B","attrs":{},"children":[]}]]})");
  expect_same_spec(io::spec_from_json(io::spec_to_json(outer, 2)), outer);
}

TEST(SpecJson, RoundTripsNestedSpecs) {
  auto model = make_model();
  expect_same_spec(io::spec_from_json(io::spec_to_json(model->spec())), model->spec());
  const ModuleSpec minimal = io::spec_from_json(R"({"type":"X"})");
  EXPECT_EQ(minimal.type, "X");
  EXPECT_TRUE(minimal.attrs.empty());
  EXPECT_TRUE(minimal.children.empty());
}

TEST(SpecJson, ErrorsNameThePosition) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{", "module spec JSON is malformed"},
      {"[]", "the top level must be an object"},
      {R"({"attrs":{}})", "the top level has no \"type\""},
      {R"({"type":""})", "type must be a non-empty string"},
      {R"({"type":"A","attrs":{"units":3}})", "attrs.units must be a string"},
      {R"({"type":"A","attrs":[]})", "attrs must be an object of strings"},
      {R"({"type":"A","children":{}})", "children must be an array of [name, spec] pairs"},
      {R"({"type":"A","children":[["0"]]})", "children[0] must be a [name, spec] pair"},
      {R"({"type":"A","children":[["0",{"type":"B"}],["1",{"type":"C","attrs":{"k":true}}]]})",
       "children[1][1].attrs.k must be a string"},
      {R"({"type":"A","children":[["0",{}]]})", "children[0][1] has no \"type\""},
      {R"({"type":"A","kind":"B"})", "kind is not a spec field"},
      {std::string(2000, '[') + std::string(2000, ']'), "nests deeper than 1000 levels"},
  };
  for (const auto& [json, expected] : cases) {
    SCOPED_TRACE(json.substr(0, 80));
    try {
      io::spec_from_json(json);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace myelin::testing
