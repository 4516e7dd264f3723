#pragma once
// Asserting on error messages: the tests check that errors name what is at fault.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "myelin/error.hpp"

namespace myelin::testing {

// Expects `fn` to throw E (a myelin::Error by default) whose message contains every one of
// `parts`.
template <class E = Error, class Fn>
void expect_error(Fn fn, std::initializer_list<std::string> parts) {
  try {
    fn();
    ADD_FAILURE() << "no exception thrown; expected one mentioning " << *parts.begin();
  } catch (const E& e) {
    const std::string what = e.what();
    for (const std::string& part : parts) EXPECT_NE(what.find(part), std::string::npos) << what;
  }
}

template <class E = Error, class Fn>
void expect_error(Fn fn, const std::string& part) {
  expect_error<E>(fn, {part});
}

}  // namespace myelin::testing
