// forecast_in_units: a time_series model's outputs back in the targets' own units.
#include "myelin/config/config.hpp"
#include "myelin/data/time_series.hpp"
#include "myelin/ops.hpp"

namespace myelin::config {

Tensor forecast_in_units(const SeriesPreparation& series, const Tensor& inputs, const Tensor& outputs) {
  Tensor scaled = outputs.detach().reshape({outputs.size(0), -1});
  if (series.predict_change)
    scaled = add(scaled, data::persistence_forecast(inputs, series.input_indices, series.target_indices, series.horizon));
  return data::unscale_targets(scaled, series.scaler, series.target_indices);
}

}  // namespace myelin::config
