#pragma once
// Event time: milliseconds since the Unix epoch, UTC. Parsing accepts the seed format
// "YYYY-MM-DD HH:MM:SS[.fff]" (UTC) and ISO 8601 "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)".
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ledgerflow {

inline constexpr int64_t kMsPerSecond = 1000;
inline constexpr int64_t kMsPerMinute = 60 * kMsPerSecond;
inline constexpr int64_t kMsPerHour = 60 * kMsPerMinute;
inline constexpr int64_t kMsPerDay = 24 * kMsPerHour;

// Accepted years are 1970..2199: anything else is almost certainly a unit or typing error.
Result<int64_t> parse_event_time_ms(std::string_view text);

// The DataCo date format "M/D/YYYY H:MM[:SS]" (US month first, one or two digits for month,
// day and hour; UTC). Years 1970..2199.
Result<int64_t> parse_us_datetime_ms(std::string_view text);

// "YYYY-MM-DD" to days since 1970-01-01 (years 1970..2199).
Result<int64_t> parse_date_days(std::string_view text);

// Days since 1970-01-01 for a civil date; false if the date does not exist.
bool civil_to_days(int year, int month, int day, int64_t* days);

// "2024-05-01 12:00:00.123" (the seed format).
std::string format_event_time(int64_t ms);
// "2024-05-01T12:00:00.123Z".
std::string format_iso8601(int64_t ms);

int64_t now_ms();        // wall clock
int64_t monotonic_ns();  // steady clock for durations

inline int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
inline int64_t floor_to(int64_t ms, int64_t unit) {
  return floor_div(ms, unit) * unit;
}

}  // namespace ledgerflow
