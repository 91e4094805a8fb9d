#pragma once
// The bytes of an input exactly as it arrived (a JSON line, a CSV record): the record's own
// copy, or a view of a larger buffer that a shared owner keeps alive.
//
// A file read whole into memory (`ingest --data-dir`, `bench --source dataco`) outlives nothing
// by itself, but each row copied into a string of its own cost an allocation and a copy into
// cold memory on the reading thread and a free on the shard thread: a third of the page faults
// and most of the copying of that thread. A borrowed view holds a reference to the buffer
// instead, so the buffer stays alive as long as any record that reads it.
//
// Values are plain data, safe to copy and destroy on any thread; the bytes never change.
#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace ledgerflow {

class RawBytes {
 public:
  RawBytes() = default;
  RawBytes(std::string_view bytes) : own_(bytes) {}  // NOLINT(google-explicit-constructor)
  RawBytes& operator=(std::string_view bytes) {
    assign(bytes);
    return *this;
  }

  // A copy of the bytes, owned by this value. Copied before the owner is let go: `bytes` may be
  // this value's own borrowed view, and this value its buffer's last owner.
  void assign(std::string_view bytes) {
    own_.assign(bytes);
    owner_.reset();
    view_ = {};
  }
  // The bytes in place: `owner` must keep them alive and unchanged.
  void borrow(std::string_view bytes, std::shared_ptr<const void> owner) {
    own_.clear();
    view_ = bytes;
    owner_ = std::move(owner);
  }
  bool borrowed() const { return owner_ != nullptr; }

  std::string_view view() const { return owner_ ? view_ : std::string_view(own_); }
  operator std::string_view() const { return view(); }  // NOLINT(google-explicit-constructor)
  const char* data() const { return view().data(); }
  size_t size() const { return view().size(); }
  bool empty() const { return view().empty(); }

  friend bool operator==(const RawBytes& a, const RawBytes& b) { return a.view() == b.view(); }
  friend bool operator==(const RawBytes& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const RawBytes& a, const std::string& b) { return a.view() == b; }
  friend bool operator==(const RawBytes& a, const char* b) {
    return a.view() == std::string_view(b);
  }
  friend std::ostream& operator<<(std::ostream& os, const RawBytes& r) { return os << r.view(); }

 private:
  std::string own_;                    // the bytes, unless borrowed
  std::string_view view_;              // the bytes, when borrowed
  std::shared_ptr<const void> owner_;  // keeps view_ alive; null unless borrowed
};

}  // namespace ledgerflow
