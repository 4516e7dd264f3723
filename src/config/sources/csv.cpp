// source = "csv": tables with a header row, one file per part; numeric features and a label
// column (numbers, or class names with labels_are_names).
#include "config/sources/sources.hpp"
#include "myelin/data/csv.hpp"

namespace myelin::config {
namespace {

struct CsvSettings : SourceSettings {
  std::string label;                  // the label column
  std::vector<std::string> features;  // feature columns (empty: all but the label)
  bool labels_are_names = false;      // labels are class names (mapped to 0..K-1)
};

class CsvSource final : public DataSource {
 public:
  std::string name() const override { return "csv"; }
  std::string summary() const override { return "CSV tables, one per part: numeric features and a label column"; }

  void read_keys(TableReader& r, DataConfig& d) const override {
    auto s = std::make_shared<CsvSettings>();
    d.paths["train"] = r.require_string("train");
    d.paths["validation"] = r.get_string("validation", "");
    d.paths["test"] = r.get_string("test", "");
    s->label = r.require_string("label");
    s->features = r.get_strings("features");
    s->labels_are_names = r.get_bool("labels_are_names", false);
    d.settings = s;
  }

  PreparedData load(const RunConfig& config) const override {
    const DataConfig& d = config.data;
    const CsvSettings& s = settings_of<CsvSettings>(d);
    PreparedData out;
    std::vector<std::string> names = s.labels_are_names ? d.class_names : std::vector<std::string>{};
    out.feature_names = s.features;
    Parts parts;
    parts.train = read_part(d, s, "train", names, out.feature_names);
    parts.validation = read_part(d, s, "validation", names, out.feature_names);
    parts.test = read_part(d, s, "test", names, out.feature_names);
    out.class_names = s.labels_are_names ? names : d.class_names;
    out.label_column = s.label;
    out.labels_are_names = s.labels_are_names;
    return prepare_parts(config, std::move(parts), std::move(out));
  }

 private:
  // One table; the validation and test tables are read with the training table's feature
  // columns and class names.
  static Part read_part(const DataConfig& d, const CsvSettings& s, const std::string& key,
                        std::vector<std::string>& class_names, std::vector<std::string>& feature_names) {
    const std::string path = d.path(key);
    if (path.empty()) return {};
    data::CsvOptions options{.label_column = s.label, .feature_columns = feature_names,
                             .labels_are_class_names = s.labels_are_names, .class_names = class_names};
    data::CsvTable t = at_key(d, key, path, [&] { return data::read_csv(path, options); });
    if (s.labels_are_names) class_names = t.class_names;  // later parts share the training mapping
    feature_names = t.feature_names;
    return {t.features, t.labels};
  }
};

}  // namespace

const DataSource& csv_source() {
  static const CsvSource source;
  return source;
}

}  // namespace myelin::config
