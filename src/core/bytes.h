#pragma once
// Little-endian binary encoding helpers used by every on-disk format (log records,
// checkpoints). The reader never reads past its buffer: every getter reports failure instead.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace ledgerflow {

class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}
  void u8(uint8_t v) { out_->push_back(char(v)); }
  void u16(uint16_t v) { raw(&v, 2); }
  void u32(uint32_t v) { raw(&v, 4); }
  void u64(uint64_t v) { raw(&v, 8); }
  void i32(int32_t v) { raw(&v, 4); }
  void i64(int64_t v) { raw(&v, 8); }
  void f64(double v) { raw(&v, 8); }
  void boolean(bool v) { u8(v ? 1 : 0); }
  // u32 length prefix, then bytes.
  void str(std::string_view s) {
    u32(uint32_t(s.size()));
    out_->append(s.data(), s.size());
  }
  void bytes(std::string_view s) { out_->append(s.data(), s.size()); }
  size_t size() const { return out_->size(); }

 private:
  void raw(const void* p, size_t n) {
    static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "formats are little-endian");
    out_->append(static_cast<const char*>(p), n);
  }
  std::string* out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  bool u8(uint8_t* v) { return raw(v, 1); }
  bool u16(uint16_t* v) { return raw(v, 2); }
  bool u32(uint32_t* v) { return raw(v, 4); }
  bool u64(uint64_t* v) { return raw(v, 8); }
  bool i32(int32_t* v) { return raw(v, 4); }
  bool i64(int64_t* v) { return raw(v, 8); }
  bool f64(double* v) { return raw(v, 8); }
  bool boolean(bool* v) {
    uint8_t b;
    if (!u8(&b) || b > 1) return false;
    *v = b == 1;
    return true;
  }
  bool str(std::string* s, uint32_t max_len = 1u << 30) {
    std::string_view v;
    if (!str_view(&v, max_len)) return false;
    s->assign(v);
    return true;
  }
  bool str_view(std::string_view* s, uint32_t max_len = 1u << 30) {
    uint32_t n;
    if (!u32(&n) || n > max_len || n > remaining()) return false;
    *s = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool bytes(size_t n, std::string_view* s) {
    if (n > remaining()) return false;
    *s = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  size_t remaining() const { return in_.size() - pos_; }
  size_t position() const { return pos_; }

 private:
  bool raw(void* p, size_t n) {
    if (n > remaining()) return false;
    std::memcpy(p, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace ledgerflow
