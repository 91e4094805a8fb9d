#include "ingest/csv_row_json.h"

#include "core/assert.h"
#include "core/json_escape.h"

namespace ledgerflow {

CsvRowJson::CsvRowJson(const std::vector<std::string>& header) {
  for (const std::string& h : header) {
    std::string quoted;
    append_json_string(&quoted, h);
    keys_.push_back(quoted + ":");
  }
}

void CsvRowJson::append(const std::vector<std::string_view>& fields, std::string* out) const {
  LF_ASSERT(fields.size() == keys_.size());
  *out += '{';
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) *out += ',';
    *out += keys_[i];
    append_json_string(out, fields[i]);
  }
  *out += '}';
}

}  // namespace ledgerflow
