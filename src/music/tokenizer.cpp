// Melodies to (pitch|rest, duration) tokens and back.
#include "myelin/music/tokenizer.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "myelin/error.hpp"

namespace myelin::music {

void MelodyTokenizer::check() const {
  if (steps_per_quarter < 1 || steps_per_quarter > 960 || lowest < 0 || highest > 127 || highest - lowest < 11 ||
      max_steps < 1)
    throw Error("MelodyTokenizer: expected 1 <= steps_per_quarter <= 960, 0 <= lowest, lowest + 11 <= highest <= 127 "
                "and max_steps >= 1, got steps_per_quarter " + std::to_string(steps_per_quarter) + ", lowest " +
                std::to_string(lowest) + ", highest " + std::to_string(highest) + ", max_steps " +
                std::to_string(max_steps));
}

int64_t MelodyTokenizer::pitch_token(int pitch) const {
  while (pitch < lowest) pitch += 12;
  while (pitch > highest) pitch -= 12;
  return 1 + pitch - lowest;
}

int64_t MelodyTokenizer::duration_token(int64_t steps) const {
  return rest_token() + std::clamp<int64_t>(steps, 1, max_steps);
}

std::vector<int64_t> MelodyTokenizer::encode(const std::vector<MelodyNote>& melody) const {
  check();
  std::vector<int64_t> tokens = {start_token()};
  int64_t now = melody.empty() ? 0 : melody.front().start;
  for (const MelodyNote& m : melody) {
    if (m.start > now) tokens.insert(tokens.end(), {rest_token(), duration_token(m.start - now)});
    tokens.insert(tokens.end(), {pitch_token(m.pitch), duration_token(m.steps)});
    now = m.start + m.steps;
  }
  return tokens;
}

std::vector<MelodyNote> MelodyTokenizer::decode(std::span<const int64_t> tokens) const {
  check();
  std::vector<MelodyNote> melody;
  int64_t now = 0;
  int pending = -1;  // the pitch waiting for its duration; rest_token() for a rest; -1: none
  auto place = [&](int64_t steps) {
    if (pending < 0) return;
    if (pending != rest_token()) melody.push_back({now, steps, lowest + pending - 1});
    now += steps;
    pending = -1;
  };
  for (size_t i = 0; i < tokens.size(); ++i) {
    const int64_t t = tokens[i];
    if (t < 0 || t >= vocab_size())
      throw Error("MelodyTokenizer::decode: token " + std::to_string(t) + " at position " + std::to_string(i) +
                  " is outside [0, " + std::to_string(vocab_size()) + ")");
    if (t > rest_token()) {
      place(t - rest_token());
    } else if (t != start_token()) {
      place(1);
      pending = static_cast<int>(t);
    }
  }
  place(1);
  return melody;
}

std::string MelodyTokenizer::to_json() const {
  return nlohmann::json{{"type", "melody"}, {"steps_per_quarter", steps_per_quarter}, {"lowest", lowest},
                        {"highest", highest}, {"max_steps", max_steps}}
      .dump();
}

MelodyTokenizer MelodyTokenizer::from_json(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || j.value("type", "") != "melody")
    throw Error("MelodyTokenizer: expected a JSON object with \"type\": \"melody\", got " + text.substr(0, 80));
  MelodyTokenizer t;
  for (auto [key, field] : {std::pair{"steps_per_quarter", &t.steps_per_quarter}, {"lowest", &t.lowest},
                            {"highest", &t.highest}, {"max_steps", &t.max_steps}}) {
    if (!j.contains(key) || !j[key].is_number_integer())
      throw Error(std::string("MelodyTokenizer: field '") + key + "' is missing or not an integer");
    *field = j[key].get<int>();
  }
  t.check();
  return t;
}

}  // namespace myelin::music
