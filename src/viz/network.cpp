// network_svg: the columns from network_columns() laid out left to right on a common midline.
#include "myelin/viz/network.hpp"

#include <algorithm>
#include <cmath>

#include "myelin/error.hpp"
#include "viz/network_columns.hpp"
#include "viz/svg.hpp"

namespace myelin::viz {
namespace {

constexpr const char* kCss =
    R"(text { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; fill: #222; }
.background { fill: #ffffff; }
.title { font-size: 18px; font-weight: bold; text-anchor: middle; }
.role { font-size: 13px; fill: #555; text-anchor: middle; }
.type { font-size: 13px; font-weight: bold; text-anchor: middle; }
.size { font-size: 12px; text-anchor: middle; }
.params { font-size: 11px; fill: #777; text-anchor: middle; }
.caption { font-size: 12px; fill: #444; text-anchor: middle; }
.ellipsis { font-size: 20px; font-weight: bold; fill: #555; text-anchor: middle; }
.input-name { font-size: 11px; fill: #333; text-anchor: end; }
.output-name { font-size: 11px; fill: #333; text-anchor: start; }
.channel { stroke: #7d8a98; stroke-width: 0.8; stroke-opacity: 0.5; }
.neuron { stroke-width: 1.5; }
.input { fill: #b8e0b0; stroke: #2e7d32; }
.hidden { fill: #b3d4f0; stroke: #1f5fa8; }
.output { fill: #fcc99a; stroke: #c25400; }
.box { fill: #dcd6f0; stroke: #5e4aa0; stroke-width: 1.5; }
.box-back { fill: #ece8f7; stroke: #8d7cc4; stroke-width: 1; }
.arrow { stroke: #666; stroke-width: 1.5; }
.arrow-head { fill: #666; }
.tag { fill: #fff3c4; stroke: #d4a800; stroke-width: 1; }
.tag-text { font-size: 11px; fill: #6b5200; text-anchor: middle; }
)";

// Geometry (pixels).
constexpr double kColumnGap = 170, kRadius = 10, kPitch = 28;
constexpr double kBoxWidth = 56, kBoxMinHeight = 50, kBoxExtraHeight = 150;
constexpr double kTitleY = 34, kRoleY = 70, kBodyTop = 86;
constexpr double kTagHeight = 18, kTagPitch = 22;
constexpr size_t kNameChars = 24;  // longest input/output name shown

// Text for a per-sample shape: "32×26×26".
std::string shape_text(const Shape& shape) {
  if (shape.empty()) return "scalar";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "×" : "") + std::to_string(shape[i]);
  return s;
}

// Code points in UTF-8 text (continuation bytes are 10xxxxxx).
size_t text_length(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// `s` cut to `n` code points, with "…" when cut.
std::string clipped(const std::string& s, size_t n) {
  if (text_length(s) <= n) return s;
  size_t kept = 0, i = 0;
  for (; i < s.size(); ++i)
    if ((s[i] & 0xC0) != 0x80 && kept++ == n - 1) break;
  return s.substr(0, i) + "…";
}

// Rough width of text at 11-12px, for reserving margins.
double text_width(const std::string& s) { return 6.6 * static_cast<double>(text_length(s)); }

// The neurons of a column that get a circle: all, or the first and last ones around a gap.
struct Shown {
  std::vector<int64_t> indices;
  bool gap = false;  // "⋮" between indices[gap_after - 1] and indices[gap_after]
  size_t gap_after = 0;
};

Shown shown_neurons(int64_t n, int max_neurons) {
  Shown s;
  if (n <= max_neurons) {
    for (int64_t i = 0; i < n; ++i) s.indices.push_back(i);
    return s;
  }
  const int64_t head = (max_neurons + 1) / 2, tail = max_neurons - head;
  for (int64_t i = 0; i < head; ++i) s.indices.push_back(i);
  for (int64_t i = n - tail; i < n; ++i) s.indices.push_back(i);
  s.gap = true;
  s.gap_after = static_cast<size_t>(head);
  return s;
}

// A column placed on the page.
struct Placed {
  const Column* column;
  double x;
  const char* role_class;  // "input", "hidden", "output"
  Shown shown;             // neurons only
  std::vector<double> ys;  // centres of the shown neurons
  double height;           // drawn extent
  double half_width;
};

double per_channel_size(const Shape& shape) {
  if (shape.size() < 2) return shape.empty() ? 1 : static_cast<double>(shape[0]);
  double n = 1;
  for (size_t i = 1; i < shape.size(); ++i) n *= static_cast<double>(shape[i]);
  return n;
}

// The columns at x = 0, kColumnGap, ... on the midline y = 0.
std::vector<Placed> place(const std::vector<Column>& columns, int max_neurons) {
  double largest_map = 1;
  for (const Column& c : columns)
    if (c.kind == Column::Kind::Box) largest_map = std::max(largest_map, per_channel_size(c.shape));
  std::vector<Placed> placed;
  for (size_t i = 0; i < columns.size(); ++i) {
    const Column& c = columns[i];
    Placed p{&c,
             static_cast<double>(i) * kColumnGap,
             i == 0                    ? "input"
             : i + 1 == columns.size() ? "output"
                                       : "hidden",
             {},
             {},
             0,
             0};
    if (c.kind == Column::Kind::Neurons) {
      p.shown = shown_neurons(c.shape[0], max_neurons);
      const size_t slots = p.shown.indices.size() + (p.shown.gap ? 1 : 0);
      const double top = -static_cast<double>(slots) * kPitch / 2 + kPitch / 2;
      for (size_t k = 0; k < p.shown.indices.size(); ++k) {
        const size_t slot = k + (p.shown.gap && k >= p.shown.gap_after ? 1 : 0);
        p.ys.push_back(top + static_cast<double>(slot) * kPitch);
      }
      p.height = static_cast<double>(slots) * kPitch;
      p.half_width = kRadius;
    } else {
      p.height =
          kBoxMinHeight + kBoxExtraHeight * std::sqrt(per_channel_size(c.shape) / largest_map);
      p.half_width = kBoxWidth / 2;
    }
    placed.push_back(std::move(p));
  }
  return placed;
}

void draw_channels(SvgDocument& svg, const Placed& from, const Placed& to) {
  svg.begin_group("channels");
  for (double y0 : from.ys)
    for (double y1 : to.ys) svg.line({from.x + kRadius, y0}, {to.x - kRadius, y1}, "channel");
  svg.end_group();
}

void draw_arrow(SvgDocument& svg, const Placed& from, const Placed& to, double mid) {
  const double x0 = from.x + from.half_width + 8, x1 = to.x - to.half_width - 8;
  svg.line({x0, mid}, {x1 - 7, mid}, "arrow");
  svg.polygon({{x1, mid}, {x1 - 9, mid - 5}, {x1 - 9, mid + 5}}, "arrow-head");
}

void draw_neurons(SvgDocument& svg, const Placed& p, const std::vector<std::string>& names,
                  bool names_left) {
  const std::string cls = std::string("neuron ") + p.role_class;
  for (size_t k = 0; k < p.ys.size(); ++k) {
    const int64_t index = p.shown.indices[k];
    svg.circle({p.x, p.ys[k]}, kRadius, cls);
    if (static_cast<size_t>(index) < names.size()) {
      const std::string name = clipped(names[static_cast<size_t>(index)], kNameChars);
      if (names_left)
        svg.text({p.x - kRadius - 6, p.ys[k] + 4}, name, "input-name");
      else
        svg.text({p.x + kRadius + 6, p.ys[k] + 4}, name, "output-name");
    }
  }
  if (p.shown.gap) {
    const double y = (p.ys[p.shown.gap_after - 1] + p.ys[p.shown.gap_after]) / 2;
    svg.text({p.x, y + 7}, "⋮", "ellipsis");
  }
}

void draw_box(SvgDocument& svg, const Placed& p, double mid) {
  const double left = p.x - kBoxWidth / 2, top = mid - p.height / 2;
  if (p.column->shape.size() >= 3 && p.column->shape[0] > 1)  // a stack of feature maps
    for (double offset : {8.0, 4.0})
      svg.rect({left + offset, top - offset}, kBoxWidth, p.height, "box-back", 3);
  svg.rect({left, top}, kBoxWidth, p.height, "box", 3, p.column->detail);
}

// Type, size, parameter count and tags under a column, starting at baseline `y`.
void draw_labels(SvgDocument& svg, const Placed& p, double y) {
  const Column& c = *p.column;
  svg.text({p.x, y}, c.type, "type");
  const std::string size = c.kind == Column::Kind::Neurons
                               ? grouped(c.shape[0]) + (c.shape[0] == 1 ? " neuron" : " neurons")
                               : shape_text(c.shape);
  svg.text({p.x, y + 17}, size, "size");
  if (c.parameters > 0) svg.text({p.x, y + 33}, grouped(c.parameters) + " params", "params");
  for (size_t i = 0; i < c.tags.size(); ++i) {
    const double w = text_width(c.tags[i]) + 16, top = y + 42 + static_cast<double>(i) * kTagPitch;
    svg.rect({p.x - w / 2, top}, w, kTagHeight, "tag", kTagHeight / 2, c.tag_details[i]);
    svg.text({p.x, top + 13}, c.tags[i], "tag-text");
  }
}

std::string role_text(size_t i, size_t count) {
  if (i == 0) return "Input layer";
  if (i + 1 == count) return "Output layer";
  return count == 3 ? "Hidden layer" : "Hidden layer " + std::to_string(i);
}

// "104 bytes", "9.8 KB", "2.04 MB" (units of 1024).
std::string byte_size(double bytes) {
  if (bytes < 1024) return fixed(bytes, 0) + " bytes";
  if (bytes < 1024 * 1024) return fixed(bytes / 1024, 1) + " KB";
  return fixed(bytes / (1024 * 1024), 2) + " MB";
}

std::string caption_text(const nn::ModelSummary& s) {
  return grouped(s.total_parameters) + " parameters (" + grouped(s.trainable_parameters) +
         " trainable) · " + byte_size(static_cast<double>(s.total_parameters) * 4) +
         " as float32 · " + grouped(s.total_flops) + " FLOPs per sample";
}

double widest(const std::vector<std::string>& names) {
  double w = 0;
  for (const auto& n : names) w = std::max(w, text_width(clipped(n, kNameChars)));
  return w;
}

}  // namespace

std::string network_svg(const nn::ModelSummary& summary, const NetworkDrawOptions& options) {
  if (options.max_neurons < 3)
    throw Error("network_svg: max_neurons must be at least 3, got " +
                std::to_string(options.max_neurons));
  const std::vector<Column> columns = network_columns(summary);
  const bool names_in = columns.front().kind == Column::Kind::Neurons;
  const bool names_out = columns.back().kind == Column::Kind::Neurons;

  // Body height: the tallest column; the labels under it need room for the most tags.
  std::vector<Placed> placed = place(columns, options.max_neurons);
  double body = 120;
  size_t most_tags = 0;
  for (const Placed& p : placed) {
    body = std::max(body, p.height + 16);
    most_tags = std::max(most_tags, p.column->tags.size());
  }
  const double mid = kBodyTop + body / 2;
  const double labels_y = kBodyTop + body + 22;
  const double caption_y = labels_y + 64 + static_cast<double>(most_tags) * kTagPitch;
  const double height = caption_y + 24;

  const double left = 70 + (names_in ? widest(options.input_names) : 0);
  const double right = 70 + (names_out ? widest(options.output_names) : 0);
  const std::string title = options.title.empty() ? "Network: " + summary.type : options.title;
  const std::string caption = caption_text(summary);
  const double span = static_cast<double>(columns.size() - 1) * kColumnGap;
  const double width = std::max({left + span + right, text_width(caption) + 60, 420.0});
  const double first_x = left + (width - left - right - span) / 2;
  for (Placed& p : placed) {
    p.x += first_x;
    for (double& y : p.ys) y += mid;
  }

  SvgDocument svg(width, height, kCss);
  svg.text({width / 2, kTitleY}, title, "title");
  for (size_t i = 1; i < placed.size(); ++i) {
    if (placed[i].column->fully_connected)
      draw_channels(svg, placed[i - 1], placed[i]);
    else
      draw_arrow(svg, placed[i - 1], placed[i], mid);
  }
  const std::vector<std::string> no_names;
  for (size_t i = 0; i < placed.size(); ++i) {
    const Placed& p = placed[i];
    svg.begin_group("layer");
    svg.text({p.x, kRoleY}, role_text(i, placed.size()), "role");
    if (p.column->kind == Column::Kind::Neurons) {
      const bool first = i == 0, last = i + 1 == placed.size();
      draw_neurons(svg, p,
                   first  ? options.input_names
                   : last ? options.output_names
                          : no_names,
                   first);
    } else {
      draw_box(svg, p, mid);
    }
    draw_labels(svg, p, labels_y);
    svg.end_group();
  }
  svg.text({width / 2, caption_y}, caption, "caption");
  return svg.finish();
}

}  // namespace myelin::viz
