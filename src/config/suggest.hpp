#pragma once
// Suggestions for misspelt names in configs ("did you mean 'lr'?").
#include <string>
#include <vector>

namespace myelin::config {

/// The known word nearest to `word`: the closest by edit distance when that is a plausible typo,
/// else the key whose initials `word` spells ("learning_rate" -> "lr"), else a key that is a
/// prefix of `word` or has it as a prefix; "" when none fits.
std::string nearest(const std::string& word, const std::vector<std::string>& known);

}  // namespace myelin::config
