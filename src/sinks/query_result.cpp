#include "sinks/query_result.h"

#include <algorithm>

#include "core/json_writer.h"

namespace ledgerflow::sinks {
namespace {

const std::string kNull = "NULL";

const std::string& cell_text(const std::optional<std::string>& v) {
  return v ? *v : kNull;
}

std::string csv_field(const std::optional<std::string>& v) {
  if (!v) return "";
  if (v->find_first_of(",\"\r\n") == std::string::npos) return *v;
  std::string out = "\"";
  for (char c : *v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A database's number text is JSON unless it is NaN or an infinity (PostgreSQL numeric, float).
bool json_number(const std::string& t) {
  return !t.empty() && t.find_first_not_of("0123456789+-.eE") == std::string::npos;
}

}  // namespace

std::string format_table(const QueryResult& r) {
  std::vector<size_t> width(r.columns.size());
  for (size_t c = 0; c < r.columns.size(); ++c) width[c] = r.columns[c].size();
  for (const auto& row : r.rows) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], cell_text(row[c]).size());
  }
  auto line = [&](auto&& text_of, bool align_numbers) {
    std::string out;
    for (size_t c = 0; c < r.columns.size(); ++c) {
      const std::string& t = text_of(c);
      std::string pad(width[c] - std::min(width[c], t.size()), ' ');
      if (c > 0) out += " | ";
      out += (align_numbers && r.numeric[c]) ? pad + t : t + pad;
    }
    return out + "\n";
  };
  std::string out = line([&](size_t c) -> const std::string& { return r.columns[c]; }, false);
  std::string rule;
  for (size_t c = 0; c < r.columns.size(); ++c)
    rule += (c > 0 ? "-+-" : "") + std::string(width[c], '-');
  out += rule + "\n";
  for (const auto& row : r.rows) {
    out += line([&](size_t c) -> const std::string& { return cell_text(row[c]); }, true);
  }
  out += "(" + std::to_string(r.rows.size()) + (r.rows.size() == 1 ? " row" : " rows") +
         (r.truncated ? ", truncated at the row limit" : "") + ")\n";
  return out;
}

std::string format_csv(const QueryResult& r) {
  std::string out;
  for (size_t c = 0; c < r.columns.size(); ++c) out += (c ? "," : "") + csv_field(r.columns[c]);
  out += "\n";
  for (const auto& row : r.rows) {
    for (size_t c = 0; c < row.size(); ++c) out += (c ? "," : "") + csv_field(row[c]);
    out += "\n";
  }
  return out;
}

std::string format_json(const QueryResult& r) {
  JsonWriter w;
  w.begin_object().key("columns").begin_array();
  for (const std::string& c : r.columns) w.value(c);
  w.end_array().key("rows").begin_array();
  for (const auto& row : r.rows) {
    w.begin_array();
    for (size_t c = 0; c < row.size(); ++c) {
      if (!row[c]) {
        w.null();
      } else if (r.numeric[c] && json_number(*row[c])) {
        w.raw(*row[c]);  // the database's own decimal text: exact for money in micros
      } else {
        w.value(*row[c]);
      }
    }
    w.end_array();
  }
  w.end_array().field("truncated", r.truncated).end_object();
  return w.take();
}

}  // namespace ledgerflow::sinks
