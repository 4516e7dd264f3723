// Dates of a series: the written forms iso_date reads, calendar checks, and the ISO strings
// (of the precision the text gives) that sort in time order.
#include "myelin/data/dates.hpp"

#include <cstdio>
#include <string_view>

#include "myelin/error.hpp"

namespace myelin::data {
namespace {

constexpr const char* kForms =
    "expected YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, YYYY-MM, YYYY or YYYY-MM-DDTHH:MM[:SS][Z] (or give a date_format)";

enum class Precision { year, month, day, second };

struct DateTime {
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  Precision precision = Precision::year;
};

[[noreturn]] void not_a_date(const std::string& text, const std::string& why) {
  throw Error("'" + text + "' is not a date: " + why);
}

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[month - 1] + (month == 2 && leap(year) ? 1 : 0);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The number written by the n characters of `text` from `at`; -1 unless they are all digits.
int digits(std::string_view text, size_t at, size_t n) {
  if (at + n > text.size()) return -1;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!is_digit(text[i])) return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

void check_ranges(const DateTime& d, const std::string& text) {
  auto outside = [&](const char* what, int v, int hi, int lo = 0) {
    not_a_date(text, std::string(what) + " " + std::to_string(v) + " is outside " + std::to_string(lo) + ".." +
                         std::to_string(hi));
  };
  if (d.month < 1 || d.month > 12) outside("month", d.month, 12, 1);
  const int last_day = days_in_month(d.year, d.month);
  if (d.day < 1 || d.day > last_day) outside("day", d.day, last_day, 1);
  if (d.hour > 23) outside("hour", d.hour, 23);
  if (d.minute > 59) outside("minute", d.minute, 59);
  if (d.second > 59) outside("second", d.second, 59);
}

// "HH:MM", "HH:MM:SS", either with a trailing 'Z' (UTC), into d.
void parse_time_of_day(const std::string& text, std::string_view time, DateTime& d) {
  if (time.ends_with('Z')) time.remove_suffix(1);
  const bool shaped = (time.size() == 5 || (time.size() == 8 && time[5] == ':')) && time[2] == ':';
  d.hour = digits(time, 0, 2);
  d.minute = digits(time, 3, 2);
  d.second = time.size() == 8 ? digits(time, 6, 2) : 0;
  if (!shaped || d.hour < 0 || d.minute < 0 || d.second < 0) not_a_date(text, kForms);
  d.precision = Precision::second;
}

DateTime parse_written(const std::string& text) {
  DateTime d;
  const size_t n = text.size();
  const char separator = n >= 7 ? text[4] : 0;
  if (n == 4) {
    d.year = digits(text, 0, 4);
  } else if (n == 8 && is_digit(text[4])) {  // YYYYMMDD
    d.year = digits(text, 0, 4), d.month = digits(text, 4, 2), d.day = digits(text, 6, 2);
    d.precision = Precision::day;
  } else if (separator == '-' || separator == '/') {
    d.year = digits(text, 0, 4), d.month = digits(text, 5, 2);
    d.precision = Precision::month;
    if (n >= 10 && text[7] == separator) {
      d.day = digits(text, 8, 2);
      d.precision = Precision::day;
      if (n > 10 && (text[10] == 'T' || text[10] == ' ')) parse_time_of_day(text, std::string_view(text).substr(11), d);
      else if (n > 10) d.year = -1;
    } else if (n != 7) {
      d.year = -1;
    }
  } else {
    d.year = -1;
  }
  if (d.year < 0 || d.month < 0 || d.day < 0) not_a_date(text, kForms);
  return d;
}

// Reads `text` as `format` says (the format checked by check_date_format).
DateTime parse_formatted(const std::string& text, const std::string& format) {
  DateTime d;
  bool has_month = false, has_day = false, has_time = false;
  size_t at = 0;
  auto fail = [&](const std::string& what) {
    not_a_date(text, what + " at character " + std::to_string(at + 1) + " (date_format '" + format + "')");
  };
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || format[i + 1] == '%') {
      if (format[i] == '%') ++i;  // "%%" matches one '%'
      if (at >= text.size() || text[at] != format[i]) fail(std::string("expected '") + format[i] + "'");
      ++at;
      continue;
    }
    const char field = format[++i];
    const size_t longest = field == 'Y' ? 4 : 2, shortest = field == 'Y' ? 4 : 1;
    size_t length = 0;
    while (length < longest && at + length < text.size() && is_digit(text[at + length])) ++length;
    if (length < shortest) fail(std::string("expected the digits of %") + field);
    const int v = digits(text, at, length);
    at += length;
    switch (field) {
      case 'Y': d.year = v; break;
      case 'm': d.month = v, has_month = true; break;
      case 'd': d.day = v, has_day = true; break;
      case 'H': d.hour = v, has_time = true; break;
      case 'M': d.minute = v, has_time = true; break;
      default: d.second = v, has_time = true; break;  // 'S'
    }
  }
  if (at != text.size()) fail("unexpected text after the format's end");
  d.precision = has_time ? Precision::second : has_day ? Precision::day : has_month ? Precision::month : Precision::year;
  return d;
}

DateTime parse_checked(const std::string& text, const std::string& format) {
  const DateTime d = format.empty() ? parse_written(text) : parse_formatted(text, format);
  check_ranges(d, text);
  return d;
}

// Days from 1970-01-01 to the date (H. Hinnant's days_from_civil).
long long days_since_epoch(int year, int month, int day) {
  const int y = year - (month <= 2);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int year_of_era = y - era * 400;
  const int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return static_cast<long long>(era) * 146097 + day_of_era - 719468;
}

}  // namespace

void check_date_format(const std::string& format) {
  bool year = false, month = false, day = false, time = false;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    const char field = i + 1 < format.size() ? format[++i] : 0;
    switch (field) {
      case 'Y': year = true; break;
      case 'm': month = true; break;
      case 'd': day = true; break;
      case 'H': case 'M': case 'S': time = true; break;
      case '%': break;
      default:
        throw Error("date_format '" + format + "': " + (field ? std::string("%") + field + " is" : std::string("a lone % is")) +
                    " not one of %Y %m %d %H %M %S %%");
    }
  }
  if (!year) throw Error("date_format '" + format + "' has no %Y (the year)");
  if (day && !month) throw Error("date_format '" + format + "' has %d but no %m (the month)");
  if (time && !day) throw Error("date_format '" + format + "' has a time of day but no %d (the day)");
}

std::string iso_date(const std::string& text, const std::string& format) {
  if (!format.empty()) check_date_format(format);
  const DateTime d = parse_checked(text, format);
  char out[32];
  switch (d.precision) {
    case Precision::year: std::snprintf(out, sizeof out, "%04d", d.year); break;
    case Precision::month: std::snprintf(out, sizeof out, "%04d-%02d", d.year, d.month); break;
    case Precision::day: std::snprintf(out, sizeof out, "%04d-%02d-%02d", d.year, d.month, d.day); break;
    case Precision::second:
      std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d", d.year, d.month, d.day, d.hour, d.minute, d.second);
      break;
  }
  return out;
}

int day_of_year(const std::string& date) {
  const DateTime d = parse_checked(date, "");
  static constexpr int kBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  return kBefore[d.month - 1] + d.day + (d.month > 2 && leap(d.year) ? 1 : 0);
}

double seconds_since_epoch(const std::string& date) {
  const DateTime d = parse_checked(date, "");
  return static_cast<double>(days_since_epoch(d.year, d.month, d.day)) * 86400.0 + d.hour * 3600.0 + d.minute * 60.0 +
         d.second;
}

}  // namespace myelin::data
