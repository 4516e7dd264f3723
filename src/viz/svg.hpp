#pragma once
// A minimal SVG writer: elements appended in order to one text, styled through CSS classes.
// Numbers are written locale-independently, so the same picture gives the same bytes.
#include <string>
#include <string_view>
#include <vector>

namespace myelin::viz {

// `text` made safe for XML content and attribute values: & < > " ' escaped, characters that
// XML 1.0 forbids (control characters) dropped, invalid UTF-8 replaced by U+FFFD.
std::string xml_escape(std::string_view text);

// `v` in fixed notation with at most `decimals` decimals, trailing zeros removed ("12.5", "3").
std::string fixed(double v, int decimals);

// 535818 -> "535,818".
std::string grouped(long long n);

struct Point {
  double x, y;
};

// SvgDocument: an <svg> of a given size with a <style> sheet; each call appends one element.
// `cls` is a space-separated list of CSS classes; `tooltip` (optional) becomes a <title> child,
// which viewers show on hover.
class SvgDocument {
 public:
  SvgDocument(double width, double height, std::string_view css);

  void line(Point a, Point b, std::string_view cls);
  void circle(Point centre, double r, std::string_view cls, std::string_view tooltip = {});
  void rect(Point top_left, double width, double height, std::string_view cls, double rounding = 0,
            std::string_view tooltip = {});
  void polyline(const std::vector<Point>& points, std::string_view cls);
  // A closed polygon (arrow heads, diamonds).
  void polygon(const std::vector<Point>& points, std::string_view cls);
  // Text anchored at `at` (how it is anchored is up to the class).
  void text(Point at, std::string_view content, std::string_view cls);

  void begin_group(std::string_view cls);
  void end_group();

  // The complete document; the writer is left empty.
  std::string finish();

 private:
  void open(std::string_view element, std::string_view cls);
  void close_with_tooltip(std::string_view element, std::string_view tooltip);
  std::string out_;
  int open_groups_ = 0;
};

}  // namespace myelin::viz
