#include "core/event_time.h"

#include <chrono>

#include <fmt/format.h>

namespace ledgerflow {
namespace {

// Reads exactly n digits at pos; false if any is not a digit.
bool read_digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

Status bad_time(std::string_view text, const char* why) {
  std::string shown(text.substr(0, 64));
  return Status::bad_input("invalid_time", fmt::format("{}: \"{}\"", why, shown));
}

// Reads 1..max_digits digits at *pos and advances it; false if there is none.
bool read_number(std::string_view s, size_t* pos, size_t max_digits, int* out) {
  size_t start = *pos;
  int v = 0;
  while (*pos < s.size() && *pos - start < max_digits && s[*pos] >= '0' && s[*pos] <= '9') {
    v = v * 10 + (s[*pos] - '0');
    ++*pos;
  }
  *out = v;
  return *pos > start;
}

bool expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

}  // namespace

Result<int64_t> parse_date_days(std::string_view s) {
  int year, month, day;
  if (s.size() != 10 || !read_digits(s, 0, 4, &year) || s[4] != '-' ||
      !read_digits(s, 5, 2, &month) || s[7] != '-' || !read_digits(s, 8, 2, &day)) {
    return bad_time(s, "expected YYYY-MM-DD");
  }
  int64_t days;
  if (year < 1970 || year > 2199 || !civil_to_days(year, month, day, &days))
    return bad_time(s, "no such date");
  return days;
}

Result<int64_t> parse_us_datetime_ms(std::string_view s) {
  size_t p = 0;
  int month, day, year, hour, minute, second = 0;
  // Minutes and seconds take exactly two digits; month, day and hour one or two.
  auto two_digits = [&](int* out) {
    size_t start = p;
    return read_number(s, &p, 2, out) && p - start == 2;
  };
  if (!read_number(s, &p, 2, &month) || !expect(s, &p, '/') || !read_number(s, &p, 2, &day) ||
      !expect(s, &p, '/') || !read_number(s, &p, 4, &year) || p != s.find(' ') ||
      !expect(s, &p, ' ') || !read_number(s, &p, 2, &hour) || !expect(s, &p, ':') ||
      !two_digits(&minute)) {
    return bad_time(s, "expected M/D/YYYY H:MM");
  }
  if (p < s.size() && (!expect(s, &p, ':') || !two_digits(&second))) {
    return bad_time(s, "expected M/D/YYYY H:MM[:SS]");
  }
  if (p != s.size()) return bad_time(s, "expected M/D/YYYY H:MM[:SS]");
  if (year < 1970 || year > 2199) return bad_time(s, "year out of range 1970..2199");
  if (hour > 23 || minute > 59 || second > 59) return bad_time(s, "time of day out of range");
  int64_t days;
  if (!civil_to_days(year, month, day, &days)) return bad_time(s, "no such date");
  return days * kMsPerDay + hour * kMsPerHour + minute * kMsPerMinute + second * kMsPerSecond;
}

bool civil_to_days(int year, int month, int day, int64_t* days) {
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year(year), std::chrono::month(unsigned(month)),
                     std::chrono::day(unsigned(day))};
  if (!ymd.ok()) return false;
  *days = sys_days(ymd).time_since_epoch().count();
  return true;
}

Result<int64_t> parse_event_time_ms(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (!read_digits(s, 0, 4, &year) || s.size() < 19 || s[4] != '-' ||
      !read_digits(s, 5, 2, &month) || s[7] != '-' || !read_digits(s, 8, 2, &day) ||
      (s[10] != ' ' && s[10] != 'T') || !read_digits(s, 11, 2, &hour) || s[13] != ':' ||
      !read_digits(s, 14, 2, &minute) || s[16] != ':' || !read_digits(s, 17, 2, &second)) {
    return bad_time(s, "expected YYYY-MM-DD HH:MM:SS[.fff] or ISO 8601");
  }
  if (year < 1970 || year > 2199) return bad_time(s, "year out of range 1970..2199");
  if (hour > 23 || minute > 59 || second > 59) return bad_time(s, "time of day out of range");
  int64_t days;
  if (!civil_to_days(year, month, day, &days)) return bad_time(s, "no such date");
  size_t pos = 19;
  int64_t millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t digits = 0;
    int64_t scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits >= 9) return bad_time(s, "too many fraction digits");
      millis += (s[pos] - '0') * scale;  // digits past milliseconds are truncated
      scale /= 10;
      ++pos;
      ++digits;
    }
    if (digits == 0) return bad_time(s, "empty fraction");
  }
  int64_t offset_minutes = 0;
  if (pos < s.size()) {
    if (s[10] != 'T' && s[pos] != 'Z' && s[pos] != '+' && s[pos] != '-') {
      return bad_time(s, "trailing characters");
    }
    if (s[pos] == 'Z' && pos + 1 == s.size()) {
      pos += 1;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh, om;
      bool colon = pos + 3 < s.size() && s[pos + 3] == ':';
      if (!read_digits(s, pos + 1, 2, &oh) || !read_digits(s, pos + (colon ? 4 : 3), 2, &om) ||
          oh > 23 || om > 59) {
        return bad_time(s, "bad zone offset");
      }
      offset_minutes = (s[pos] == '-' ? -1 : 1) * (oh * 60 + om);
      pos += colon ? 6 : 5;
    }
    if (pos != s.size()) return bad_time(s, "trailing characters");
  } else if (s[10] == 'T') {
    // ISO 8601 without a zone is local time of an unknown place: refuse rather than guess.
    return bad_time(s, "ISO 8601 time needs a zone (Z or +HH:MM)");
  }
  return days * kMsPerDay + hour * kMsPerHour + minute * kMsPerMinute + second * kMsPerSecond +
         millis - offset_minutes * kMsPerMinute;
}

namespace {
struct Civil {
  int year;
  unsigned month, day;
  int64_t hour, minute, second, millis;
};
Civil to_civil(int64_t ms) {
  using namespace std::chrono;
  int64_t days = floor_div(ms, kMsPerDay);
  int64_t rem = ms - days * kMsPerDay;
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  return Civil{int(ymd.year()),  unsigned(ymd.month()),   unsigned(ymd.day()),
               rem / kMsPerHour, rem / kMsPerMinute % 60, rem / kMsPerSecond % 60,
               rem % 1000};
}
}  // namespace

std::string format_event_time(int64_t ms) {
  Civil c = to_civil(ms);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}", c.year, c.month, c.day, c.hour,
                     c.minute, c.second, c.millis);
}

std::string format_iso8601(int64_t ms) {
  Civil c = to_civil(ms);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", c.year, c.month, c.day, c.hour,
                     c.minute, c.second, c.millis);
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t monotonic_ns() {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace ledgerflow
