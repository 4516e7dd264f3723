// `myelin enrol` and `myelin identify`: who is in a picture, by the nearest enrolled embedding of
// an image classifier's penultimate layer.
#include <cstdio>

#include "commands.hpp"
#include "model_info.hpp"
#include "myelin/data/image_folder.hpp"
#include "myelin/error.hpp"
#include "myelin/io/model_file.hpp"
#include "myelin/vision/embedding.hpp"

namespace myelin::cli {
namespace {

struct IdentityArgs {
  std::string model, gallery_dir, gallery, out;
  std::vector<std::string> images;
  float max_distance = 0.3f;
};

// Every person folder of `dir` (DIR/<name>/<images>), decoded at the model's image size.
std::vector<std::pair<std::string, Tensor>> read_people(const ModelInfo& info, const std::string& dir) {
  const Shape& shape = image_shape_of(info, dir);
  data::ImageFolderOptions options;
  options.channels = shape[0];
  options.height = shape[1];
  options.width = shape[2];
  const data::ImageFolder folder(dir, options);
  std::vector<std::pair<std::string, Tensor>> people;
  for (size_t p = 0; p < folder.class_names().size(); ++p) {
    std::vector<int64_t> rows;
    for (int64_t i = 0; i < folder.size(); ++i)
      if (folder.label(i) == static_cast<int64_t>(p)) rows.push_back(i);
    const Tensor images = folder.get_batch(rows).inputs;
    people.emplace_back(folder.class_names()[p], prepare_inputs(info, images, dir + "/" + folder.class_names()[p], true));
  }
  return people;
}

void run_enrol(const IdentityArgs& args) {
  const io::LoadedModel loaded = io::load_model(args.model);
  const ModelInfo info = from_metadata(loaded.metadata, args.model);
  const vision::Gallery gallery = vision::enrol(*loaded.module, read_people(info, args.gallery_dir));
  vision::save_gallery(args.out, gallery);
  std::printf("enrolled %zu people (embeddings of %lld values) into %s:", gallery.names.size(),
              static_cast<long long>(gallery.embeddings.size(1)), args.out.c_str());
  for (const std::string& name : gallery.names) std::printf(" %s", name.c_str());
  std::printf("\n");
}

void run_identify(const IdentityArgs& args) {
  const io::LoadedModel loaded = io::load_model(args.model);
  const ModelInfo info = from_metadata(loaded.metadata, args.model);
  const vision::Gallery gallery = vision::load_gallery(args.gallery);
  std::printf("image,name,distance\n");
  for (const std::string& path : args.images) {
    // Pictures are resized to the model's size, as the enrolled gallery's were.
    const Tensor embedding = vision::embed(*loaded.module, read_examples(info, path, "", PictureSize::resize).inputs);
    vision::Match m;
    try {
      m = vision::identify(gallery, embedding, args.max_distance);
    } catch (const ShapeError& e) {
      throw Error(args.gallery + ": " + e.what());
    }
    std::printf("%s,%s,%.4f\n", path.c_str(), m.person < 0 ? "unknown" : gallery.names[static_cast<size_t>(m.person)].c_str(),
                m.distance);
  }
}

void add_model_option(CLI::App* cmd, IdentityArgs& args) {
  cmd->add_option("MODEL", args.model, "An image classifier written by `myelin train`")->required()->check(CLI::ExistingFile);
}

}  // namespace

void add_enrol_command(CLI::App& app) {
  auto args = std::make_shared<IdentityArgs>();
  CLI::App* cmd = app.add_subcommand("enrol", "Enrol people from a folder of their photos into a gallery");
  cmd->footer(
      "DIR holds one folder per person (DIR/<name>/*.png, .jpg, ...). Each photo is resized to the\n"
      "model's image size; its embedding is the output of the layers before the model's last\n"
      "Linear layer, L2-normalised; a person's gallery entry is the normalised mean of theirs.\n\n"
      "Example:\n"
      "  myelin enrol runs/people/model.safetensors --gallery photos/people --out gallery.safetensors");
  add_model_option(cmd, *args);
  cmd->add_option("--gallery", args->gallery_dir, "Folder with one subfolder of photos per person")->required()->check(CLI::ExistingDirectory);
  cmd->add_option("--out", args->out, "The gallery file to write (.safetensors)")->required();
  cmd->callback([args] { run_enrol(*args); });
}

void add_identify_command(CLI::App& app) {
  auto args = std::make_shared<IdentityArgs>();
  CLI::App* cmd = app.add_subcommand("identify", "Name the enrolled person nearest to each photo");
  cmd->footer(
      "Prints, per photo, the gallery's nearest person by cosine distance (1 - cosine similarity\n"
      "of the embeddings), or 'unknown' when even the nearest is farther than --max-distance.\n\n"
      "Example:\n"
      "  myelin identify runs/people/model.safetensors --gallery gallery.safetensors new1.jpg new2.jpg");
  add_model_option(cmd, *args);
  cmd->add_option("--gallery", args->gallery, "A gallery written by `myelin enrol`")->required()->check(CLI::ExistingFile);
  cmd->add_option("IMAGE", args->images, "Photos to identify")->required()->check(CLI::ExistingFile);
  cmd->add_option("--max-distance", args->max_distance, "Largest cosine distance of a match (default 0.3)")->check(CLI::Range(0.0, 2.0));
  cmd->callback([args] { run_identify(*args); });
}

}  // namespace myelin::cli
