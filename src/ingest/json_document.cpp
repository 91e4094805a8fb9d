#include "ingest/json_document.h"

#include <fmt/format.h>

namespace ledgerflow {

Status json_error(simdjson::error_code e) {
  if (e == simdjson::UTF8_ERROR) {
    return Status::bad_input("invalid_utf8", "the line is not valid UTF-8");
  }
  if (e == simdjson::DEPTH_ERROR) {
    return Status::bad_input("too_deep", "JSON nesting is too deep");
  }
  return Status::bad_input("invalid_json",
                           fmt::format("malformed JSON: {}", simdjson::error_message(e)));
}

Status open_json_object(simdjson::ondemand::parser& parser, std::string& scratch,
                        std::string_view line, simdjson::ondemand::document* doc) {
  scratch.assign(line);
  scratch.append(simdjson::SIMDJSON_PADDING, '\0');
  if (auto e = parser.iterate(scratch.data(), line.size(), scratch.size()).get(*doc)) {
    return json_error(e);
  }
  simdjson::ondemand::json_type t;
  if (auto e = doc->type().get(t)) return json_error(e);
  if (t != simdjson::ondemand::json_type::object) {
    return Status::bad_input("not_object", "the line is not a JSON object");
  }
  return Status::ok();
}

Status expect_document_end(simdjson::ondemand::document& doc) {
  const char* loc = nullptr;
  if (doc.current_location().get(loc) == simdjson::SUCCESS) {
    return Status::bad_input("invalid_json", "unexpected content after the JSON object");
  }
  return Status::ok();
}

std::string_view json_number_text(simdjson::ondemand::value v) {
  std::string_view raw = v.raw_json_token();
  while (!raw.empty() &&
         (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r' || raw.back() == '\n')) {
    raw.remove_suffix(1);
  }
  return raw;
}

}  // namespace ledgerflow
