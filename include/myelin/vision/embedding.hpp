#pragma once
// Recognising who is in a picture with a classifier trained on a few people: its penultimate layer
// is an embedding (similar faces, nearby vectors); a gallery holds one mean embedding per enrolled
// person, and a new picture is identified by its nearest gallery entry by cosine similarity.
#include <string>
#include <utility>
#include <vector>

#include "myelin/nn/module.hpp"
#include "myelin/tensor.hpp"

namespace myelin::vision {

/// The embeddings of `inputs` (N, ...): the output of every layer of `model` (a Sequential) before
/// its last Linear layer, flattened and L2-normalised per row, (N, D). Runs without gradients.
/// Throws Error when model is not a Sequential with a Linear layer after at least one other layer.
Tensor embed(nn::Module& model, const Tensor& inputs);

/// Gallery: enrolled people, by name, and one unit-length mean embedding each.
struct Gallery {
  std::vector<std::string> names;
  Tensor embeddings;  // (P, D), row p belongs to names[p]
};

/// The gallery of `people` (name, examples (n, ...) of that person): each person's embeddings
/// averaged and L2-normalised.
/// Requires: at least one person, each with at least one example, all examples of one shape
/// (else ShapeError naming the person and the shapes).
Gallery enrol(nn::Module& model, const std::vector<std::pair<std::string, Tensor>>& people);

/// Writes `gallery` as a safetensors file ("embeddings", and the names in the metadata).
void save_gallery(const std::string& path, const Gallery& gallery);
/// Reads a file written by save_gallery. Throws IoError naming `path` when it is not a gallery.
Gallery load_gallery(const std::string& path);

/// Match: the nearest enrolled person to an embedding; person is -1 ("unknown") when even the
/// nearest is farther than the threshold.
struct Match {
  int64_t person = -1;
  float distance = 0;  // cosine distance, 1 - cosine similarity, in [0, 2]
};

/// The nearest gallery entry to `embedding` (D) (unit length, as embed gives), or unknown when
/// its cosine distance exceeds `max_distance`. Requires: D equals the gallery's (else ShapeError).
Match identify(const Gallery& gallery, const Tensor& embedding, float max_distance);

}  // namespace myelin::vision
