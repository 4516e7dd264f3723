#pragma once
// Learning curves as SVG: loss and a metric per epoch, for training and validation data.
#include <string>
#include <vector>

#include "myelin/train/trainer.hpp"

namespace myelin::viz {

/// What learning_curve_svg draws.
struct CurveOptions {
  std::string title = "Learning curves";
  /// The score of the second panel; "" picks the first score other than "loss" (in name order),
  /// and without one only the loss panel is drawn.
  std::string metric;
};

/// An SVG picture (complete document text) of `history`: a panel of the loss per epoch and one
/// of the chosen metric per epoch, each with a training line (solid, dots) and, where the
/// history has validation scores, a validation line (dashed, squares); axes with 1-2-5 ticks,
/// a legend and a title. Epochs are numbered from 1 on the x axis.
/// NaN and infinite scores leave a gap in their line; an empty history gives a picture saying
/// there is nothing to plot yet.
/// Requires: `options.metric`, when given, is a score of some epoch (Error otherwise).
/// Ensures: the same input gives the same bytes; all text is XML-escaped.
std::string learning_curve_svg(const std::vector<train::EpochLogs>& history,
                               const CurveOptions& options = {});

/// The history in a metrics CSV as train::CsvLogger writes it: a header "epoch,seconds,lr,
/// <training scores...>,val_<validation scores...>" and one row per epoch (epoch numbered
/// from 1). Empty and "nan" cells read as NaN; a score column without a value in a row is
/// NaN for that epoch. Throws Error naming the line and column for a malformed file (no epoch
/// column, a row with the wrong number of cells, a cell that is not a number).
std::vector<train::EpochLogs> history_from_metrics_csv(const std::string& csv_text);

/// learning_curve_svg(history_from_metrics_csv(csv_text), options), for re-plotting a log.
std::string learning_curve_svg_from_csv(const std::string& csv_text,
                                        const CurveOptions& options = {});

}  // namespace myelin::viz
