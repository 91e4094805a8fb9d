#pragma once
// Random CSV input of every field shape, for the tests that hold a CSV splitter against the
// general path: plain fields of any length, empty ones, simple quoted fields with commas, empty
// quoted ones, doubled quotes, line breaks inside quotes, blanks before a quote, text after one,
// literal quotes; LF, CRLF, CR and blank-line record ends, or none at the input's end; and now
// and then an unterminated quote at the end.
#include <cstddef>
#include <random>
#include <string>

namespace ledgerflow::testing {

struct RandomCsvShape {
  int max_fields = 12;              // fields per record: 1 to this
  unsigned shapes = 12;             // draws per field: 0-7 the shapes above, the rest plain
  size_t long_plain_bytes = 90;     // half the plain fields are up to this long (else 12)
  bool crlf_inside_quotes = false;  // a line break inside quotes may be CR LF too
  unsigned open_quote_one_in = 20;  // how rarely the input ends in an unterminated quote
  size_t open_quote_bytes = 80;     // the most text after that quote
};

// Up to max_len bytes of letters, digits, blanks, dots and dashes.
inline std::string random_csv_text(std::mt19937& rng, size_t max_len) {
  std::string t(rng() % (max_len + 1), 'a');
  for (char& c : t) c = "abcdef xyz.-0123456789"[rng() % 22];
  return t;
}

// One to four records of `shape`.
inline std::string random_csv(std::mt19937& rng, const RandomCsvShape& shape) {
  auto text = [&](size_t max_len) { return random_csv_text(rng, max_len); };
  const char* line_ends[] = {"\n", "\r\n", "\r", "\n\n", "\r\n\r\n"};
  std::string csv;
  for (int r = 0, records = 1 + int(rng() % 4); r < records; ++r) {
    for (int f = 0, fields = 1 + int(rng() % unsigned(shape.max_fields)); f < fields; ++f) {
      if (f > 0) csv += ',';
      switch (rng() % shape.shapes) {
        case 0:  // simple quoted
          csv += '"' + text(70) + ", " + text(10) + '"';
          break;
        case 1:  // empty quoted
          csv += "\"\"";
          break;
        case 2:  // a doubled quote
          csv += '"' + text(20) + "\"\"" + text(5) + '"';
          break;
        case 3:  // a line break inside
          csv += '"' + text(20) + (shape.crlf_inside_quotes && rng() % 2 == 0 ? "\r\n" : "\n") +
                 text(5) + '"';
          break;
        case 4:  // blanks first
          csv += "  \"" + text(10) + '"';
          break;
        case 5:  // text after the closing quote
          csv += '"' + text(10) + "\"tail";
          break;
        case 6:  // a literal quote
          csv += text(10) + '"' + text(10);
          break;
        case 7:  // empty
          break;
        default:
          csv += text(rng() % 2 == 0 ? 12 : shape.long_plain_bytes);
          break;
      }
    }
    if (r + 1 < records || rng() % 3 != 0) csv += line_ends[rng() % 5];
  }
  if (rng() % shape.open_quote_one_in == 0) csv += ",\"open " + text(shape.open_quote_bytes);
  return csv;
}

}  // namespace ledgerflow::testing
