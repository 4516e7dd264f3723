// `myelin summary CONFIG|MODEL`: the layers, output shapes, parameter counts and FLOPs.
#include <iostream>

#include "commands.hpp"
#include "model_info.hpp"
#include "myelin/config/config.hpp"
#include "myelin/io/model_file.hpp"
#include "myelin/nn/summary.hpp"

namespace myelin::cli {
namespace {

void run_summary(const std::string& path) {
  const bool is_config = path.size() >= 5 && path.compare(path.size() - 5, 5, ".toml") == 0;
  nn::ModulePtr model;
  Shape input_shape;
  if (is_config) {
    const config::RunConfig c = config::load_config(path);
    // The data are read only when the config leaves the input shape to them.
    input_shape = c.model.input_shape.empty() ? config::load_data(c).input_shape : c.model.input_shape;
    model = config::build_model(c, input_shape);
  } else {
    const io::LoadedModel loaded = io::load_model(path);
    model = loaded.module;
    input_shape = from_metadata(loaded.metadata, path).input_shape;
  }
  std::cout << nn::to_string(nn::summary(*model, input_shape));
}

}  // namespace

void add_summary_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("summary", "Show a network's layers, output shapes, parameters and FLOPs");
  cmd->footer(
      "TARGET is a config file (.toml; its model is built, not trained) or a model file written\n"
      "by `myelin train`. FLOPs are per sample, a multiply-add counting 2.\n\n"
      "Examples:\n"
      "  myelin summary examples/fashion_mnist/mlp.toml\n"
      "  myelin summary runs/mlp/model.safetensors");
  cmd->add_option("TARGET", *path, "A config (.toml) or a model file (.safetensors)")->required()->check(CLI::ExistingFile);
  cmd->callback([path] { run_summary(*path); });
}

}  // namespace myelin::cli
