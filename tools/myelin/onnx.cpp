// `myelin export MODEL --onnx OUT` and `myelin import MODEL.onnx --out OUT.safetensors`.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "inspect.hpp"
#include "max_memory.hpp"
#include "model_info.hpp"
#include "myelin/error.hpp"
#include "myelin/io/model_file.hpp"
#include "myelin/io/onnx.hpp"

namespace myelin::cli {

void add_export_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto onnx = std::make_shared<std::string>();
  auto shape = std::make_shared<std::vector<int64_t>>();
  auto max_memory = std::make_shared<uint64_t>(0);
  CLI::App* cmd = app.add_subcommand("export", "Write a model as ONNX, checked by ONNX's checker");
  cmd->footer(
      "MODEL is a model file written by `myelin train` (or a config, exported with fresh weights).\n"
      "The ONNX input is (batch, per-sample shape) with a symbolic batch; --input-shape gives\n"
      "the whole input shape instead (-1 for a symbolic dimension), e.g. for (T, B, F) sequences.\n"
      "docs/interop.md lists the layers ONNX export supports.\n\n"
      "Example:\n"
      "  myelin export runs/mlp/model.safetensors --onnx mlp.onnx");
  cmd->add_option("MODEL", *path, "A model file (.safetensors) or a config (.toml)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--onnx", *onnx, "The ONNX file to write")->required();
  cmd->add_option("--input-shape", *shape, "The input's full shape, e.g. -1,1,28,28")->delimiter(',');
  add_max_memory_option(cmd, *max_memory);
  cmd->callback([=] {
    const InspectedModel m = inspect(*path, *max_memory);
    Shape input(shape->begin(), shape->end());
    if (input.empty()) {
      input = {-1};
      input.insert(input.end(), m.input_shape.begin(), m.input_shape.end());
    }
    io::export_onnx(*onnx, *m.model, input);
    std::cout << "wrote " << *onnx << " (input " << to_string(input) << ", checked by ONNX's checker)\n";
  });
}

void add_import_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("import", "Read an ONNX model into a myelin model file");
  cmd->footer(
      "The ONNX graph must be a chain of supported ops (docs/interop.md); each becomes a layer\n"
      "with its weights, so the model file predicts as the ONNX model and can be fine-tuned.\n"
      "`summary` and `draw` read the result; its input shape is the ONNX input's without the\n"
      "batch dimension.\n\n"
      "Example:\n"
      "  myelin import mlp.onnx --out mlp.safetensors && myelin summary mlp.safetensors");
  cmd->add_option("MODEL", *path, "An ONNX model (.onnx)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", *out, "The model file to write (.safetensors)")->required();
  cmd->callback([=] {
    const io::ImportedModel imported = io::import_onnx(*path);
    ModelInfo info;
    if (!imported.input_shape.empty())
      info.input_shape.assign(imported.input_shape.begin() + 1, imported.input_shape.end());
    for (int64_t d : info.input_shape)
      if (d < 1) throw Error(*path + ": the input's per-sample shape " + to_string(info.input_shape) + " is not fixed");
    info.source = "onnx";
    io::save_model(*out, *imported.module, to_metadata(info));
    std::cout << "wrote " << *out << " (" << imported.module->children().size() << " layers, "
              << imported.module->num_parameters() << " parameters)\n";
  });
}

}  // namespace myelin::cli
