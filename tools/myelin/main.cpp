// myelin: train, evaluate and use neural networks described in a TOML file, without writing C++.
#include <cstdio>

#include "commands.hpp"
#include "myelin/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "myelin: train neural networks described in one TOML file.\n\n"
      "A first session:\n"
      "  myelin summary examples/fashion_mnist/mlp.toml      # the layers, shapes and sizes\n"
      "  myelin draw examples/fashion_mnist/mlp.toml -o mlp.svg   # a picture of the network\n"
      "  myelin train examples/fashion_mnist/mlp.toml        # writes runs/mlp/\n"
      "  myelin eval runs/mlp/model.safetensors examples/fashion_mnist/mlp.toml\n"
      "  myelin predict runs/mlp/model.safetensors images.idx --top 3\n\n"
      "docs/config.md describes every key of the config file.",
      "myelin"};
  app.set_version_flag("--version", std::string("myelin ") + MYELIN_VERSION);
  app.require_subcommand(1);
  myelin::cli::add_train_command(app);
  myelin::cli::add_eval_command(app);
  myelin::cli::add_predict_command(app);
  myelin::cli::add_summary_command(app);
  myelin::cli::add_draw_command(app);
  myelin::cli::add_export_command(app);
  myelin::cli::add_import_command(app);
  myelin::cli::add_detect_command(app);
  myelin::cli::add_enrol_command(app);
  myelin::cli::add_identify_command(app);
  myelin::cli::add_generate_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const myelin::cli::Exit& e) {
    return e.code;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "myelin: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
