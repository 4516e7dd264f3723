// line_chart_svg: series over a shared x axis, one coloured polyline each.
#include "myelin/viz/line_chart.hpp"

#include <algorithm>
#include <cmath>

#include "myelin/error.hpp"
#include "viz/svg.hpp"
#include "viz/ticks.hpp"

namespace myelin::viz {
namespace {

constexpr const char* kCss =
    R"(text { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; fill: #222; }
.background { fill: #ffffff; }
.title { font-size: 16px; font-weight: bold; text-anchor: middle; }
.xtick { font-size: 11px; fill: #555; text-anchor: middle; }
.ytick { font-size: 11px; fill: #555; text-anchor: end; }
.ylabel { font-size: 12px; fill: #444; }
.legend { font-size: 12px; }
.frame { fill: none; stroke: #999; stroke-width: 1; }
.grid { stroke: #e8e8e8; stroke-width: 1; }
.line { fill: none; stroke-width: 1.4; stroke-linejoin: round; }
.dashed { stroke-dasharray: 5 3; }
.c0 { stroke: #222222; } .c1 { stroke: #1f77b4; } .c2 { stroke: #e8710a; } .c3 { stroke: #2ca02c; }
.c4 { stroke: #d62728; } .c5 { stroke: #9467bd; }
)";
constexpr int kColours = 6;
constexpr double kLeft = 64, kRight = 16, kTop = 70, kBottom = 44;

}  // namespace

std::string line_chart_svg(const std::vector<LineSeries>& series, const LineChartOptions& options) {
  if (series.empty()) throw Error("line_chart_svg: no series to draw");
  const size_t n = series[0].values.size();
  double lo = INFINITY, hi = -INFINITY;
  for (const LineSeries& s : series) {
    if (s.values.size() != n || n < 2)
      throw Error("line_chart_svg: series '" + s.name + "' has " + std::to_string(s.values.size()) +
                  " values; every series needs the same number, at least 2 (the first has " + std::to_string(n) + ")");
    for (double v : s.values)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  if (lo > hi) throw Error("line_chart_svg: no finite value to draw");
  const Axis y = nice_axis(lo, hi, 6, true, false);
  const Axis x = nice_axis(0, static_cast<double>(n - 1), 10, false, true);
  const double left = kLeft, right = options.width - kRight, top = kTop, bottom = options.height - kBottom;
  auto px = [&](double i) { return left + i / static_cast<double>(n - 1) * (right - left); };
  auto py = [&](double v) { return bottom - (v - y.lo) / (y.hi - y.lo) * (bottom - top); };

  SvgDocument svg(options.width, options.height, kCss);
  svg.rect({0, 0}, options.width, options.height, "background");
  svg.text({options.width / 2, 26}, options.title, "title");
  for (double t : y.ticks) {
    svg.line({left, py(t)}, {right, py(t)}, "grid");
    svg.text({left - 6, py(t) + 4}, tick_label(t, y.step), "ytick");
  }
  std::vector<std::pair<double, std::string>> x_ticks = options.x_ticks;
  if (x_ticks.empty())
    for (double t : x.ticks) x_ticks.emplace_back(t, tick_label(t, x.step));
  for (const auto& [at, label] : x_ticks) {
    svg.line({px(at), top}, {px(at), bottom}, "grid");
    svg.text({px(at), bottom + 16}, label, "xtick");
  }
  svg.rect({left, top}, right - left, bottom - top, "frame");
  svg.text({left, top - 6}, options.y_label, "ylabel");

  double legend_x = left;
  for (size_t k = 0; k < series.size(); ++k) {
    const std::string cls = "line c" + std::to_string(k % kColours) + (series[k].dashed ? " dashed" : "");
    svg.begin_group("series");
    std::vector<Point> run;
    for (size_t i = 0; i <= n; ++i) {
      if (i < n && std::isfinite(series[k].values[i])) {
        run.push_back({px(static_cast<double>(i)), py(series[k].values[i])});
      } else {
        if (run.size() >= 2) svg.polyline(run, cls);
        run.clear();
      }
    }
    svg.end_group();
    svg.line({legend_x, 44}, {legend_x + 24, 44}, cls);
    svg.text({legend_x + 30, 48}, series[k].name, "legend");
    legend_x += 48 + 7.0 * static_cast<double>(series[k].name.size());
  }
  return svg.finish();
}

}  // namespace myelin::viz
