// source = "csv": tables with or without a header row, one file per part or one file split in row
// order; numeric features and a label column (numbers, class indices, or class names with
// labels_are_names), chosen by name or index; gaps an error, a dropped row or the training mean.
#include <utility>

#include "config/sources/sources.hpp"
#include "myelin/data/csv.hpp"
#include "myelin/data/missing_values.hpp"
#include "myelin/data/split.hpp"

namespace myelin::config {
namespace {

struct CsvSettings : SourceSettings {
  std::string label;                  // the label column: a name, or an index as text ("-1")
  std::vector<std::string> features;  // feature columns, names or indices (empty: all but the label)
  bool labels_are_names = false;      // labels are class names (mapped to 0..K-1)
  bool header = true;                 // the first row names the columns
  std::string missing = "error";      // what a gap does: "error", "drop" (the row) or "mean" (filled)
  std::vector<std::string> missing_values;  // more cells that mean "no value"
  std::vector<double> split;          // train/validation/test of the train file in row order; empty: none
};

data::CsvMissing missing_policy(const std::string& missing) {
  if (missing == "drop") return data::CsvMissing::drop;
  if (missing == "mean") return data::CsvMissing::keep_nan;
  return data::CsvMissing::error;
}

// `split` cuts the train file into all three parts, so no other key may make them.
void check_ordered_split(TableReader& r, const DataConfig& d) {
  const std::string why = "cannot be used together with split (which cuts the train file into the parts in row order)";
  if (d.test_split > 0) r.fail("test_split", why);
  if (d.validation_split > 0) r.fail("validation_split", why);
  for (const char* key : {"validation", "test"})
    if (!d.path(key).empty()) r.fail(key, why);
}

// The rows of `all` cut in order into the parts `sizes` (train, validation, test); a part of no
// rows stays undefined.
Parts in_row_order(const Part& all, const std::vector<int64_t>& sizes) {
  Parts parts;
  int64_t start = 0;
  for (auto [part, rows] : {std::pair{&parts.train, sizes[0]}, std::pair{&parts.validation, sizes[1]},
                            std::pair{&parts.test, sizes[2]}}) {
    if (rows > 0)
      *part = {all.inputs.slice(0, start, start + rows).contiguous(), all.targets.slice(0, start, start + rows).contiguous()};
    start += rows;
  }
  return parts;
}

// missing = "mean": the training part's feature means fill the gaps of every part.
void fill_gaps(const DataConfig& d, Parts& parts, PreparedData& out) {
  const Tensor means = at_key(d, "missing", "", [&] {
    return data::column_means_ignoring_nan(parts.train.inputs, out.feature_names);
  });
  for (Part* p : {&parts.train, &parts.validation, &parts.test})
    if (p->defined()) p->inputs = data::fill_nan(p->inputs, means);
  out.csv->fill_values = means.to_vector();
}

class CsvSource final : public DataSource {
 public:
  std::string name() const override { return "csv"; }
  std::string summary() const override {
    return "CSV tables (one per part, or one split in row order): numeric features and a label column";
  }

  void read_keys(TableReader& r, DataConfig& d) const override {
    auto s = std::make_shared<CsvSettings>();
    d.paths["train"] = r.require_string("train");
    d.paths["validation"] = r.get_string("validation", "");
    d.paths["test"] = r.get_string("test", "");
    if (!r.has("label")) r.require_string("label");  // throws "[data] needs the key 'label'"
    s->label = r.get_column("label", "");
    s->features = r.get_columns("features");
    s->labels_are_names = r.get_bool("labels_are_names", false);
    s->header = r.get_bool("header", true);
    s->missing = r.get_string("missing", "error");
    check_choice(r, "missing", s->missing, {"error", "drop", "mean"});
    s->missing_values = r.get_strings("missing_values");
    s->split = read_ordered_split(r);
    if (!s->split.empty()) check_ordered_split(r, d);
    d.settings = s;
  }

  PreparedData load(const RunConfig& config) const override {
    const DataConfig& d = config.data;
    const CsvSettings& s = settings_of<CsvSettings>(d);
    PreparedData out;
    out.csv = CsvPreparation{.header = s.header, .missing = s.missing, .missing_values = s.missing_values};
    data::CsvOptions options{.label_column = s.label, .feature_columns = s.features,
                             .labels_are_class_names = s.labels_are_names,
                             .class_names = s.labels_are_names ? d.class_names : std::vector<std::string>{},
                             .header = s.header, .missing = missing_policy(s.missing),
                             .missing_values = s.missing_values,
                             .labels_are_class_indices = config.loss.classifies() && !s.labels_are_names};
    Parts parts;
    parts.train = read_part(d, "train", options, out);
    if (s.split.empty()) {
      parts.validation = read_part(d, "validation", options, out);
      parts.test = read_part(d, "test", options, out);
    } else {
      const int64_t rows = parts.train.inputs.size(0);
      const std::vector<int64_t> sizes = at_key(d, "split", "", [&] { return data::split_sizes(rows, s.split); });
      if (sizes[0] == 0)
        throw Error(d.where_of("split").str() + ": [data] split leaves the training part of " + d.path("train") +
                    " (" + std::to_string(rows) + " rows) empty");
      Parts cut = in_row_order(parts.train, sizes);
      parts.train = std::move(cut.train);
      parts.validation = std::move(cut.validation);
      parts.test = std::move(cut.test);
    }
    if (s.missing == "mean")
      parts.after_hold_out = [&d](Parts& held_out, PreparedData& prepared) { fill_gaps(d, held_out, prepared); };
    out.class_names = s.labels_are_names ? options.class_names : d.class_names;
    out.labels_are_names = s.labels_are_names;
    return prepare_parts(config, std::move(parts), std::move(out));
  }

 private:
  // One table. The first (training) table fixes the columns, by name (or index without a
  // header), and the class names, so that the validation and test tables are read alike.
  static Part read_part(const DataConfig& d, const std::string& key, data::CsvOptions& options, PreparedData& out) {
    const std::string path = d.path(key);
    if (path.empty()) return {};
    data::CsvTable t = at_key(d, key, path, [&] { return data::read_csv(path, options); });
    options.label_column = out.label_column = t.label_name;
    options.feature_columns = out.feature_names = t.feature_names;
    if (options.labels_are_class_names) options.class_names = t.class_names;
    out.csv->rows_dropped += t.rows_dropped;
    out.csv->cells_filled += t.cells_missing;
    return {t.features, t.labels};
  }
};

}  // namespace

const DataSource& csv_source() {
  static const CsvSource source;
  return source;
}

}  // namespace myelin::config
