#pragma once
// The built-in module types, listed once so the registry never misses one
// (self-registering statics can be dropped by the linker from a static library).
#include <map>
#include <string>

#include "myelin/nn/module.hpp"

namespace myelin::nn {

// Adds every built-in type's factory; defined in nn/builtin_modules.cpp.
void register_builtin_modules(std::map<std::string, ModuleFactory>& factories);

}  // namespace myelin::nn
