#include "tensor/allocation_limit.hpp"

#include "myelin/error.hpp"

namespace myelin {
namespace {
thread_local AllocationLimit* t_limit = nullptr;
}  // namespace

AllocationLimit::AllocationLimit(size_t bytes, std::string message) : left_(bytes), message_(std::move(message)) {
  if (t_limit) throw Error("AllocationLimit: a limit is already active on this thread");
  t_limit = this;
}

AllocationLimit::~AllocationLimit() { t_limit = nullptr; }

void AllocationLimit::charge(size_t bytes) {
  if (!t_limit) return;
  if (bytes > t_limit->left_)
    throw AllocationRefused(t_limit->message_ + " (a tensor of " + std::to_string(bytes) + " bytes with " +
                                std::to_string(t_limit->left_) + " left)",
                            bytes, t_limit->left_);
  t_limit->left_ -= bytes;
}

}  // namespace myelin
