#pragma once
// What the simdjson line parsers (EventParser, FinanceEventParser) share: opening one line as a
// JSON object document, the stable reason codes for simdjson errors, the end-of-line check and
// the exact text of a number (money is parsed from it, never through a double).
//
// Free functions over the caller's parser and scratch buffer; the caller owns both (one per
// thread).
#include <string>
#include <string_view>

#include <simdjson.h>

#include "core/status.h"

namespace ledgerflow {

// invalid_utf8, too_deep or invalid_json.
Status json_error(simdjson::error_code e);

// Copies `line` into `scratch` with simdjson's padding and starts `doc` over it; refuses
// anything but a JSON object (not_object) and malformed JSON.
Status open_json_object(simdjson::ondemand::parser& parser, std::string& scratch,
                        std::string_view line, simdjson::ondemand::document* doc);

// After the object has been read: anything left (a second object, garbage) is invalid_json.
Status expect_document_end(simdjson::ondemand::document& doc);

// The number's own text, without the whitespace simdjson leaves after it.
std::string_view json_number_text(simdjson::ondemand::value v);

}  // namespace ledgerflow
