// Embeddings from a classifier's penultimate layer; enrolment and nearest-neighbour identification.
#include "myelin/vision/embedding.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "myelin/autograd.hpp"
#include "myelin/error.hpp"
#include "myelin/io/safetensors.hpp"
#include "myelin/nn/sequential.hpp"

namespace myelin::vision {
namespace {

// Each row of (N, D) scaled to unit length (a zero row stays zero).
void normalize_rows(Tensor& rows) {
  const int64_t n = rows.size(0), d = rows.size(1);
  for (int64_t i = 0; i < n; ++i) {
    float* r = rows.data() + i * d;
    double norm = 0;
    for (int64_t j = 0; j < d; ++j) norm += static_cast<double>(r[j]) * r[j];
    if (norm == 0) continue;
    const float inv = static_cast<float>(1 / std::sqrt(norm));
    for (int64_t j = 0; j < d; ++j) r[j] *= inv;
  }
}

}  // namespace

Tensor embed(nn::Module& model, const Tensor& inputs) {
  auto* seq = dynamic_cast<nn::Sequential*>(&model);
  size_t last_linear = 0;
  if (seq)
    for (size_t i = 0; i < seq->size(); ++i)
      if ((*seq)[i].type_name() == "Linear") last_linear = i;
  if (last_linear == 0)
    throw Error("embed: the model must be a Sequential whose last Linear layer follows other layers (the embedding "
                "is what comes before it), got a " + model.type_name());
  NoGradGuard no_grad;
  Tensor x = inputs;
  for (size_t i = 0; i < last_linear; ++i) x = (*seq)[i](x);
  Tensor rows = x.reshape({x.size(0), -1}).contiguous().clone();
  normalize_rows(rows);
  return rows;
}

Gallery enrol(nn::Module& model, const std::vector<std::pair<std::string, Tensor>>& people) {
  if (people.empty()) throw ShapeError("enrol: no people to enrol");
  Gallery g;
  std::vector<float> means;
  for (const auto& [name, examples] : people) {
    if (examples.dim() < 1 || examples.size(0) == 0) throw ShapeError("enrol: " + name + " has no examples");
    const Shape shape(examples.shape().begin() + 1, examples.shape().end());
    const Tensor& first = people.front().second;
    if (shape != Shape(first.shape().begin() + 1, first.shape().end()))
      throw ShapeError("enrol: the examples of " + name + " have shape " + to_string(shape) + ", those of " +
                       people.front().first + " " + to_string(Shape(first.shape().begin() + 1, first.shape().end())));
    const Tensor e = embed(model, examples);
    const int64_t d = e.size(1);
    std::vector<float> mean(static_cast<size_t>(d), 0.f);
    for (int64_t i = 0; i < e.size(0); ++i)
      for (int64_t j = 0; j < d; ++j) mean[static_cast<size_t>(j)] += e.data()[i * d + j] / static_cast<float>(e.size(0));
    means.insert(means.end(), mean.begin(), mean.end());
    g.names.push_back(name);
  }
  const int64_t p = static_cast<int64_t>(g.names.size());
  g.embeddings = Tensor::from_vector(means, {p, static_cast<int64_t>(means.size()) / p});
  normalize_rows(g.embeddings);
  return g;
}

void save_gallery(const std::string& path, const Gallery& gallery) {
  io::save_safetensors(path, {{"embeddings", gallery.embeddings}},
                       {{"format", "myelin-gallery"}, {"names", nlohmann::json(gallery.names).dump()}});
}

Gallery load_gallery(const std::string& path) {
  io::TensorFile f = io::load_safetensors(path);
  const auto format = f.metadata.find("format"), names = f.metadata.find("names");
  if (format == f.metadata.end() || format->second != "myelin-gallery" || names == f.metadata.end() ||
      f.tensors.size() != 1 || f.tensors[0].first != "embeddings")
    throw IoError(path + ": not a gallery file (expected one written by `myelin enrol`)");
  Gallery g;
  try {
    g.names = nlohmann::json::parse(names->second).get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    throw IoError(path + ": the gallery's names are malformed: " + e.what());
  }
  g.embeddings = f.tensors[0].second;
  if (g.embeddings.dim() != 2 || g.embeddings.size(0) != static_cast<int64_t>(g.names.size()))
    throw IoError(path + ": the gallery has " + std::to_string(g.names.size()) + " names but embeddings of shape " +
                  to_string(g.embeddings.shape()));
  return g;
}

Match identify(const Gallery& gallery, const Tensor& embedding, float max_distance) {
  const int64_t d = gallery.embeddings.size(1);
  if (embedding.numel() != d)
    throw ShapeError("identify: an embedding of " + std::to_string(embedding.numel()) + " values, but the gallery's have " +
                     std::to_string(d) + " (was it enrolled with another model?)");
  const Tensor e = embedding.contiguous();
  Match best{.person = -1, .distance = 3.f};
  for (int64_t p = 0; p < gallery.embeddings.size(0); ++p) {
    float dot = 0;
    for (int64_t j = 0; j < d; ++j) dot += gallery.embeddings.data()[p * d + j] * e.data()[j];
    if (1 - dot < best.distance) best = {.person = p, .distance = 1 - dot};
  }
  if (best.distance > max_distance) best.person = -1;
  return best;
}

}  // namespace myelin::vision
