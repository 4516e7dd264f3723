// learning_curve_svg: well-formed SVG, lines and markers per series, NaN gaps, one epoch,
// missing validation, flat and extreme ranges, text escaping, and re-plotting from the CSV log.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "myelin/error.hpp"
#include "myelin/viz/learning_curve.hpp"
#include "viz/ticks.hpp"
#include "xml_tree.hpp"

namespace myelin::viz {
namespace {

using testing::contains;
using testing::count;
using testing::parse_xml;
using testing::texts;
using testing::XmlElement;
using train::EpochLogs;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<EpochLogs> history(const std::vector<double>& loss, const std::vector<double>& val_loss,
                               double accuracy0 = 0.5) {
  std::vector<EpochLogs> h;
  for (size_t i = 0; i < loss.size(); ++i) {
    EpochLogs e;
    e.epoch = static_cast<int64_t>(i);
    e.train = {{"loss", loss[i]}, {"accuracy", accuracy0 + 0.1 * static_cast<double>(i)}};
    if (i < val_loss.size())
      e.validation = {{"loss", val_loss[i]},
                      {"accuracy", accuracy0 + 0.05 * static_cast<double>(i)}};
    h.push_back(e);
  }
  return h;
}

// The y coordinates of every point of every polyline with class `cls`.
std::vector<double> polyline_ys(const XmlElement& root, const std::string& cls) {
  std::vector<double> ys;
  for (const XmlElement* e : root.find_all(
           [&](const XmlElement& e) { return e.name == "polyline" && e.has_class(cls); })) {
    std::istringstream points(e->attributes.at("points"));
    std::string pair;
    while (points >> pair) ys.push_back(std::stod(pair.substr(pair.find(',') + 1)));
  }
  return ys;
}

TEST(VizCurve, TwoPanelsWithTrainingAndValidationLines) {
  const XmlElement svg = parse_xml(
      learning_curve_svg(history({1.0, 0.6, 0.4, 0.3, 0.25}, {1.1, 0.7, 0.5, 0.45, 0.44})));
  EXPECT_EQ(svg.name, "svg");
  EXPECT_EQ(count(svg, "polyline", "train"), 2u);  // one per panel
  EXPECT_EQ(count(svg, "polyline", "validation"), 2u);
  EXPECT_EQ(count(svg, "circle", "train-marker"), 2u * 5 + 1);  // + the legend's
  EXPECT_EQ(count(svg, "rect", "validation-marker"), 2u * 5 + 1);
  const auto all = texts(svg);
  for (const char* s :
       {"Learning curves", "Loss", "Accuracy", "training", "validation", "epoch", "1", "5"})
    EXPECT_TRUE(contains(all, s)) << s;
  // Loss ticks cover 0.25..1.1 at a 1-2-5 step: 0.2 apart from 0.2 to 1.2.
  const auto y_ticks = texts(svg, "ytick");
  EXPECT_TRUE(contains(y_ticks, "0.2") && contains(y_ticks, "1.2"))
      << ::testing::PrintToString(y_ticks);
  // Markers carry their values as tooltips.
  EXPECT_TRUE(svg.find_all([](const XmlElement& e) {
                   return e.name == "title" && e.text == "epoch 2, training loss: 0.6";
                 })
                  .size() == 1);
}

TEST(VizCurve, NonFiniteScoresLeaveGaps) {
  const double inf = std::numeric_limits<double>::infinity();
  const XmlElement svg =
      parse_xml(learning_curve_svg(history({1.0, 0.8, kNaN, 0.5, 0.4, inf, 0.3}, {})));
  // The training loss breaks into [1,2], [4,5] and the lone point 7; accuracy is one line.
  EXPECT_EQ(count(svg, "polyline", "train"), 2u + 1u);
  EXPECT_EQ(count(svg, "circle", "train-marker"), 5u + 7u + 1u);
  for (const XmlElement* e : svg.find_all([](const XmlElement&) { return true; }))
    for (const auto& [k, v] : e->attributes)
      EXPECT_TRUE(v.find("nan") == std::string::npos && v.find("inf") == std::string::npos)
          << k << "=" << v;
}

TEST(VizCurve, LongRunsKeepMarkersOnlyOnLonePoints) {
  std::vector<double> loss(200, 0.5);
  loss[100] = kNaN;
  loss[102] = kNaN;  // epoch 102 is alone between two gaps
  const XmlElement svg = parse_xml(learning_curve_svg(history(loss, {})));
  EXPECT_EQ(count(svg, "polyline", "train"), 2u + 1u);
  EXPECT_EQ(count(svg, "circle", "train-marker"), 1u + 1u);  // the lone point and the legend's
}

TEST(VizCurve, OneEpochIsAPointPerSeries) {
  const XmlElement svg = parse_xml(learning_curve_svg(history({0.7}, {0.8})));
  EXPECT_EQ(count(svg, "polyline", "train"), 0u);
  EXPECT_EQ(count(svg, "circle", "train-marker"), 2u + 1u);
  EXPECT_EQ(count(svg, "rect", "validation-marker"), 2u + 1u);
  EXPECT_EQ(texts(svg, "xtick"), (std::vector<std::string>{"1", "1"}));  // one tick per panel
}

TEST(VizCurve, WithoutValidationOrMetric) {
  std::vector<EpochLogs> h = history({1.0, 0.5, 0.2}, {});
  const XmlElement svg = parse_xml(learning_curve_svg(h));
  EXPECT_EQ(count(svg, "polyline", "validation"), 0u);
  EXPECT_FALSE(contains(texts(svg), "validation"));
  for (auto& e : h) e.train.erase("accuracy");
  const XmlElement loss_only = parse_xml(learning_curve_svg(h));
  EXPECT_EQ(count(loss_only, "polyline", "train"), 1u);
  EXPECT_FALSE(contains(texts(loss_only), "Accuracy"));
  EXPECT_LT(std::stod(loss_only.attributes.at("width")), std::stod(svg.attributes.at("width")));
}

TEST(VizCurve, FlatLineSitsInsideItsAxis) {
  const XmlElement svg = parse_xml(learning_curve_svg(history({0.5, 0.5, 0.5}, {})));
  const std::vector<double> ys = polyline_ys(svg, "train");
  ASSERT_EQ(ys.size(), 6u);  // loss and accuracy lines, 3 points each
  EXPECT_EQ(ys[0], ys[1]);
  EXPECT_EQ(ys[1], ys[2]);
  const XmlElement* frame =
      svg.find_all([](const XmlElement& e) { return e.has_class("frame"); }).at(0);
  const double top = std::stod(frame->attributes.at("y")),
               bottom = top + std::stod(frame->attributes.at("height"));
  EXPECT_GT(ys[0], top);
  EXPECT_LT(ys[0], bottom);
}

TEST(VizCurve, ExtremeRangesGiveReadableTicksAndFiniteCoordinates) {
  const XmlElement big = parse_xml(learning_curve_svg(history({3e12, 2e12, 1e12}, {})));
  EXPECT_TRUE(contains(texts(big, "ytick"), "2e12"))
      << ::testing::PrintToString(texts(big, "ytick"));
  const XmlElement tiny = parse_xml(learning_curve_svg(history({3e-9, 2e-9, 1.5e-9}, {})));
  EXPECT_TRUE(contains(texts(tiny, "ytick"), "2e-9"))
      << ::testing::PrintToString(texts(tiny, "ytick"));
  const double max = std::numeric_limits<double>::max();
  const XmlElement wide = parse_xml(learning_curve_svg(history({-max, max, 0}, {})));
  for (double y : polyline_ys(wide, "train")) EXPECT_TRUE(std::isfinite(y));
  EXPECT_EQ(polyline_ys(wide, "train").size(), 6u);
}

TEST(VizCurve, TextIsEscaped) {
  std::vector<EpochLogs> h = history({1.0, 0.5}, {});
  for (auto& e : h) e.train["f1<&>\"'"] = 0.3;
  const std::string text = learning_curve_svg(h, {"Run <&> \"x\"", "f1<&>\"'"});
  const XmlElement svg = parse_xml(text);
  EXPECT_TRUE(contains(texts(svg, "title"), "Run <&> \"x\""));
  EXPECT_TRUE(contains(texts(svg, "panel-title"), "F1<&>\"'"));
  // Invalid UTF-8 and control characters in a name cannot break the document.
  EXPECT_NO_THROW(parse_xml(learning_curve_svg(h, {std::string("bad \xff\xfe \x01 name"), ""})));
}

TEST(VizCurve, EmptyHistoryAndUnknownMetric) {
  const XmlElement empty = parse_xml(learning_curve_svg({}));
  EXPECT_TRUE(contains(texts(empty), "No epochs to plot yet"));
  EXPECT_THROW(learning_curve_svg(history({1.0}, {}), {"", "precision"}), Error);
  EXPECT_EQ(count(parse_xml(learning_curve_svg(history({1.0, 0.5}, {}), {"", "loss"})), "text",
                  "panel-title"),
            1u);
}

TEST(VizCurve, FromMetricsCsvAsTheCsvLoggerWritesIt) {
  const std::string csv =
      "epoch,seconds,lr,accuracy,loss,val_accuracy,val_loss\n"
      "1,0.5,0.1,0.5,1,0.45,1.1\n"
      "2,0.5,0.1,0.6,nan,0.55,\n"
      "3,0.5,0.05,0.7,0.4,0.6,0.5\n";
  const std::vector<EpochLogs> h = history_from_metrics_csv(csv);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[2].epoch, 2);
  EXPECT_EQ(h[2].learning_rate, 0.05);
  EXPECT_EQ(h[0].validation.at("loss"), 1.1);
  EXPECT_TRUE(std::isnan(h[1].train.at("loss")));
  EXPECT_TRUE(std::isnan(h[1].validation.at("loss")));
  EXPECT_EQ(learning_curve_svg_from_csv(csv), learning_curve_svg(h));
  const XmlElement svg = parse_xml(learning_curve_svg_from_csv(csv));
  EXPECT_EQ(count(svg, "circle", "train-marker"), 2u + 3u + 1u);  // loss has a gap at epoch 2

  EXPECT_THROW(history_from_metrics_csv("seconds,loss\n1,2\n"), Error);
  EXPECT_THROW(history_from_metrics_csv("epoch,loss\n1,2,3\n"), Error);
  EXPECT_THROW(history_from_metrics_csv("epoch,loss\n1,abc\n"), Error);
  EXPECT_TRUE(history_from_metrics_csv("epoch,seconds,lr,loss\n").empty());
}

TEST(VizTicks, OneTwoFiveSteps) {
  const Axis a = nice_axis(0.13, 0.87, 5, true, false);
  EXPECT_DOUBLE_EQ(a.step, 0.2);
  EXPECT_DOUBLE_EQ(a.lo, 0.0);
  EXPECT_DOUBLE_EQ(a.hi, 1.0);
  EXPECT_EQ(a.ticks.size(), 6u);
  const Axis epochs = nice_axis(1, 37, 8, false, true);
  EXPECT_EQ(epochs.step, 5);
  EXPECT_EQ(epochs.lo, 1);
  EXPECT_EQ(epochs.ticks.front(), 5);
  EXPECT_EQ(epochs.ticks.back(), 35);
  EXPECT_EQ(nice_axis(1, 3, 8, false, true).step, 1);  // never fractional epochs
  const Axis flat = nice_axis(0, 0, 5, true, false);
  EXPECT_LT(flat.lo, 0);
  EXPECT_GT(flat.hi, 0);
  EXPECT_EQ(tick_label(0.25, 0.05), "0.25");
  EXPECT_EQ(tick_label(1500, 500), "1500");
  EXPECT_EQ(tick_label(1.5e6, 5e5), "1.5e6");
  EXPECT_EQ(tick_label(-2e-5, 1e-5), "-2e-5");
  EXPECT_EQ(tick_label(0.3, 0.1), "0.3");
}

}  // namespace
}  // namespace myelin::viz
