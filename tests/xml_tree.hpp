#pragma once
// A small, strict XML reader for tests: checks that a document is well-formed (one root,
// matching tags, quoted attributes without duplicates, only the predefined and numeric entity
// references, no raw '<' or '&' in text, valid UTF-8) and returns its element tree.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace myelin::testing {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;  // values with references resolved
  std::vector<XmlElement> children;
  std::string text;  // all character data directly inside, references resolved

  bool has_class(const std::string& cls) const {
    const auto it = attributes.find("class");
    if (it == attributes.end()) return false;
    const std::string padded = " " + it->second + " ";
    return padded.find(" " + cls + " ") != std::string::npos;
  }
  // Every element in this subtree (this one included) for which `pred` holds.
  std::vector<const XmlElement*> find_all(
      const std::function<bool(const XmlElement&)>& pred) const {
    std::vector<const XmlElement*> found;
    visit([&](const XmlElement& e) {
      if (pred(e)) found.push_back(&e);
    });
    return found;
  }
  void visit(const std::function<void(const XmlElement&)>& f) const {
    f(*this);
    for (const auto& c : children) c.visit(f);
  }
};

class XmlReader {
 public:
  explicit XmlReader(const std::string& text) : s_(text) {}

  XmlElement parse_document() {
    check_utf8();
    if (s_.compare(0, 5, "<?xml") == 0) {
      const size_t end = s_.find("?>");
      if (end == std::string::npos) fail("unterminated XML declaration");
      pos_ = end + 2;
    }
    skip_misc();
    if (!peek('<')) fail("expected the root element");
    XmlElement root = element();
    skip_misc();
    if (pos_ != s_.size()) fail("content after the root element");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("XML not well-formed at offset " + std::to_string(pos_) + ": " + why);
  }
  bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  bool starts(const char* t) const {
    return s_.compare(pos_, std::char_traits<char>::length(t), t) == 0;
  }
  void expect(char c) {
    if (!peek(c)) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  void skip_space() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r'))
      ++pos_;
  }
  void skip_comment() {
    const size_t end = s_.find("-->", pos_ + 4);
    if (end == std::string::npos) fail("unterminated comment");
    pos_ = end + 3;
  }
  void skip_misc() {
    for (skip_space(); starts("<!--"); skip_space()) skip_comment();
  }
  static bool name_char(char c, bool first) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    return letter || (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
  }
  std::string name() {
    const size_t start = pos_;
    while (pos_ < s_.size() && name_char(s_[pos_], pos_ == start)) ++pos_;
    if (pos_ == start) fail("expected a name");
    return s_.substr(start, pos_ - start);
  }
  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  // At '&': one reference, appended resolved.
  void reference(std::string& out) {
    const size_t semi = s_.find(';', pos_);
    if (semi == std::string::npos || semi - pos_ > 10) fail("unterminated reference");
    const std::string ref = s_.substr(pos_ + 1, semi - pos_ - 1);
    static const std::map<std::string, char> predefined = {
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    if (auto it = predefined.find(ref); it != predefined.end()) {
      out += it->second;
    } else if (ref.size() > 1 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      const std::string digits = ref.substr(hex ? 2 : 1);
      if (digits.empty() || digits.find_first_not_of(hex ? "0123456789abcdefABCDEF"
                                                         : "0123456789") != std::string::npos)
        fail("bad character reference &" + ref + ";");
      append_utf8(out, static_cast<uint32_t>(std::stoul(digits, nullptr, hex ? 16 : 10)));
    } else {
      fail("unknown entity &" + ref + ";");
    }
    pos_ = semi + 1;
  }
  XmlElement element() {
    expect('<');
    XmlElement e;
    e.name = name();
    for (;;) {
      const size_t before = pos_;
      skip_space();
      if (peek('/') || peek('>')) break;
      if (pos_ == before) fail("expected whitespace before an attribute");
      const std::string key = name();
      skip_space();
      expect('=');
      skip_space();
      if (!peek('"') && !peek('\'')) fail("attribute " + key + " is not quoted");
      const char quote = s_[pos_++];
      std::string value;
      while (!peek(quote)) {
        if (pos_ >= s_.size()) fail("unterminated attribute " + key);
        if (peek('<')) fail("'<' in attribute " + key);
        if (peek('&'))
          reference(value);
        else
          value += s_[pos_++];
      }
      ++pos_;
      if (!e.attributes.emplace(key, value).second) fail("duplicate attribute " + key);
    }
    if (peek('/')) {
      ++pos_;
      expect('>');
      return e;
    }
    expect('>');
    for (;;) {
      if (pos_ >= s_.size()) fail("unterminated element <" + e.name + ">");
      if (starts("</")) {
        pos_ += 2;
        if (name() != e.name) fail("mismatched end tag for <" + e.name + ">");
        skip_space();
        expect('>');
        return e;
      }
      if (starts("<!--"))
        skip_comment();
      else if (peek('<'))
        e.children.push_back(element());
      else if (peek('&'))
        reference(e.text);
      else if (starts("]]>"))
        fail("']]>' in text");
      else
        e.text += s_[pos_++];
    }
  }
  void check_utf8() {
    for (size_t i = 0; i < s_.size();) {
      const unsigned char b = static_cast<unsigned char>(s_[i]);
      const size_t len = b < 0x80         ? 1
                         : (b >> 5) == 6  ? 2
                         : (b >> 4) == 14 ? 3
                         : (b >> 3) == 30 ? 4
                                          : 0;
      if (len == 0 || i + len > s_.size()) {
        pos_ = i;
        fail("invalid UTF-8");
      }
      for (size_t k = 1; k < len; ++k)
        if ((static_cast<unsigned char>(s_[i + k]) & 0xC0) != 0x80) {
          pos_ = i;
          fail("invalid UTF-8");
        }
      if (len == 1 && b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
        pos_ = i;
        fail("control character");
      }
      i += len;
    }
  }

  const std::string& s_;
  size_t pos_ = 0;
};

// Parses `text` as an XML document; throws std::runtime_error when it is not well-formed.
inline XmlElement parse_xml(const std::string& text) { return XmlReader(text).parse_document(); }

// How many `element`s with class `cls` the tree holds.
inline size_t count(const XmlElement& root, const std::string& element, const std::string& cls) {
  return root.find_all([&](const XmlElement& e) { return e.name == element && e.has_class(cls); })
      .size();
}

// The content of every <text> (with class `cls`, when given), in document order.
inline std::vector<std::string> texts(const XmlElement& root, const std::string& cls = "") {
  std::vector<std::string> out;
  for (const XmlElement* e : root.find_all([&](const XmlElement& e) {
         return e.name == "text" && (cls.empty() || e.has_class(cls));
       }))
    out.push_back(e->text);
  return out;
}

inline bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace myelin::testing
