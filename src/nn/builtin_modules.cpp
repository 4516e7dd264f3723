#include "nn/builtin_modules.hpp"

namespace myelin::nn {

void register_builtin_modules(std::map<std::string, ModuleFactory>& factories) {
  (void)factories;  // layer files add their entries here
}

}  // namespace myelin::nn
