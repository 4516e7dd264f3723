// Storage and its caching allocator.
//
// A training loop allocates the same buffer sizes at every step. glibc returns large blocks to
// the OS and faults them back in each time, so freed buffers are kept here, keyed by exact
// size, and handed out again. The cache is bounded so that a change of workload cannot pin an
// unbounded amount of memory.
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "myelin/error.hpp"
#include "myelin/tensor.hpp"
#include "tensor/allocation_limit.hpp"

namespace myelin {
namespace {

constexpr size_t kAlignment = 64;
constexpr size_t kMaxCachedBytes = size_t(1) << 30;

class CachingAllocator {
 public:
  void* allocate(size_t bytes) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = free_.find(bytes);
      if (it != free_.end() && !it->second.empty()) {
        void* p = it->second.back();
        it->second.pop_back();
        cached_bytes_ -= bytes;
        return p;
      }
    }
    void* p = std::aligned_alloc(kAlignment, round_up(bytes));
    if (p == nullptr) throw std::bad_alloc();
    return p;
  }

  void release(void* p, size_t bytes) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (cached_bytes_ + bytes <= kMaxCachedBytes) {
        free_[bytes].push_back(p);
        cached_bytes_ += bytes;
        return;
      }
    }
    std::free(p);
  }

  ~CachingAllocator() {
    for (auto& [bytes, blocks] : free_)
      for (void* p : blocks) std::free(p);
  }

 private:
  static size_t round_up(size_t bytes) {
    size_t n = bytes == 0 ? kAlignment : bytes;
    return (n + kAlignment - 1) / kAlignment * kAlignment;
  }
  std::mutex mutex_;
  std::unordered_map<size_t, std::vector<void*>> free_;
  size_t cached_bytes_ = 0;
};

CachingAllocator& allocator() {
  // Leaked on purpose: storages held by static objects may be freed after main returns.
  static auto* instance = new CachingAllocator();
  return *instance;
}

}  // namespace

Storage::Storage(int64_t size) : size_(size) {
  if (size < 0) throw Error("Storage: negative size " + std::to_string(size));
  // numel() caps sizes at 2^63 - 1 elements, but their bytes must not wrap around size_t either.
  if (static_cast<uint64_t>(size) > SIZE_MAX / sizeof(float))
    throw Error("Storage: " + std::to_string(size) + " floats are more bytes than memory can address");
  AllocationLimit::charge(static_cast<size_t>(size) * sizeof(float));
  data_ = static_cast<float*>(allocator().allocate(static_cast<size_t>(size) * sizeof(float)));
}

Storage::~Storage() { allocator().release(data_, static_cast<size_t>(size_) * sizeof(float)); }

}  // namespace myelin
