// CSV tables: the label column named "y" holding class names, every other column a feature.
#include "fuzz_file.hpp"
#include "myelin/data/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return myelin::fuzz::parse_file(data, size, ".csv", [](const std::string& path) {
    myelin::data::read_csv(path, {.label_column = "y", .labels_are_class_names = true});
  });
}
