#pragma once
// Gaps in a series: linear interpolation in time, and a SeriesTable's gaps handled as its
// spec's SeriesMissing policy says.
#include <cstdint>
#include <string>
#include <vector>

#include "myelin/data/series_table.hpp"

namespace myelin::data {

/// values (N, F) with each NaN replaced by the straight line between the nearest values before
/// and after it in its column, at `times` (N, increasing; empty: 0, 1, ..., N - 1); before the
/// first or after the last value, by that value. A new tensor.
/// Throws ShapeError unless values is (N, F) and times has N entries (or none), and Error when
/// a column with gaps has no value at all (named by names[j] when names has F entries).
Tensor interpolate_gaps(const Tensor& values, const std::vector<double>& times = {},
                        const std::vector<std::string>& names = {});

/// The time of each row of `table`: seconds since 1970 of its dates, or 0, 1, ..., N - 1 when
/// it has none.
std::vector<double> series_times(const SeriesTable& table);

/// Rows [begin, end) of `table` (values, dates, lines, sources), 0 <= begin <= end <= N.
SeriesTable table_rows(const SeriesTable& table, int64_t begin, int64_t end);

/// Whether a row of `table` has a gap (NaN) in one of the columns `columns` (indices into
/// table.columns).
bool has_gaps(const SeriesTable& table, const std::vector<int64_t>& columns);

/// `table` with the gaps in `columns` handled as table.spec.missing says (gaps in other
/// columns stay NaN): error throws IoError "path:line: column 'c': missing value ..." for the
/// first one; drop leaves out the rows that have one; mean fills column j with
/// spec.fill_values[j]; interpolate uses interpolate_gaps over series_times.
/// Throws Error under mean without fill_values, or when drop leaves no rows.
SeriesTable fill_series_gaps(const SeriesTable& table, const std::vector<int64_t>& columns, const std::string& path);

}  // namespace myelin::data
