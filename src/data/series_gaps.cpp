// Gaps in a series: interpolation in time, and the SeriesMissing policies applied to a table.
#include "myelin/data/series_gaps.hpp"

#include <cmath>

#include "data/series_rows.hpp"
#include "myelin/data/missing_values.hpp"
#include "myelin/error.hpp"
#include "myelin/quote.hpp"

namespace myelin::data {
namespace {

bool is_gap(const SeriesTable& table, int64_t row, int64_t column) {
  return std::isnan(table.values.data()[row * table.values.size(1) + column]);
}

// The rows of `table` that keep[r] says to keep.
SeriesTable kept_rows(const SeriesTable& table, const std::vector<bool>& keep) {
  SeriesTable out;
  out.columns = table.columns;
  out.spec = table.spec;
  const int64_t f = table.values.size(1);
  std::vector<float> values;
  for (int64_t r = 0; r < static_cast<int64_t>(keep.size()); ++r) {
    if (!keep[r]) continue;
    values.insert(values.end(), table.values.data() + r * f, table.values.data() + (r + 1) * f);
    out.lines.push_back(table.lines[r]);
    if (!table.dates.empty()) out.dates.push_back(table.dates[r]);
    if (!table.sources.empty()) out.sources.push_back(table.sources[r]);
  }
  out.values = Tensor::from_vector(values, {static_cast<int64_t>(out.lines.size()), f});
  return out;
}

// `table` with its columns `columns` replaced by fill(those columns (N, K)) (N, K).
template <class Fill>
SeriesTable with_columns_replaced(const SeriesTable& table, const std::vector<int64_t>& columns, Fill fill) {
  const int64_t n = table.values.size(0), f = table.values.size(1), k = static_cast<int64_t>(columns.size());
  Tensor part = Tensor::empty({n, k});
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < k; ++j) part.data()[r * k + j] = table.values.data()[r * f + columns[j]];
  const Tensor filled = fill(part).contiguous();
  SeriesTable out = table;
  out.values = table.values.contiguous().clone();
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < k; ++j) out.values.data()[r * f + columns[j]] = filled.data()[r * k + j];
  return out;
}

}  // namespace

Tensor interpolate_gaps(const Tensor& values, const std::vector<double>& times, const std::vector<std::string>& names) {
  if (!values.defined() || values.dim() != 2)
    throw ShapeError("interpolate_gaps: expected a table (N, F), got " +
                     (values.defined() ? to_string(values.shape()) : std::string("an undefined tensor")));
  const int64_t n = values.size(0), f = values.size(1);
  if (!times.empty() && static_cast<int64_t>(times.size()) != n)
    throw ShapeError("interpolate_gaps: " + std::to_string(times.size()) + " times for " + std::to_string(n) + " rows");
  auto time = [&](int64_t r) { return times.empty() ? static_cast<double>(r) : times[r]; };
  Tensor out = values.detach().contiguous().clone();
  float* v = out.data();  // v: (N, F)
  for (int64_t j = 0; j < f; ++j) {
    int64_t before = -1;  // the last row with a value, above the gap
    for (int64_t r = 0; r < n; ++r) {
      if (!std::isnan(v[r * f + j])) {
        before = r;
        continue;
      }
      int64_t after = r + 1;
      while (after < n && std::isnan(v[after * f + j])) ++after;
      if (before < 0 && after == n) {
        const std::string column = names.size() == static_cast<size_t>(f) ? quote_prefix(names[j]) : std::to_string(j);
        throw Error("column " + column + " has no values in any of its " + std::to_string(n) +
                    " rows, so there is nothing to interpolate its gaps from");
      }
      for (; r < after; ++r) {
        if (before < 0) v[r * f + j] = v[after * f + j];
        else if (after == n) v[r * f + j] = v[before * f + j];
        else {
          const double share = (time(r) - time(before)) / (time(after) - time(before));
          v[r * f + j] = static_cast<float>(v[before * f + j] + share * (v[after * f + j] - v[before * f + j]));
        }
      }
      before = after;  // the loop's ++r moves past `after`, which has a value
    }
  }
  return out;
}

std::vector<double> series_times(const SeriesTable& table) {
  std::vector<double> times;
  for (const std::string& date : table.dates) times.push_back(seconds_since_epoch(date));
  if (times.empty())
    for (int64_t r = 0; r < table.values.size(0); ++r) times.push_back(static_cast<double>(r));
  return times;
}

SeriesTable table_rows(const SeriesTable& table, int64_t begin, int64_t end) {
  const int64_t n = table.values.size(0);
  if (begin < 0 || begin > end || end > n)
    throw Error("table_rows: rows [" + std::to_string(begin) + ", " + std::to_string(end) + ") are outside the " +
                std::to_string(n) + " rows");
  std::vector<bool> keep(static_cast<size_t>(n), false);
  for (int64_t r = begin; r < end; ++r) keep[r] = true;
  return kept_rows(table, keep);
}

bool has_gaps(const SeriesTable& table, const std::vector<int64_t>& columns) {
  for (int64_t r = 0; r < table.values.size(0); ++r)
    for (int64_t c : columns)
      if (is_gap(table, r, c)) return true;
  return false;
}

SeriesTable fill_series_gaps(const SeriesTable& table, const std::vector<int64_t>& columns, const std::string& path) {
  const SeriesColumns& spec = table.spec;
  const int64_t n = table.values.size(0), f = table.values.size(1);
  for (int64_t c : columns)
    if (c < 0 || c >= f) throw Error("fill_series_gaps: column " + std::to_string(c) + " is outside [0, " + std::to_string(f) + ")");
  if (!has_gaps(table, columns)) return table;
  switch (spec.missing) {
    case SeriesMissing::error:
      for (int64_t r = 0; r < n; ++r)
        for (int64_t c : columns)
          if (is_gap(table, r, c))
            throw IoError(path + ":" + std::to_string(table.lines[r]) + ": column " +
                          quote_prefix(table.sources.empty() ? table.columns[c] : table.sources[r]) +
                          ": missing value" + detail::kSeriesMissingHint);
      break;
    case SeriesMissing::drop: {
      std::vector<bool> keep(static_cast<size_t>(n), true);
      for (int64_t r = 0; r < n; ++r)
        for (int64_t c : columns) keep[r] = keep[r] && !is_gap(table, r, c);
      SeriesTable out = kept_rows(table, keep);
      if (out.values.size(0) == 0) throw Error(path + ": every row has a gap, so missing = \"drop\" leaves none");
      return out;
    }
    case SeriesMissing::mean: {
      if (static_cast<int64_t>(spec.fill_values.size()) != f)
        throw Error(path + ": missing = \"mean\" needs the training means of the " + std::to_string(f) +
                    " columns (SeriesColumns::fill_values), which a prepared model keeps");
      std::vector<float> means;
      for (int64_t c : columns) means.push_back(spec.fill_values[c]);
      const Tensor m = Tensor::from_vector(means, {static_cast<int64_t>(columns.size())});
      return with_columns_replaced(table, columns, [&](const Tensor& part) { return fill_nan(part, m); });
    }
    case SeriesMissing::interpolate: {
      std::vector<std::string> names;
      for (int64_t c : columns) names.push_back(table.columns[c]);
      const std::vector<double> times = series_times(table);
      return with_columns_replaced(table, columns,
                                   [&](const Tensor& part) { return interpolate_gaps(part, times, names); });
    }
  }
  return table;
}

}  // namespace myelin::data
