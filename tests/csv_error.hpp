#pragma once
// csv_error_of: the message of the IoError that read_csv throws for a file, for tests that check
// what the message names.
#include <gtest/gtest.h>

#include <string>

#include "myelin/data/csv.hpp"
#include "myelin/error.hpp"

namespace myelin::testing {

// The IoError message of read_csv(path, options); "" (and a test failure) when it throws none.
inline std::string csv_error_of(const std::string& path, const data::CsvOptions& options) {
  try {
    data::read_csv(path, options);
  } catch (const IoError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an IoError reading " << path;
  return "";
}

}  // namespace myelin::testing
