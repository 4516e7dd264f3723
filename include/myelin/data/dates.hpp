#pragma once
// Dates of a series as people write them (2024-01-05, 2024/01/05, 20240105, 2024-01, 2024,
// 2024-01-05T13:00:00Z, or a strptime-like format), turned into ISO strings that sort in time
// order.
#include <string>

namespace myelin::data {

/// `text` as a normalised ISO string, checked as a calendar date and time:
///   "YYYY"                  a bare year                         (2024)
///   "YYYY-MM"               a month          (2024-01, 2024/01)
///   "YYYY-MM-DD"            a day            (2024-01-05, 2024/01/05, 20240105)
///   "YYYY-MM-DDTHH:MM:SS"   a time of day    (2024-01-05T13:00, ...T13:00:00, ...T13:00:00Z,
///                                             and a space in place of the T)
/// A shorter string stands for the start of its period, so the strings of one series compare in
/// time order ("2024" < "2024-01" < "2024-01-01" < "2024-01-01T00:00:00").
/// With a non-empty `format`, `text` must match it instead: %Y (4 digits), %m, %d, %H, %M, %S
/// (1 or 2 digits), %% (a percent sign) and any other character literally, e.g. "%d.%m.%Y";
/// the result has the precision of the format's smallest field.
/// Throws Error saying what is wrong ("'2024-13-01' is not a date: month 13 is outside 1..12").
std::string iso_date(const std::string& text, const std::string& format = "");

/// Throws Error unless `format` is a usable date_format: only the directives iso_date reads,
/// %Y present, %m when %d is, and %d when a time field is.
void check_date_format(const std::string& format);

/// The day of the year, 1..366, of a date in any form iso_date reads without a format (a
/// month or a year counts as its first day), else Error.
int day_of_year(const std::string& date);

/// Seconds from 1970-01-01T00:00:00 to a date in any form iso_date reads without a format
/// (negative before 1970), for measuring time between rows; else Error.
double seconds_since_epoch(const std::string& date);

}  // namespace myelin::data
