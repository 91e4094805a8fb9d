#pragma once
// Byte layout of the bronze log (format version 1). All integers little-endian.
// Event type 3 (order lines) was added within version 1: older logs stay readable as they are;
// a binary from before it refuses a log holding type 3 records as corrupt (it cannot know them).
// Finance event types 10-17 were added the same way; they add no fields: the event is its raw
// bytes (always kept whole for events), which the shard parses again on replay.
//
// Segment file "<base offset, 20 digits>.seg":
//   segment header, 32 bytes
//     0   8  magic "LFBRONZ1"
//     8   4  u32 format version (1)
//     12  4  u32 reserved (0)
//     16  8  u64 base offset: the offset of the first record in this segment
//     24  4  u32 CRC-32 (zlib) of bytes 0..23
//     28  4  u32 reserved (0)
//   then records back to back until the end of the file.
//
// Record:
//   0   4  u32 CRC-32 (zlib) of bytes 4 .. 32+body_len (header rest and body)
//   4   4  u32 body_len (at most kMaxBodyBytes)
//   8   8  u64 offset (consecutive: the previous record's offset + 1)
//   16  8  i64 ingest time, ms since the Unix epoch
//   24  1  u8  record kind (log_record.h RecordKind)
//   25  1  u8  source kind (core/event.h SourceKind)
//   26  2  u16 flags: bit 0 (kFlagRawOnly) = an event stored as its raw bytes and a parse hint
//            only (below); every other bit 0. Records from before the flag existed have 0.
//   28  4  i32 source partition
//   32  .. body:
//        i64 source position (Kafka offset, file line, line within an HTTP body)
//        str source name          (str = u32 length + bytes)
//        u32 raw size (the input's full size), str raw bytes (possibly a prefix)
//        kind 1 (event):        u8 event type, i32 store id, i64 prod_id, i64 units,
//                               i64 reorder point (-1 absent), i64 unit price (micros),
//                               i64 event time ms, str id, str prod_name
//                               event type 3 (order_line) without kFlagRawOnly (logs written
//                               before 2026-11-29; read, no longer written) then adds the
//                               OrderLine fields (core/order_line.cpp): i64 order item id,
//                               i64 order id, i64 customer id, i64 order time ms, i64 shipping
//                               time ms, i32 days real, i32 days scheduled, u8 late risk,
//                               i32 quantity, i64 product id, 6 x i64 money micros (sales, item
//                               total, profit, benefit, product price, discount), 13 x str
//                               (payment type, delivery status, order status, shipping mode,
//                               customer segment, market, region, country, state, city,
//                               department, category, product name)
//        kind 1 (event) with kFlagRawOnly (order lines, written so since 2026-11-29):
//                               u8 event type (3), str parse hint: u8 form, then for form 2 u16
//                               fields in the file's header and 29 x u16 column index (in
//                               DatacoColumn order, ingest/order_line_parser.h). Form 1: the raw
//                               bytes are a JSON object keyed by the DataCo header names; form 2:
//                               a CSV record of that file. Readers parse the raw bytes again
//                               (ingest/logged_order_line.h), as for finance events: the
//                               normalized fields doubled the bytes of every order line.
//        kind 2 (dead letter):  str reason code, str message
//        kind 3 (batch marker): str idempotency key, str summary JSON
//
// A torn tail (a record cut short or failing its checksum with no valid record after it) is
// truncated on open and reported. A bad record followed by valid ones is corruption: the log
// refuses to open and names the segment and byte position.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "log/log_record.h"

namespace ledgerflow::logfmt {

inline constexpr char kSegmentMagic[8] = {'L', 'F', 'B', 'R', 'O', 'N', 'Z', '1'};
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kSegmentHeaderBytes = 32;
inline constexpr size_t kRecordHeaderBytes = 32;
inline constexpr uint32_t kMaxBodyBytes = 64u << 20;

std::string encode_segment_header(uint64_t base_offset);
// Returns false if the header is short, has a bad magic/version or fails its checksum.
bool decode_segment_header(std::string_view bytes, uint64_t* base_offset);

inline constexpr uint16_t kFlagRawOnly = 1;

// Appends the encoded record to *out (rec.offset must be set). An order-line event is stored raw
// only, with rec.parse_hint, else `order_line_hint` (its batch's), else the JSON form.
void encode_record(const LogRecord& rec, std::string* out, std::string_view order_line_hint = {});

enum class DecodeResult { kOk, kTruncated, kCorrupt };
// Decodes the record at the start of `bytes`; on kOk sets *consumed.
DecodeResult decode_record(std::string_view bytes, LogRecord* rec, size_t* consumed);
// Cheap check (header and checksum only) used when scanning for valid records after damage.
bool looks_like_valid_record(std::string_view bytes, uint64_t min_offset);

}  // namespace ledgerflow::logfmt
