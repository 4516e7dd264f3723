#pragma once
// The subcommands of the `myelin` tool; each file registers one on the CLI11 app.
#include <CLI/CLI.hpp>

namespace myelin::cli {

/// Registers `myelin train`, `eval`, `predict`, `summary` and `draw` on `app`. Each command runs in its
/// subcommand's callback, reports failures by throwing myelin::Error (main prints it and exits
/// 1) or Exit (for another status).
void add_train_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_summary_command(CLI::App& app);
void add_draw_command(CLI::App& app);
/// `myelin export` (ONNX) and `myelin import` (ONNX to a model file).
void add_export_command(CLI::App& app);
void add_import_command(CLI::App& app);
/// `myelin detect`: a sliding-window detector from an image classifier (tools/myelin/detect.cpp).
void add_detect_command(CLI::App& app);
/// `myelin enrol` and `myelin identify`: recognising people by embedding (tools/myelin/identity.cpp).
void add_enrol_command(CLI::App& app);
void add_identify_command(CLI::App& app);
void add_generate_command(CLI::App& app);

/// Ends the program with `code` (the command has printed its message).
struct Exit {
  int code;
};

}  // namespace myelin::cli
