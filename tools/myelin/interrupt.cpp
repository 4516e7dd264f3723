#include "interrupt.hpp"

#include <atomic>
#include <csignal>

namespace myelin::cli {
namespace {

std::atomic<bool> g_interrupted{false};  // lock-free, so safe to set from a signal handler
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_sigint(int) {
  g_interrupted.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the program
}

}  // namespace

StopOnInterrupt::StopOnInterrupt() {
  g_interrupted.store(false);
  std::signal(SIGINT, on_sigint);
}

StopOnInterrupt::~StopOnInterrupt() { std::signal(SIGINT, SIG_DFL); }

bool StopOnInterrupt::interrupted() const { return g_interrupted.load(); }

void StopOnInterrupt::on_epoch_begin(train::Trainer& t, int64_t) {
  if (interrupted()) t.request_stop();
}

void StopOnInterrupt::on_batch_end(train::Trainer& t, const train::BatchLogs&) {
  if (interrupted()) t.request_stop();
}

}  // namespace myelin::cli
