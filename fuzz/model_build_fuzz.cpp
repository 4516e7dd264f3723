// Config checking and model building, not only parsing: a TOML run config is read and checked,
// then its model is built (every layer, its inferred sizes and a zero batch) within a memory
// limit, with its loss, optimizer and schedule. A myelin::Error is a clean answer; a crash, a
// sanitizer report, a hang (fuzz/run.sh's -timeout) or an allocation past -rss_limit_mb is a
// finding, so a layer that allocates before its size is checked shows up here.
#include "fuzz_file.hpp"
#include "myelin/config/config.hpp"
#include "myelin/random.hpp"

namespace {

// A model needing more is refused: far below fuzz/run.sh's -rss_limit_mb, so that a refusal
// that comes too late (after the memory is taken) is found.
constexpr uint64_t kMaxModelBytes = uint64_t{64} << 20;

// The per-sample input when the config leaves it to the data, which is not read here.
const myelin::Shape kDefaultInput = {1, 8, 8};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return myelin::fuzz::parse_file(data, size, ".toml", [](const std::string& path) {
    const myelin::config::RunConfig c = myelin::config::load_config(path);
    const myelin::Shape input =
        c.model.input_shape.empty() ? kDefaultInput : myelin::Shape(c.model.input_shape.begin(), c.model.input_shape.end());
    myelin::Generator init(0);
    const myelin::nn::ModulePtr model =
        myelin::config::build_model(c, input, &init, {.max_memory_bytes = kMaxModelBytes});
    const auto optimizer = myelin::config::build_optimizer(c.optimizer, model->parameters());
    myelin::config::build_schedule(c.schedule, *optimizer, c.train.epochs);
    myelin::config::build_loss(c.loss);
  });
}
