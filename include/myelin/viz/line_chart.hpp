#pragma once
// Line charts as SVG: a few named series of values over a shared x axis (e.g. a forecast
// against the actual values, day by day).
#include <string>
#include <utility>
#include <vector>

namespace myelin::viz {

/// One line: a value per x position (NaN leaves a gap).
struct LineSeries {
  std::string name;
  std::vector<double> values;
  bool dashed = false;
};

/// What line_chart_svg draws around the lines.
struct LineChartOptions {
  std::string title;
  std::string y_label;
  /// Labelled x positions (index into the values, label), e.g. the first day of each month;
  /// empty: numbered positions at 1-2-5 steps.
  std::vector<std::pair<double, std::string>> x_ticks;
  double width = 900, height = 380;
};

/// An SVG picture (complete document text) of `series` over x = 0, 1, ..., n - 1 with axes, a
/// legend and a title; colours follow the order of the series. All text is XML-escaped.
/// Requires: at least one series, every series with the same number (>= 2) of values, and some
/// finite value (else Error).
std::string line_chart_svg(const std::vector<LineSeries>& series, const LineChartOptions& options = {});

}  // namespace myelin::viz
