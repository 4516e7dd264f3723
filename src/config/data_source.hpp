#pragma once
// DataSource: one kind of [data] source ("csv", "npy", "time_series", ...), as a reader in a
// registry: its keys and their checks, how it loads a run's parts, and its line in the docs.
// Each source is one file under src/config/sources/ and one line in the registry
// (src/config/data_sources.cpp). Internal to src/config.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/toml_reader.hpp"
#include "myelin/config/config.hpp"
#include "myelin/error.hpp"

namespace myelin::config {

/// DataSource: reads and loads one kind of data. A source is stateless; its settings live in
/// the DataConfig it reads.
class DataSource {
 public:
  virtual ~DataSource() = default;
  /// The `source = "..."` name.
  virtual std::string name() const = 0;
  /// One line for docs and messages: what the source reads.
  virtual std::string summary() const = 0;
  /// Reads the source's own [data] keys into d.settings (and d.paths for its file keys, not yet
  /// resolved), checking each against the common keys already in `d`. Fails through `r` naming
  /// the key. The common keys are read before; r.finish() is called after.
  virtual void read_keys(TableReader& r, DataConfig& d) const = 0;
  /// Loads and prepares the data of `config` (whose data.source is this source).
  virtual PreparedData load(const RunConfig& config) const = 0;
};

/// The source named `name`; null when none is registered under it.
const DataSource* find_data_source(const std::string& name);

/// The settings of `d` as the source's own type (each source reads its settings this way).
template <class Settings>
const Settings& settings_of(const DataConfig& d) {
  const auto* s = dynamic_cast<const Settings*>(d.settings.get());
  if (!s) throw Error(d.where.str() + ": [data] the settings of source '" + d.source + "' were not read by its reader");
  return *s;
}

// ---- Helpers the array-style sources share ----

/// Inputs and targets of one part of a run (train, validation or test), before preprocessing.
struct Part {
  Tensor inputs, targets;
  bool defined() const { return inputs.defined(); }
};

/// The three parts a source read; validation and test may be undefined.
struct Parts {
  Part train, validation, test;
  /// A source's own step once the parts are held out, before any scaling (csv: gaps filled with
  /// the training part's means); null for none.
  std::function<void(Parts&, PreparedData&)> after_hold_out;
};

/// Throws IoError at `key` when the file `path` (non-empty) does not exist.
void check_exists(const DataConfig& d, const std::string& key, const std::string& path);

/// Runs `read`, turning a missing file or a read error into an IoError at the [data] key that
/// named the file (`path` "" skips the existence check).
template <class Read>
auto at_key(const DataConfig& d, const std::string& key, const std::string& path, Read read) {
  check_exists(d, key, path);
  try {
    return read();
  } catch (const Error& e) {
    throw IoError(d.where_of(key).str() + ": [data] " + key + ": " + e.what());
  }
}

/// Every example of a data set, as one batch of new tensors (undefined for an empty set).
Part rows(const data::Dataset& dataset);

/// The common preparation of parts read as tensors, into `out`: holds out test_split and then
/// validation_split (seeded by train.seed; the test part first, so it is the same whatever the
/// validation split), runs parts.after_hold_out, divides by divide_by, makes (N) targets (N, 1)
/// for elementwise losses, standardizes with training statistics (unless the source scaled them
/// itself: out.time_series), checks [model] input_shape, and wraps the parts as data sets (the
/// training part augmented when augmentation is on).
PreparedData prepare_parts(const RunConfig& config, Parts parts, PreparedData out);

/// Reads `split` = [train, validation, test] (fractions summing to 1, or row counts) for
/// sources whose rows stay in order; empty when the key is absent.
std::vector<double> read_ordered_split(TableReader& r);

/// Rejects the keys that would shuffle rows kept in time order (validation_split, test_split) or
/// that do not apply to sequences (divide_by, augment), naming the source.
void reject_shuffling_keys(TableReader& r, const DataConfig& d);

}  // namespace myelin::config
