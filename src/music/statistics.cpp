// Key detection (Krumhansl-Schmuckler) and melody statistics.
#include "myelin/music/statistics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>

namespace myelin::music {
namespace {

// Krumhansl and Kessler's key profiles (1982): how well each scale degree fits the key.
constexpr std::array<double, 12> kMajorProfile = {6.35, 2.23, 3.48, 2.33, 4.38, 4.09,
                                                  2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
constexpr std::array<double, 12> kMinorProfile = {6.33, 2.68, 3.52, 5.38, 2.60, 3.53,
                                                  2.54, 4.75, 3.98, 2.69, 3.34, 3.17};

double correlation(const std::array<double, 12>& a, const std::array<double, 12>& b) {
  double ma = 0, mb = 0;
  for (int i = 0; i < 12; ++i) ma += a[i] / 12, mb += b[i] / 12;
  double ab = 0, aa = 0, bb = 0;
  for (int i = 0; i < 12; ++i) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) * (a[i] - ma);
    bb += (b[i] - mb) * (b[i] - mb);
  }
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0;
}

}  // namespace

std::string Key::name() const {
  static const char* names[] = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
  return std::string(names[tonic]) + (minor ? " minor" : " major");
}

bool Key::contains(int pitch) const {
  static constexpr std::array<bool, 12> major = {1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1};
  static constexpr std::array<bool, 12> natural_minor = {1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0};
  const int degree = ((pitch - tonic) % 12 + 12) % 12;
  return minor ? natural_minor[degree] : major[degree];
}

Key detect_key(const std::vector<MelodyNote>& melody) {
  std::array<double, 12> histogram{};
  for (const MelodyNote& m : melody) histogram[m.pitch % 12] += static_cast<double>(m.steps);
  Key best;
  double best_r = -2;
  for (bool minor : {false, true})
    for (int tonic = 0; tonic < 12; ++tonic) {
      std::array<double, 12> rotated;  // the profile with its tonic at pitch class `tonic`
      for (int pc = 0; pc < 12; ++pc) rotated[pc] = (minor ? kMinorProfile : kMajorProfile)[(pc - tonic + 12) % 12];
      const double r = correlation(histogram, rotated);
      if (r > best_r) best_r = r, best = {tonic, minor};
    }
  return best;
}

double MelodyStats::length_share(int64_t from, int64_t to) const {
  int64_t n = 0;
  for (const auto& [steps, count] : lengths)
    if (steps >= from && steps <= to) n += count;
  return notes > 0 ? static_cast<double>(n) / static_cast<double>(notes) : 0;
}

MelodyStats melody_stats(const std::vector<std::vector<MelodyNote>>& pieces) {
  MelodyStats s;
  int64_t in_key = 0;
  double ranges = 0;
  for (const auto& piece : pieces) {
    if (piece.empty()) continue;
    const Key key = detect_key(piece);
    int low = 127, high = 0;
    for (const MelodyNote& m : piece) {
      low = std::min(low, m.pitch), high = std::max(high, m.pitch);
      in_key += key.contains(m.pitch);
      ++s.lengths[m.steps];
    }
    s.lowest = std::min(s.lowest, low), s.highest = std::max(s.highest, high);
    ranges += high - low;
    ++s.pieces;
    s.notes += static_cast<int64_t>(piece.size());
  }
  if (s.pieces > 0) {
    s.mean_range = ranges / static_cast<double>(s.pieces);
    s.in_key = static_cast<double>(in_key) / static_cast<double>(s.notes);
  }
  return s;
}

std::string stats_table(const std::vector<std::pair<std::string, MelodyStats>>& columns) {
  auto fmt = [](const char* format, auto... v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v...);
    return std::string(buf);
  };
  auto pitch_name = [](int p) {
    static const char* names[] = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
    return std::string(names[p % 12]) + std::to_string(p / 12 - 1);
  };
  auto share = [&](int64_t from, int64_t to) {
    return [=](const MelodyStats& s) { return fmt("%.1f%%", 100 * s.length_share(from, to)); };
  };
  const std::vector<std::pair<std::string, std::function<std::string(const MelodyStats&)>>> rows = {
      {"pieces", [&](const MelodyStats& s) { return std::to_string(s.pieces); }},
      {"notes", [&](const MelodyStats& s) { return std::to_string(s.notes); }},
      {"pitch range", [&](const MelodyStats& s) {
         return s.notes ? pitch_name(s.lowest) + " .. " + pitch_name(s.highest) : std::string("-");
       }},
      {"mean range per piece (semitones)", [&](const MelodyStats& s) { return fmt("%.1f", s.mean_range); }},
      {"notes in the piece's key", [&](const MelodyStats& s) { return fmt("%.1f%%", 100 * s.in_key); }},
      {"length 1 step (1/16)", share(1, 1)},
      {"length 2 steps (1/8)", share(2, 2)},
      {"length 3 steps (dotted 1/8)", share(3, 3)},
      {"length 4 steps (1/4)", share(4, 4)},
      {"length 5-7 steps", share(5, 7)},
      {"length 8 steps (1/2)", share(8, 8)},
      {"length over 8 steps", share(9, INT64_MAX)}};
  std::ostringstream out;
  out << "| |";
  for (const auto& [name, stats] : columns) out << ' ' << name << " |";
  out << "\n|---|";
  for (size_t i = 0; i < columns.size(); ++i) out << "---|";
  out << '\n';
  for (const auto& [label, cell] : rows) {
    out << "| " << label << " |";
    for (const auto& [name, stats] : columns) out << ' ' << cell(stats) << " |";
    out << '\n';
  }
  return out.str();
}

}  // namespace myelin::music
