// Reading a run config from TOML: every section, key and type checked, with file:line errors.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "config/data_source.hpp"
#include "config/read_optimizer.hpp"
#include "config/toml_limits.hpp"
#include "config/toml_reader.hpp"
#include "myelin/error.hpp"
#include "myelin/nn/module.hpp"
#include "myelin/train/metrics.hpp"

namespace myelin::config {

std::string Location::str() const { return line > 0 ? file + ":" + std::to_string(line) : file; }

bool LossConfig::classifies() const { return type == "cross_entropy" || type == "nll"; }

namespace {

void check_positive(const TableReader& r, const std::string& key, double v) {
  if (!(v > 0)) r.fail(key, "must be positive");
}

// [data.augment]: random augmentation of the training images.
data::ImageAugment read_augment(TableReader r) {
  data::ImageAugment a;
  a.crop_padding = r.get_int("crop_padding", 0);
  if (a.crop_padding < 0) r.fail("crop_padding", "must not be negative");
  a.horizontal_flip = r.get_bool("horizontal_flip", false);
  a.max_shift = static_cast<float>(r.get_double("max_shift", 0));
  if (a.max_shift < 0 || a.max_shift >= 1) r.fail("max_shift", "must be in [0, 1) (a fraction of the image size)");
  a.max_rotation = static_cast<float>(r.get_double("max_rotation", 0));
  if (a.max_rotation < 0 || a.max_rotation > 180) r.fail("max_rotation", "must be in [0, 180] (degrees)");
  a.erase_probability = static_cast<float>(r.get_double("erase_probability", 0));
  if (a.erase_probability < 0 || a.erase_probability > 1) r.fail("erase_probability", "must be in [0, 1]");
  r.finish();
  return a;
}

// [data]: the keys every source shares, then the source's own keys (its reader in the registry).
DataConfig read_data(TableReader r, const toml::table& table, const std::string& file) {
  DataConfig d;
  d.where = r.where();
  d.source = r.require_string("source");
  check_choice(r, "source", d.source, data_source_names());
  d.validation_split = r.get_double("validation_split", 0);
  if (d.validation_split < 0 || d.validation_split >= 1) r.fail("validation_split", "must be in [0, 1)");
  d.test_split = r.get_double("test_split", 0);
  if (d.test_split < 0 || d.test_split >= 1) r.fail("test_split", "must be in [0, 1)");
  if (const toml::table* a = r.get_table("augment")) d.augment = read_augment(TableReader(*a, "[data.augment]", file));
  d.standardize = r.get_bool("standardize", false);
  d.divide_by = r.get_double("divide_by", 1);
  check_positive(r, "divide_by", d.divide_by);
  d.class_names = r.get_strings("class_names");
  find_data_source(d.source)->read_keys(r, d);
  for (const char* part : {"validation", "test"}) {
    const bool file_given = !d.path(part).empty() || !d.path(std::string(part) + "_images").empty();
    const std::string split_key = std::string(part) + "_split";
    if (file_given && (part == std::string("test") ? d.test_split : d.validation_split) > 0)
      r.fail(split_key, std::string("cannot be used together with a ") + part + " file");
  }
  if (d.augment.active() && d.flatten)
    r.fail("augment", "moves the pixels of images, so it needs image data kept as (C, H, W): an image source with flatten = false");
  r.finish();
  // Relative data paths are relative to the config file, so a run works from any directory.
  const std::string base = file.find('/') == std::string::npos ? "" : file.substr(0, file.rfind('/') + 1);
  for (auto& [key, path] : d.paths)
    if (!path.empty() && path[0] != '/') path = base + path;
  for (const auto& [key, node] : table) d.key_where[std::string(key.str())] = location_of(file, node);
  return d;
}

// Activation names a newcomer writes, by the module type they mean.
const std::vector<std::pair<std::string, std::string>>& activation_names() {
  static const std::vector<std::pair<std::string, std::string>> names = {
      {"relu", "ReLU"}, {"sigmoid", "Sigmoid"}, {"tanh", "Tanh"}, {"gelu", "GELU"},
      {"leaky_relu", "LeakyReLU"}, {"elu", "ELU"}, {"softplus", "Softplus"}, {"softmax", "Softmax"},
      {"log_softmax", "LogSoftmax"}, {"linear", ""}, {"none", ""}};
  return names;
}

std::string activation_type(const TableReader& r, const std::string& name) {
  std::vector<std::string> known;
  for (const auto& [n, type] : activation_names()) {
    if (n == name) return type;
    known.push_back(n);
  }
  check_choice(r, "activation", name, known);
  return "";
}

// A layer table named `name` in messages: `type`, the sugar keys, a Residual's branches, and
// every other key as a module setting.
LayerConfig read_layer(const toml::table& t, const std::string& name, const std::string& file) {
  TableReader r(t, name, file);
  LayerConfig layer;
  layer.where = r.where();
  layer.spec.type = r.require_string("type");
  layer.activation = activation_type(r, r.get_string("activation", "none"));
  for (const auto& [key, node] : t) {
    std::string k(key.str());
    if (k == "type" || k == "activation") continue;
    if (k == "units" && layer.spec.type == "Linear") k = "out_features";  // Keras's name
    if (layer.spec.type == "Residual" && (k == "body" || k == "shortcut")) {
      const toml::array* branch = node.as_array();
      if (!branch || branch->empty() || !branch->is_array_of_tables())
        r.fail(k, "must be a list of layer tables, e.g. [[model.layers." + k + "]] with type = \"Conv2d\"");
      for (size_t i = 0; i < branch->size(); ++i)
        (k == "body" ? layer.body : layer.shortcut)
            .push_back(read_layer(*(*branch)[i].as_table(), name + " " + k + " layer " + std::to_string(i + 1), file));
      continue;
    }
    layer.key_where[k] = location_of(file, node);
    if (auto v = node.value_exact<int64_t>()) layer.spec.set(k, *v);
    else if (auto v = node.value_exact<double>()) layer.spec.set(k, *v);
    else if (auto v = node.value_exact<bool>()) layer.spec.set(k, *v);
    else if (auto v = node.value_exact<std::string>()) layer.spec.set(k, *v);
    else if (node.is_array()) layer.spec.set(k, r.get_ints(std::string(key.str())));
    else r.fail(std::string(key.str()), "must be a number, boolean, string or array of integers");
  }
  return layer;
}

ModelConfig read_model(TableReader r, const std::string& file) {
  ModelConfig m;
  m.where = r.where();
  m.input_shape = r.get_ints("input_shape");
  for (int64_t d : m.input_shape)
    if (d <= 0) r.fail("input_shape", "must hold positive sizes");
  const toml::array* layers = r.get_table_array("layers");
  if (!layers || layers->empty())
    throw Error(m.where.str() + ": [model] needs at least one layer, e.g.\n  [[model.layers]]\n  type = \"Linear\"\n  units = 10");
  for (size_t i = 0; i < layers->size(); ++i)
    m.layers.push_back(read_layer(*(*layers)[i].as_table(), "[[model.layers]] number " + std::to_string(i + 1), file));
  r.finish();
  return m;
}

LossConfig read_loss(TableReader r) {
  LossConfig l;
  l.where = r.where();
  l.type = r.get_string("type", "cross_entropy");
  l.type_where = r.where("type");
  check_choice(r, "type", l.type, {"cross_entropy", "nll", "mse", "l1", "huber", "bce_with_logits"});
  if (l.type == "cross_entropy") {
    l.label_smoothing = r.get_double("label_smoothing", 0);
    if (l.label_smoothing < 0 || l.label_smoothing > 1) r.fail("label_smoothing", "must be in [0, 1]");
  }
  if (l.classifies()) l.class_weights = r.get_doubles("class_weights");
  if (l.type == "huber") {
    l.delta = r.get_double("delta", 1);
    check_positive(r, "delta", l.delta);
  }
  if (l.type == "bce_with_logits") l.pos_weight = r.get_doubles("pos_weight");
  r.finish();
  return l;
}

ScheduleConfig read_schedule(TableReader r) {
  ScheduleConfig s;
  s.where = r.where();
  s.type = r.get_string("type", "none");
  check_choice(r, "type", s.type, {"none", "step", "exponential", "cosine", "plateau"});
  auto number = [&](const std::string& key, double fallback) { s.settings[key] = r.get_double(key, fallback); };
  if (s.type == "step") {
    s.settings["step_size"] = static_cast<double>(r.get_int("step_size", 10));
    if (s.settings["step_size"] < 1) r.fail("step_size", "must be at least 1");
    number("gamma", 0.1);
  } else if (s.type == "exponential") {
    number("gamma", 0.9);
  } else if (s.type == "cosine") {
    s.settings["warmup_epochs"] = static_cast<double>(r.get_int("warmup_epochs", 0));
    number("min_lr", 0);
  } else if (s.type == "plateau") {
    s.monitor = r.get_string("monitor", "val_loss");
    number("factor", 0.1);
    s.settings["patience"] = static_cast<double>(r.get_int("patience", 10));
    number("threshold", 1e-4);
    s.settings["cooldown"] = static_cast<double>(r.get_int("cooldown", 0));
    number("min_lr", 0);
  }
  for (const auto& [key, v] : s.settings)
    if (v < 0) r.fail(key, "must not be negative");
  r.finish();
  return s;
}

TrainConfig read_train(TableReader r, const std::string& file) {
  TrainConfig t;
  t.where = r.where();
  t.epochs = r.get_int("epochs", 10);
  t.batch_size = r.get_int("batch_size", 32);
  const int64_t seed = r.get_int("seed", 0);
  if (seed < 0) r.fail("seed", "must not be negative");
  t.seed = static_cast<uint64_t>(seed);
  t.threads = r.get_int("threads", 0);
  t.metrics = r.get_strings("metrics");
  t.metrics_where = r.where("metrics");
  try {
    metrics::MetricTracker check(t.metrics);
  } catch (const Error& e) {
    r.fail("metrics", std::string("has a name it does not know: ") + e.what());
  }
  t.checkpoint_every = r.get_int("checkpoint_every", 1);
  t.clip_grad_norm = r.get_double("clip_grad_norm", 0);
  t.prefetch = r.get_int("prefetch", 2);
  for (const char* key : {"epochs", "batch_size", "checkpoint_every"})
    if (r.get_int(key, 1) < 1) r.fail(key, "must be at least 1");
  for (const char* key : {"threads", "prefetch"})
    if (r.get_int(key, 0) < 0) r.fail(key, "must not be negative");
  if (t.clip_grad_norm < 0) r.fail("clip_grad_norm", "must not be negative (0 turns clipping off)");
  if (const toml::table* es = r.get_table("early_stopping")) {
    TableReader e(*es, "[train.early_stopping]", file);
    EarlyStoppingConfig c;
    c.monitor = e.get_string("monitor", c.monitor);
    c.patience = e.get_int("patience", c.patience);
    c.min_delta = e.get_double("min_delta", c.min_delta);
    if (c.patience < 1) e.fail("patience", "must be at least 1");
    if (c.min_delta < 0) e.fail("min_delta", "must not be negative");
    e.finish();
    t.early_stopping = c;
  }
  r.finish();
  return t;
}

}  // namespace

RunConfig load_config(const std::string& path) {
  const toml::table root = parse_toml_file(path);
  RunConfig c;
  c.path = path;
  TableReader r(root, "the config", path);
  const toml::table empty;
  auto section = [&](const std::string& key) -> const toml::table& {
    const toml::table* t = r.get_table(key);
    return t ? *t : empty;
  };
  if (!r.has("data")) throw Error(path + ": the config needs a [data] section (e.g. source = \"csv\")");
  if (!r.has("model")) throw Error(path + ": the config needs a [model] section with [[model.layers]]");
  c.data = read_data(TableReader(section("data"), "[data]", path), section("data"), path);
  c.model = read_model(TableReader(section("model"), "[model]", path), path);
  c.loss = read_loss(TableReader(section("loss"), "[loss]", path));
  c.optimizer = read_optimizer(TableReader(section("optimizer"), "[optimizer]", path));
  c.schedule = read_schedule(TableReader(section("schedule"), "[schedule]", path));
  c.train = read_train(TableReader(section("train"), "[train]", path), path);
  r.finish();
  return c;
}

}  // namespace myelin::config
