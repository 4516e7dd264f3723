#include "inspect.hpp"

#include "model_info.hpp"
#include "myelin/config/config.hpp"
#include "myelin/io/model_file.hpp"

namespace myelin::cli {

bool is_config(const std::string& path) {
  return path.size() >= 5 && path.compare(path.size() - 5, 5, ".toml") == 0;
}

InspectedModel inspect(const std::string& path, uint64_t max_memory_bytes) {
  InspectedModel out;
  if (is_config(path)) {
    const config::RunConfig c = config::load_config(path);
    config::ModelLimits limits{.max_memory_bytes = max_memory_bytes};
    // The data are read only when the config leaves the input shape (or class names) to them.
    if (c.model.input_shape.empty()) {
      const config::PreparedData data = config::load_data(c);
      out.input_shape = data.input_shape;
      out.class_names = data.class_names;
      limits.examples = data.train->size();
    } else {
      out.input_shape = c.model.input_shape;
    }
    out.model = config::build_model(c, out.input_shape, nullptr, limits);
  } else {
    const io::LoadedModel loaded = io::load_model(path);
    const ModelInfo info = from_metadata(loaded.metadata, path);
    out.model = loaded.module;
    out.input_shape = info.input_shape;
    out.class_names = info.class_names;
  }
  return out;
}

}  // namespace myelin::cli
