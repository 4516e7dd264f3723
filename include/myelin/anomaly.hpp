#pragma once
// Anomaly detection: finding where a NaN or an infinity first appears in training.
#include <string>

#include "myelin/error.hpp"
#include "myelin/tensor.hpp"

namespace myelin {

/// AnomalyError: anomaly detection (DetectAnomaly) found a NaN or infinity. The message names
/// the op or tensor, where it was computed (layer, "the loss") and, from Trainer::fit, the
/// epoch and batch.
class AnomalyError : public Error {
 public:
  using Error::Error;
};

/// DetectAnomaly: while alive, every op on this thread checks its forward output, and backward
/// checks every gradient it computes, for NaN and infinity; modules run through operator()
/// check their own parameters and buffers first; Trainer::fit checks each batch's inputs and
/// targets and adds the epoch and batch to the report. The first non-finite value throws
/// AnomalyError. Costs a pass over every result: a debugging mode, as PyTorch's
/// detect_anomaly (`myelin train --detect-anomaly`). Nests; the checks stay on until the
/// outermost guard ends. Results are unchanged: the checks only read.
class DetectAnomaly {
 public:
  DetectAnomaly();
  ~DetectAnomaly();
  DetectAnomaly(const DetectAnomaly&) = delete;
  DetectAnomaly& operator=(const DetectAnomaly&) = delete;
};

/// True while a DetectAnomaly guard is alive on this thread.
bool anomaly_detection_enabled();

/// AnomalyScope: names the part of the computation that runs while it is alive, e.g.
/// "layer '2' (Linear)" or "the loss", for anomaly reports; the innermost scope is reported,
/// and backward reports the scope an op ran in during forward. Does nothing unless anomaly
/// detection is on.
class AnomalyScope {
 public:
  explicit AnomalyScope(std::string label);
  ~AnomalyScope();
  AnomalyScope(const AnomalyScope&) = delete;
  AnomalyScope& operator=(const AnomalyScope&) = delete;

 private:
  bool active_;
};

/// The innermost AnomalyScope's label on this thread ("" outside any scope).
const std::string& current_anomaly_scope();

/// Under DetectAnomaly: throws AnomalyError when `t` holds a NaN or infinity, saying
/// "anomaly: <what> holds NaN at index i of shape (...) in <scope>". Otherwise does nothing.
void check_finite(const Tensor& t, const std::string& what);

}  // namespace myelin
