#include "max_memory.hpp"

namespace myelin::cli {

void add_max_memory_option(CLI::App* cmd, uint64_t& bytes) {
  cmd->add_option("--max-memory", bytes,
                  "Refuse a config's model that needs more memory to train, e.g. 2G or 512M "
                  "(default: the machine's memory)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Validator(
          [](const std::string& bytes) { return bytes == "0" ? std::string("must be more than 0 bytes") : std::string(); },
          "SIZE > 0"));
}

}  // namespace myelin::cli
