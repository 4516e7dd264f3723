// Anomaly detection: NaN/infinity checks on op results, with the scope they were computed in.
#include <cmath>
#include <unordered_map>
#include <vector>

#include "autograd/function.hpp"
#include "myelin/error.hpp"

namespace myelin {
namespace {

thread_local int t_detect_depth = 0;
thread_local std::vector<std::string> t_scopes;
thread_local bool t_checking = false;  // contiguous() inside a check is itself an op
// Node -> the scope it was recorded in. A node freed without a backward leaves its entry until
// the outermost DetectAnomaly ends (or a new node at its address replaces it).
thread_local std::unordered_map<const Node*, std::string> t_node_scopes;

std::string describe(float v) { return std::isnan(v) ? "NaN" : v > 0 ? "inf" : "-inf"; }

}  // namespace

DetectAnomaly::DetectAnomaly() { ++t_detect_depth; }
DetectAnomaly::~DetectAnomaly() {
  if (--t_detect_depth == 0) t_node_scopes.clear();
}
bool anomaly_detection_enabled() { return t_detect_depth > 0; }

AnomalyScope::AnomalyScope(std::string label) : active_(anomaly_detection_enabled()) {
  if (active_) t_scopes.push_back(std::move(label));
}
AnomalyScope::~AnomalyScope() {
  if (active_) t_scopes.pop_back();
}

const std::string& current_anomaly_scope() {
  static const std::string none;
  return t_scopes.empty() ? none : t_scopes.back();
}

void check_finite(const Tensor& t, const std::string& what) {
  if (!anomaly_detection_enabled() || t_checking || !t.defined()) return;
  t_checking = true;
  NoGradGuard no_grad;
  const Tensor dense = t.contiguous();
  t_checking = false;
  const float* p = dense.data();
  const int64_t n = dense.numel();
  for (int64_t i = 0; i < n; ++i) {
    if (std::isfinite(p[i])) continue;
    const std::string& scope = current_anomaly_scope();
    throw AnomalyError("anomaly: " + what + " holds " + describe(p[i]) + " at index " + std::to_string(i) +
                       " of shape " + to_string(t.shape()) + (scope.empty() ? "" : " in " + scope));
  }
}

namespace autograd {

void check_forward(const char* op, const Tensor& out) {
  check_finite(out, std::string("the forward output of op '") + op + "'");
}

void remember_scope(const Node* node) { t_node_scopes[node] = current_anomaly_scope(); }

std::string recorded_scope(const Node* node) {
  auto it = t_node_scopes.find(node);
  if (it == t_node_scopes.end()) return "";
  std::string scope = std::move(it->second);
  t_node_scopes.erase(it);
  return scope;
}

}  // namespace autograd
}  // namespace myelin
