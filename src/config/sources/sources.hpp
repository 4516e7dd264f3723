#pragma once
// The built-in data sources, one file each in this folder; src/config/data_sources.cpp lists
// them in the registry. Internal to src/config.
#include "config/data_source.hpp"

namespace myelin::config {

const DataSource& fashion_mnist_source();  // fashion_mnist.cpp
const DataSource& idx_source();            // image_arrays.cpp
const DataSource& npy_source();            // image_arrays.cpp
const DataSource& csv_source();            // csv.cpp
const DataSource& image_folder_source();   // image_folder.cpp
const DataSource& time_series_source();    // time_series.cpp
const DataSource& text_source();           // text.cpp
const DataSource& midi_source();           // midi.cpp

}  // namespace myelin::config
