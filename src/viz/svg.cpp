#include "viz/svg.hpp"

#include <charconv>
#include <cmath>
#include <utility>

namespace myelin::viz {
namespace {

// Length of the well-formed UTF-8 sequence starting at s[i] and its code point, or 0 when the
// bytes there are not valid UTF-8 (overlong forms, surrogates and values past U+10FFFF included).
size_t utf8_sequence(std::string_view s, size_t i, char32_t& code) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    code = b0;
    return 1;
  }
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    code = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    code = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    code = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
    code = (code << 6) | (b & 0x3F);
  }
  return len;
}

// The predefined entity for a character XML reserves, or nullptr.
const char* entity_for(char32_t code) {
  switch (code) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&apos;";
    default: return nullptr;
  }
}

std::string attribute(std::string_view name, double v) {
  return std::string(" ") + std::string(name) + "=\"" + fixed(v, 1) + "\"";
}

std::string points_text(const std::vector<Point>& points) {
  std::string s;
  for (const Point& p : points) {
    if (!s.empty()) s += ' ';
    s += fixed(p.x, 1);
    s += ',';
    s += fixed(p.y, 1);
  }
  return s;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    char32_t code = 0;
    const size_t len = utf8_sequence(text, i, code);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
      continue;
    }
    if (const char* entity = entity_for(code)) {
      out += entity;
    } else {
      const bool forbidden = (code < 0x20 && code != '\t' && code != '\n' && code != '\r') ||
                             code == 0xFFFE || code == 0xFFFF;
      if (!forbidden) out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
  char buf[400];  // DBL_MAX in fixed notation has 309 digits
  const auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  std::string s(buf, end);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

std::string grouped(long long n) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

SvgDocument::SvgDocument(double width, double height, std::string_view css) {
  out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"" +
         attribute("width", width) + attribute("height", height) + " viewBox=\"0 0 " +
         fixed(width, 1) + " " + fixed(height, 1) + "\">\n<style>\n" + std::string(css) +
         "</style>\n";
  rect({0, 0}, width, height, "background");
}

void SvgDocument::open(std::string_view element, std::string_view cls) {
  out_ += "<";
  out_ += element;
  if (!cls.empty()) out_ += " class=\"" + xml_escape(cls) + "\"";
}

void SvgDocument::close_with_tooltip(std::string_view element, std::string_view tooltip) {
  if (tooltip.empty()) {
    out_ += "/>\n";
    return;
  }
  out_ += "><title>" + xml_escape(tooltip) + "</title></";
  out_ += element;
  out_ += ">\n";
}

void SvgDocument::line(Point a, Point b, std::string_view cls) {
  open("line", cls);
  out_ += attribute("x1", a.x) + attribute("y1", a.y) + attribute("x2", b.x) + attribute("y2", b.y);
  out_ += "/>\n";
}

void SvgDocument::circle(Point centre, double r, std::string_view cls, std::string_view tooltip) {
  open("circle", cls);
  out_ += attribute("cx", centre.x) + attribute("cy", centre.y) + attribute("r", r);
  close_with_tooltip("circle", tooltip);
}

void SvgDocument::rect(Point top_left, double width, double height, std::string_view cls,
                       double rounding, std::string_view tooltip) {
  open("rect", cls);
  out_ += attribute("x", top_left.x) + attribute("y", top_left.y) + attribute("width", width) +
          attribute("height", height);
  if (rounding > 0) out_ += attribute("rx", rounding);
  close_with_tooltip("rect", tooltip);
}

void SvgDocument::polyline(const std::vector<Point>& points, std::string_view cls) {
  open("polyline", cls);
  out_ += " points=\"" + points_text(points) + "\"/>\n";
}

void SvgDocument::polygon(const std::vector<Point>& points, std::string_view cls) {
  open("polygon", cls);
  out_ += " points=\"" + points_text(points) + "\"/>\n";
}

void SvgDocument::text(Point at, std::string_view content, std::string_view cls) {
  open("text", cls);
  out_ += attribute("x", at.x) + attribute("y", at.y);
  out_ += '>';
  out_ += xml_escape(content);
  out_ += "</text>\n";
}

void SvgDocument::begin_group(std::string_view cls) {
  open("g", cls);
  out_ += ">\n";
  ++open_groups_;
}

void SvgDocument::end_group() {
  if (open_groups_ == 0) return;
  out_ += "</g>\n";
  --open_groups_;
}

std::string SvgDocument::finish() {
  while (open_groups_ > 0) end_group();
  out_ += "</svg>\n";
  return std::exchange(out_, {});
}

}  // namespace myelin::viz
