#include "config/suggest.hpp"

#include <algorithm>

namespace myelin::config {
namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string nearest(const std::string& word, const std::vector<std::string>& known) {
  std::string best;
  size_t best_distance = std::string::npos;
  for (const auto& k : known) {
    const size_t d = edit_distance(word, k);
    if (d < best_distance) best_distance = d, best = k;
  }
  // A typo changes a few letters; a prefix ("learning_rate" for "lr") is also worth suggesting.
  const bool close = best_distance <= std::max<size_t>(2, word.size() / 3);
  if (close) return best;
  // "learning_rate" (or a typo of it) for "lr": the initials of the words match a known key.
  std::string initials;
  for (size_t i = 0; i < word.size(); ++i)
    if (i == 0 || word[i - 1] == '_') initials += word[i];
  for (const auto& k : known)
    if (initials.size() > 1 && initials == k) return k;
  for (const auto& k : known)
    if (!k.empty() && (word.rfind(k, 0) == 0 || k.rfind(word, 0) == 0)) return k;
  return "";
}

}  // namespace myelin::config
