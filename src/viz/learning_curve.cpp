// learning_curve_svg: one panel per score (loss, then a metric), training and validation lines.
#include "myelin/viz/learning_curve.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "myelin/error.hpp"
#include "viz/svg.hpp"
#include "viz/ticks.hpp"

namespace myelin::viz {
namespace {

constexpr const char* kCss =
    R"(text { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; fill: #222; }
.background { fill: #ffffff; }
.title { font-size: 18px; font-weight: bold; text-anchor: middle; }
.panel-title { font-size: 14px; font-weight: bold; text-anchor: middle; }
.xtick { font-size: 11px; fill: #555; text-anchor: middle; }
.ytick { font-size: 11px; fill: #555; text-anchor: end; }
.axis-label { font-size: 12px; fill: #444; text-anchor: middle; }
.legend { font-size: 13px; }
.note { font-size: 14px; fill: #666; text-anchor: middle; }
.frame { fill: none; stroke: #999; stroke-width: 1; }
.grid { stroke: #e8e8e8; stroke-width: 1; }
.tick-mark { stroke: #999; stroke-width: 1; }
.train { fill: none; stroke: #1f77b4; stroke-width: 2; stroke-linejoin: round; }
.validation { fill: none; stroke: #e8710a; stroke-width: 2; stroke-dasharray: 7 4;
  stroke-linejoin: round; }
.train-marker { fill: #1f77b4; stroke: #ffffff; stroke-width: 1; }
.validation-marker { fill: #e8710a; stroke: #ffffff; stroke-width: 1; }
)";

// Geometry (pixels).
constexpr double kMargin = 16, kPanelWidth = 440, kPanelGap = 24;
constexpr double kPlotLeft = 62, kPlotRight = 16;  // inside a panel, room for the y tick labels
constexpr double kPlotTop = 98, kPlotBottom = 338, kHeight = 396;

// The two lines of a panel.
enum class Split { Train, Validation };
const char* split_class(Split s) { return s == Split::Train ? "train" : "validation"; }
const char* split_word(Split s) { return s == Split::Train ? "training" : "validation"; }

const train::Scores& scores_of(const train::EpochLogs& e, Split s) {
  return s == Split::Train ? e.train : e.validation;
}

// Whether any epoch has score `name` for split `s` (even as NaN).
bool has_series(const std::vector<train::EpochLogs>& history, const std::string& name, Split s) {
  for (const auto& e : history)
    if (scores_of(e, s).count(name)) return true;
  return false;
}

double value_of(const train::EpochLogs& e, const std::string& name, Split s) {
  const auto& scores = scores_of(e, s);
  const auto it = scores.find(name);
  return it == scores.end() ? std::nan("") : it->second;
}

// "top5_accuracy" -> "Top5 accuracy".
std::string heading(std::string name) {
  for (char& c : name)
    if (c == '_') c = ' ';
  if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 32);
  return name;
}

// Five significant digits, for tooltips.
std::string short_number(double v) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 5);
  return std::string(buf, end);
}

// The second panel's score: the one asked for, or the first non-loss score by name.
std::string pick_metric(const std::vector<train::EpochLogs>& history, const std::string& wanted) {
  std::set<std::string> train_names, all_names;
  for (const auto& e : history) {
    for (const auto& [name, v] : e.train) train_names.insert(name), all_names.insert(name);
    for (const auto& [name, v] : e.validation) all_names.insert(name);
  }
  if (!wanted.empty()) {
    if (all_names.count(wanted)) return wanted;
    std::string known;
    for (const auto& n : all_names) known += (known.empty() ? "" : ", ") + n;
    throw Error("learning_curve_svg: no epoch has a score named '" + wanted +
                "' (scores: " + (known.empty() ? "none" : known) + ")");
  }
  for (const auto* names : {&train_names, &all_names})
    for (const auto& n : *names)
      if (n != "loss") return n;
  return "";
}

// Maps data to pixels inside one panel's plot area.
struct Frame {
  double left, right, top, bottom;
  Axis x, y;
  // Halved before subtracting so that extreme values cannot overflow. Epochs are inset from
  // the frame so that the first and last markers do not sit on it.
  double px(double epoch) const {
    constexpr double inset = 10;
    return left + inset +
           (epoch * 0.5 - x.lo * 0.5) / (x.hi * 0.5 - x.lo * 0.5) * (right - left - 2 * inset);
  }
  double py(double v) const {
    return bottom - (v * 0.5 - y.lo * 0.5) / (y.hi * 0.5 - y.lo * 0.5) * (bottom - top);
  }
};

void draw_axes(SvgDocument& svg, const Frame& f) {
  for (double t : f.y.ticks) {
    const double y = f.py(t);
    svg.line({f.left, y}, {f.right, y}, "grid");
    svg.text({f.left - 6, y + 4}, tick_label(t, f.y.step), "ytick");
  }
  for (double t : f.x.ticks) {
    const double x = f.px(t);
    svg.line({x, f.bottom}, {x, f.bottom + 5}, "tick-mark");
    svg.text({x, f.bottom + 18}, tick_label(t, f.x.step), "xtick");
  }
  svg.rect({f.left, f.top}, f.right - f.left, f.bottom - f.top, "frame");
  svg.text({(f.left + f.right) / 2, f.bottom + 40}, "epoch", "axis-label");
}

void draw_marker(SvgDocument& svg, Point p, Split s, const std::string& tooltip) {
  const std::string cls = std::string(split_class(s)) + "-marker";
  if (s == Split::Train)
    svg.circle(p, 4, cls, tooltip);
  else
    svg.rect({p.x - 4, p.y - 4}, 8, 8, cls, 0, tooltip);
}

// One score's line: a polyline per run of finite values (NaN and inf break the line), and a
// marker with a tooltip at every finite point. Past kMostMarkers epochs the markers would merge
// into a band, so only lone points (between gaps) keep theirs.
void draw_series(SvgDocument& svg, const Frame& f, const std::vector<train::EpochLogs>& history,
                 const std::string& name, Split s) {
  constexpr size_t kMostMarkers = 60;
  const auto finite_at = [&](size_t i) {
    return i < history.size() && std::isfinite(value_of(history[i], name, s));
  };
  const auto point_at = [&](size_t i) {
    return Point{f.px(static_cast<double>(history[i].epoch + 1)),
                 f.py(value_of(history[i], name, s))};
  };
  svg.begin_group(std::string(split_class(s)) + "-series");
  std::vector<Point> run;
  for (size_t i = 0; i <= history.size(); ++i) {
    if (finite_at(i)) {
      run.push_back(point_at(i));
    } else {
      if (run.size() >= 2) svg.polyline(run, split_class(s));
      run.clear();
    }
  }
  for (size_t i = 0; i < history.size(); ++i) {
    const bool lone = finite_at(i) && (i == 0 || !finite_at(i - 1)) && !finite_at(i + 1);
    if (!finite_at(i) || (history.size() > kMostMarkers && !lone)) continue;
    draw_marker(svg, point_at(i), s,
                "epoch " + std::to_string(history[i].epoch + 1) + ", " + split_word(s) + " " +
                    name + ": " + short_number(value_of(history[i], name, s)));
  }
  svg.end_group();
}

void draw_panel(SvgDocument& svg, double x0, const std::vector<train::EpochLogs>& history,
                const std::string& name, const Axis& x_axis) {
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& e : history)
    for (Split s : {Split::Train, Split::Validation}) {
      const double v = value_of(e, name, s);
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  if (lo > hi) lo = 0, hi = 1;  // no finite value: empty axes
  // A margin so that the extreme points do not sit on the frame (where it does not overflow).
  const double margin = (hi * 0.5 - lo * 0.5) * 0.1;
  if (std::isfinite(lo - margin) && std::isfinite(hi + margin)) lo -= margin, hi += margin;
  const Frame f{x0 + kPlotLeft, x0 + kPanelWidth - kPlotRight,    kPlotTop, kPlotBottom,
                x_axis,         nice_axis(lo, hi, 5, true, false)};
  svg.text({(f.left + f.right) / 2, kPlotTop - 12}, heading(name), "panel-title");
  draw_axes(svg, f);
  for (Split s : {Split::Train, Split::Validation})
    if (has_series(history, name, s)) draw_series(svg, f, history, name, s);
}

// A legend entry per split that has a line somewhere, centred under the title.
void draw_legend(SvgDocument& svg, double width, bool train, bool validation) {
  std::vector<Split> splits;
  if (train) splits.push_back(Split::Train);
  if (validation) splits.push_back(Split::Validation);
  const auto entry_width = [](Split s) { return 36 + 8.0 * std::string(split_word(s)).size(); };
  double total = 0;
  for (Split s : splits) total += entry_width(s);
  double x = (width - total) / 2;
  constexpr double y = 54;
  for (Split s : splits) {
    svg.line({x, y - 4}, {x + 26, y - 4}, split_class(s));
    draw_marker(svg, {x + 13, y - 4}, s, "");
    svg.text({x + 32, y}, split_word(s), "legend");
    x += entry_width(s);
  }
}

}  // namespace

std::string learning_curve_svg(const std::vector<train::EpochLogs>& history,
                               const CurveOptions& options) {
  std::vector<std::string> panels;
  bool any_train = false, any_validation = false;
  const std::string metric = pick_metric(history, options.metric);
  for (const std::string& name : {std::string("loss"), metric}) {
    const bool t = !name.empty() && has_series(history, name, Split::Train);
    const bool v = !name.empty() && has_series(history, name, Split::Validation);
    if ((t || v) && std::find(panels.begin(), panels.end(), name) == panels.end())
      panels.push_back(name);  // asking for "loss" as the metric gives one panel
    any_train |= t;
    any_validation |= v;
  }

  if (panels.empty()) {
    constexpr double width = 480, height = 120;
    SvgDocument svg(width, height, kCss);
    svg.text({width / 2, 34}, options.title, "title");
    svg.text({width / 2, 80}, history.empty() ? "No epochs to plot yet" : "No scores to plot",
             "note");
    return svg.finish();
  }

  const double n = static_cast<double>(panels.size());
  const double width = 2 * kMargin + n * kPanelWidth + (n - 1) * kPanelGap;
  SvgDocument svg(width, kHeight, kCss);
  svg.text({width / 2, 30}, options.title, "title");
  draw_legend(svg, width, any_train, any_validation);

  double first = INFINITY, last = -INFINITY;
  for (const auto& e : history) {
    first = std::min(first, static_cast<double>(e.epoch + 1));
    last = std::max(last, static_cast<double>(e.epoch + 1));
  }
  if (first == last) first -= 0.5, last += 0.5;  // one epoch: its point in the middle
  const Axis x_axis = nice_axis(first, last, 8, false, true);
  for (size_t i = 0; i < panels.size(); ++i)
    draw_panel(svg, kMargin + static_cast<double>(i) * (kPanelWidth + kPanelGap), history,
               panels[i], x_axis);
  return svg.finish();
}

}  // namespace myelin::viz
