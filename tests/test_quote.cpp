// quote_prefix and quote_list: message quotes stay short and on one line.
#include <gtest/gtest.h>

#include <string>

#include "myelin/quote.hpp"

namespace myelin::testing {
namespace {

TEST(QuotePrefix, ShortTextIsQuotedWhole) {
  EXPECT_EQ(quote_prefix("abc"), "'abc'");
  EXPECT_EQ(quote_prefix(""), "''");
  EXPECT_EQ(quote_prefix(std::string(40, 'a')), "'" + std::string(40, 'a') + "'");
}

TEST(QuotePrefix, LongTextIsCutWithItsSize) {
  EXPECT_EQ(quote_prefix(std::string(41, 'a')), "'" + std::string(40, 'a') + "...' (41 bytes)");
  EXPECT_EQ(quote_prefix("abcdef", 3), "'abc...' (6 bytes)");
}

TEST(QuotePrefix, CutsAtACharacterBoundaryAndEscapesLineBreaks) {
  // "é" is two bytes; cutting after 2 bytes would split the second one.
  EXPECT_EQ(quote_prefix("a\xC3\xA9\xC3\xA9", 2), "'a...' (5 bytes)");
  EXPECT_EQ(quote_prefix("a\nb\r\tc"), "'a\\nb\\r\\tc'");
}

TEST(QuotePrefix, ListsShowTheFirstItems) {
  EXPECT_EQ(quote_list({"a", "b"}), "'a', 'b'");
  EXPECT_EQ(quote_list({"a", "b", "c"}, 2), "'a', 'b', ... (3 in all)");
  EXPECT_EQ(quote_list({}), "");
}

}  // namespace
}  // namespace myelin::testing
