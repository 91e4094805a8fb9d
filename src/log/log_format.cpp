#include "log/log_format.h"

#include <cstring>

#include "core/bytes.h"
#include "core/checksum.h"

namespace ledgerflow::logfmt {

std::string encode_segment_header(uint64_t base_offset) {
  std::string out;
  ByteWriter w(&out);
  w.bytes(std::string_view(kSegmentMagic, 8));
  w.u32(kFormatVersion);
  w.u32(0);
  w.u64(base_offset);
  w.u32(crc32(out));
  w.u32(0);
  LF_ASSERT(out.size() == kSegmentHeaderBytes);
  return out;
}

bool decode_segment_header(std::string_view bytes, uint64_t* base_offset) {
  if (bytes.size() < kSegmentHeaderBytes) return false;
  if (std::memcmp(bytes.data(), kSegmentMagic, 8) != 0) return false;
  ByteReader r(bytes.substr(8));
  uint32_t version, reserved, crc;
  uint64_t base;
  if (!r.u32(&version) || !r.u32(&reserved) || !r.u64(&base) || !r.u32(&crc)) return false;
  if (version != kFormatVersion || crc != crc32(bytes.substr(0, 24))) return false;
  *base_offset = base;
  return true;
}

namespace {

// The record's bytes in layout order, for any writer with ByteWriter's calls. encode_record runs
// it twice: SizeCounter sizes the record, then SpanWriter fills space sized once (one resize per
// record instead of a capacity check per field, the log writer's largest own cost).
template <typename W>
void write_fields(W& w, const LogRecord& rec, std::string_view order_line_hint) {
  const bool raw_only = rec.kind == RecordKind::kEvent && rec.event.type == EventType::kOrderLine;
  w.u32(0);  // crc, patched below
  w.u32(0);  // body_len, patched below
  w.u64(rec.offset);
  w.i64(rec.ingest_time_ms);
  w.u8(uint8_t(rec.kind));
  w.u8(uint8_t(rec.source.kind));
  w.u16(raw_only ? kFlagRawOnly : 0);
  w.i32(rec.source.partition);
  w.i64(rec.source.position);
  w.str(rec.source.name.view());
  w.u32(rec.raw_size);
  w.str(rec.raw.view());
  switch (rec.kind) {
    case RecordKind::kEvent: {
      const Event& e = rec.event;
      w.u8(uint8_t(e.type));
      if (raw_only) {
        static constexpr char kJson[] = {kOrderLineJsonHint};
        w.str(!rec.parse_hint.empty()    ? std::string_view(rec.parse_hint)
              : !order_line_hint.empty() ? order_line_hint
                                         : std::string_view(kJson, 1));
        break;
      }
      w.i32(e.store_id);
      w.i64(e.prod_id);
      w.i64(e.units);
      w.i64(e.reorder_point);
      w.i64(e.unit_price.micros());
      w.i64(e.event_time_ms);
      w.str(e.id);
      w.str(e.prod_name);
      break;
    }
    case RecordKind::kDeadLetter:
    case RecordKind::kBatchMarker:
      w.str(rec.reason_code);
      w.str(rec.message);
      break;
  }
}

struct SizeCounter {
  size_t bytes = 0;
  void u8(uint8_t) { bytes += 1; }
  void u16(uint16_t) { bytes += 2; }
  void u32(uint32_t) { bytes += 4; }
  void i32(int32_t) { bytes += 4; }
  void u64(uint64_t) { bytes += 8; }
  void i64(int64_t) { bytes += 8; }
  void str(std::string_view s) { bytes += 4 + s.size(); }
};

// Little-endian into space the caller sized with SizeCounter.
struct SpanWriter {
  char* p;
  void raw(const void* v, size_t n) {
    std::memcpy(p, v, n);
    p += n;
  }
  void u8(uint8_t v) { *p++ = char(v); }
  void u16(uint16_t v) { raw(&v, 2); }
  void u32(uint32_t v) { raw(&v, 4); }
  void i32(int32_t v) { raw(&v, 4); }
  void u64(uint64_t v) { raw(&v, 8); }
  void i64(int64_t v) { raw(&v, 8); }
  void str(std::string_view s) {
    u32(uint32_t(s.size()));
    // An empty view may have a null data(), and memcpy from null is undefined even for 0 bytes
    // (UBSan caught it on a record with no source name).
    if (!s.empty()) raw(s.data(), s.size());
  }
};

}  // namespace

void encode_record(const LogRecord& rec, std::string* out, std::string_view order_line_hint) {
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "formats are little-endian");
  SizeCounter size;
  write_fields(size, rec, order_line_hint);
  LF_ASSERT(size.bytes - kRecordHeaderBytes <= kMaxBodyBytes);
  const size_t start = out->size();
  out->resize(start + size.bytes);
  char* record = out->data() + start;
  SpanWriter w{record};
  write_fields(w, rec, order_line_hint);
  LF_ASSERT(w.p == record + size.bytes);
  const uint32_t body_len = uint32_t(size.bytes - kRecordHeaderBytes);
  std::memcpy(record + 4, &body_len, 4);
  const uint32_t crc = crc32(std::string_view(record + 4, size.bytes - 4));
  std::memcpy(record, &crc, 4);
}

namespace {

bool header_fields(std::string_view bytes, uint32_t* crc, uint32_t* body_len, uint64_t* offset) {
  if (bytes.size() < kRecordHeaderBytes) return false;
  std::memcpy(crc, bytes.data(), 4);
  std::memcpy(body_len, bytes.data() + 4, 4);
  std::memcpy(offset, bytes.data() + 8, 8);
  return true;
}

bool known_event_type(uint8_t type) {
  return (type >= uint8_t(EventType::kSale) && type <= uint8_t(EventType::kOrderLine)) ||
         is_finance_event(EventType(type));
}

// An event stored raw only: its type and parse hint; the reader parses the raw bytes again.
bool decode_raw_only(ByteReader& r, LogRecord* rec) {
  uint8_t type;
  if (rec->kind != RecordKind::kEvent || !r.u8(&type) || type != uint8_t(EventType::kOrderLine) ||
      !r.str(&rec->parse_hint, 1024) || rec->parse_hint.empty()) {
    return false;
  }
  rec->event.type = EventType(type);
  rec->event.offset = rec->offset;
  rec->event.ingest_time_ms = rec->ingest_time_ms;
  return true;
}

bool decode_body(ByteReader& r, LogRecord* rec, uint16_t flags) {
  std::string_view name, raw;
  if (!r.i64(&rec->source.position) || !r.str_view(&name, 4096) || !r.u32(&rec->raw_size) ||
      !r.str_view(&raw)) {
    return false;
  }
  rec->source.name = SourceName::reuse(name);
  rec->raw.assign(raw);
  if (flags & kFlagRawOnly) return decode_raw_only(r, rec);
  switch (rec->kind) {
    case RecordKind::kEvent: {
      Event& e = rec->event;
      uint8_t type;
      int64_t price;
      if (!r.u8(&type) || !known_event_type(type) || !r.i32(&e.store_id) || !r.i64(&e.prod_id) ||
          !r.i64(&e.units) || !r.i64(&e.reorder_point) || !r.i64(&price) ||
          !r.i64(&e.event_time_ms) || !r.str(&e.id) || !r.str(&e.prod_name)) {
        return false;
      }
      e.type = EventType(type);
      // Records from before kFlagRawOnly hold the order line's normalized fields.
      if (e.type == EventType::kOrderLine) {
        auto line = std::make_shared<OrderLine>();
        if (!line->decode(r)) return false;
        e.order_line = std::move(line);
      }
      e.unit_price = Money::from_micros(price);
      e.id_key = event_identity(e);
      e.offset = rec->offset;
      e.ingest_time_ms = rec->ingest_time_ms;
      return true;
    }
    case RecordKind::kDeadLetter:
    case RecordKind::kBatchMarker:
      return r.str(&rec->reason_code) && r.str(&rec->message);
  }
  return false;
}

}  // namespace

DecodeResult decode_record(std::string_view bytes, LogRecord* rec, size_t* consumed) {
  uint32_t crc, body_len;
  uint64_t offset;
  if (!header_fields(bytes, &crc, &body_len, &offset)) return DecodeResult::kTruncated;
  if (body_len > kMaxBodyBytes) return DecodeResult::kCorrupt;
  if (bytes.size() < kRecordHeaderBytes + body_len) return DecodeResult::kTruncated;
  std::string_view whole = bytes.substr(0, kRecordHeaderBytes + body_len);
  if (crc != crc32(whole.substr(4))) return DecodeResult::kCorrupt;
  // Callers reuse *rec: nothing of the previous record may stay (a restored order line would).
  rec->event.order_line.reset();
  rec->event.finance.reset();
  rec->parse_hint.clear();
  ByteReader r(whole.substr(8));
  uint8_t kind, source_kind;
  uint16_t flags;
  if (!r.u64(&rec->offset) || !r.i64(&rec->ingest_time_ms) || !r.u8(&kind) || !r.u8(&source_kind) ||
      !r.u16(&flags) || !r.i32(&rec->source.partition)) {
    return DecodeResult::kCorrupt;
  }
  if (kind < 1 || kind > 3 || (flags & ~kFlagRawOnly) != 0) return DecodeResult::kCorrupt;
  rec->kind = RecordKind(kind);
  rec->source.kind = SourceKind(source_kind);
  if (!decode_body(r, rec, flags) || r.remaining() != 0) return DecodeResult::kCorrupt;
  *consumed = whole.size();
  return DecodeResult::kOk;
}

bool looks_like_valid_record(std::string_view bytes, uint64_t min_offset) {
  uint32_t crc, body_len;
  uint64_t offset;
  if (!header_fields(bytes, &crc, &body_len, &offset)) return false;
  if (body_len > kMaxBodyBytes || offset < min_offset) return false;
  if (bytes.size() < kRecordHeaderBytes + body_len) return false;
  return crc == crc32(bytes.substr(4, kRecordHeaderBytes - 4 + body_len));
}

}  // namespace ledgerflow::logfmt
