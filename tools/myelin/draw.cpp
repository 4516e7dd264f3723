// `myelin draw CONFIG|MODEL -o net.svg`: a picture of the network as layers of neurons joined
// by channels.
#include <cstdio>

#include "commands.hpp"
#include "inspect.hpp"
#include "max_memory.hpp"
#include "myelin/io/atomic_write.hpp"
#include "myelin/nn/summary.hpp"
#include "myelin/viz/network.hpp"

namespace myelin::cli {
namespace {

struct DrawArgs {
  std::string target;
  std::string output = "network.svg";
  int max_neurons = 10;
  uint64_t max_memory = 0;  // bytes; 0: the machine's memory
};

void run_draw(const DrawArgs& args) {
  const InspectedModel m = inspect(args.target, args.max_memory);
  viz::NetworkDrawOptions options;
  options.max_neurons = args.max_neurons;
  options.output_names = m.class_names;
  io::write_file_atomically(args.output, viz::network_svg(nn::summary(*m.model, m.input_shape), options));
  std::printf("wrote %s\n", args.output.c_str());
}

}  // namespace

void add_draw_command(CLI::App& app) {
  auto args = std::make_shared<DrawArgs>();
  CLI::App* cmd = app.add_subcommand("draw", "Draw a network as layers of neurons joined by channels (SVG)");
  cmd->footer(
      "Dense layers are drawn as columns of neurons with the channels (weights) between them;\n"
      "large layers show their first and last neurons around a '⋮' and their true size below.\n"
      "Activations are tags on the layer they follow; convolution, pooling and recurrent layers\n"
      "are boxes labelled with their output shape. Open the SVG in any web browser.\n\n"
      "Examples:\n"
      "  myelin draw examples/fashion_mnist/mlp.toml -o mlp.svg\n"
      "  myelin draw runs/mlp/model.safetensors -o trained.svg --max-neurons 6");
  cmd->add_option("TARGET", args->target, "A config (.toml) or a model file (.safetensors)")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "The SVG file to write (default network.svg)");
  cmd->add_option("--max-neurons", args->max_neurons, "Neurons drawn per column before eliding (>= 3)")
      ->check(CLI::Range(3, 1000));
  add_max_memory_option(cmd, args->max_memory);
  cmd->callback([args] { run_draw(*args); });
}

}  // namespace myelin::cli
