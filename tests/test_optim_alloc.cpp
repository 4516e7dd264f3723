// An optimizer step (and a schedule step) allocates nothing: all state is made up front.
//
// This file replaces the global operator new of the test binary with a counting one (plain
// malloc underneath); the count is only read here.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "optim_cases.hpp"

namespace {
std::atomic<long> g_allocations{0};
}

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
// The nothrow forms too (std::stable_sort's buffer uses them): every form must come from the
// same malloc that the deletes below free, or AddressSanitizer reports a mismatch.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return ::operator new(size, tag); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace myelin::testing {
namespace {

class OptimAllocation : public ::testing::TestWithParam<OptimCase> {};

TEST_P(OptimAllocation, StepsAllocateNothing) {
  Generator gen(3);
  // One small and one large (multi-threaded) parameter.
  std::vector<Tensor> params{Tensor::normal({3, 4}, 0.f, 1.f, &gen).requires_grad_(),
                             Tensor::normal({70000}, 0.f, 1.f, &gen).requires_grad_()};
  for (Tensor& p : params) p.set_grad(Tensor::normal(p.shape(), 0.f, 1.f, &gen));
  auto opt = GetParam().make(params);
  optim::ExponentialLR schedule(*opt, 0.9);
  const long before = g_allocations.load();
  for (int s = 0; s < 3; ++s) {
    opt->step();
    schedule.step();
  }
  EXPECT_EQ(g_allocations.load() - before, 0);
}

INSTANTIATE_TEST_SUITE_P(Optimizers, OptimAllocation, ::testing::ValuesIn(optim_cases()),
                         optim_case_name);

}  // namespace
}  // namespace myelin::testing
