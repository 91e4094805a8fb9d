#pragma once
// Order lines read back from the bronze log hold their raw bytes and a parse hint only
// (log/log_format.h kFlagRawOnly). These functions write the hint of a CSV file and parse a
// logged line again into the event the engine accepted live: the parser is deterministic, so
// bytes that no longer parse mean the log was written by a binary that parsed differently.
//
// Parse hint bytes (inside the log record's "str parse hint"), little-endian:
//   u8 form: kOrderLineJsonHint (1) = the raw bytes are a JSON object keyed by the DataCo header
//            names; kOrderLineCsvHint (2) = a CSV record of a file, followed by
//   u16 fields in the file's header (at most kMaxDatacoColumns) and
//   29 x u16 the column index of each DatacoColumn, in DatacoColumn order.
//
// Free functions; the caller owns the parser (not thread-safe).
#include <string>

#include "core/status.h"
#include "ingest/order_line_parser.h"
#include "log/log_record.h"

namespace ledgerflow {

// The most columns a DataCo CSV header may have (a wider file is refused on open).
inline constexpr size_t kMaxDatacoColumns = 4096;

// The parse hint of the CSV records of a file with this header.
std::string csv_parse_hint(const DatacoHeader& header);

// Parses rec.raw as rec.parse_hint says into *out, with the record's offset and ingest time.
// Fatal "log_unreadable" when the hint is malformed or the bytes do not parse.
Status parse_logged_order_line(const LogRecord& rec, OrderLineParser& parser, Event* out);

}  // namespace ledgerflow
