// `myelin summary CONFIG|MODEL`: the layers, output shapes, parameter counts and FLOPs.
#include <iostream>

#include "commands.hpp"
#include "inspect.hpp"
#include "max_memory.hpp"
#include "myelin/nn/summary.hpp"

namespace myelin::cli {

void add_summary_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto max_memory = std::make_shared<uint64_t>(0);
  CLI::App* cmd = app.add_subcommand("summary", "Show a network's layers, output shapes, parameters and FLOPs");
  cmd->footer(
      "TARGET is a config file (.toml; its model is built, not trained) or a model file written\n"
      "by `myelin train`. FLOPs are per sample, a multiply-add counting 2.\n\n"
      "Examples:\n"
      "  myelin summary examples/fashion_mnist/mlp.toml\n"
      "  myelin summary runs/mlp/model.safetensors");
  cmd->add_option("TARGET", *path, "A config (.toml) or a model file (.safetensors)")->required()->check(CLI::ExistingFile);
  add_max_memory_option(cmd, *max_memory);
  cmd->callback([path, max_memory] {
    const InspectedModel m = inspect(*path, *max_memory);
    std::cout << nn::to_string(nn::summary(*m.model, m.input_shape));
  });
}

}  // namespace myelin::cli
