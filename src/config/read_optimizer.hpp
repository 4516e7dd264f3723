#pragma once
// Reading the [optimizer] table (internal to src/config).
#include "config/toml_reader.hpp"
#include "myelin/config/config.hpp"

namespace myelin::config {

/// [optimizer]: `type` (default "adam", checked against the known types) and that type's
/// settings, read into its options struct: a key left out keeps the struct's default (PyTorch's),
/// a key the type does not take is an error that suggests the nearest, and numbers must not be
/// negative. Throws Error "file:line: [optimizer] ..." naming the key.
OptimizerConfig read_optimizer(TableReader r);

}  // namespace myelin::config
