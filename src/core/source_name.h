#pragma once
// The name of a record's source (a Kafka topic, a file path, "http", ...): one immutable text
// shared by every record that names it.
//
// Every record carries its source, and a row of a file or a message of a topic was a copy of the
// same name: for a name past the small-string size (file paths, "supply_chain_data") that was an
// allocation on the ingest thread and a free on a shard thread per record. A copy of a
// SourceName is a reference count increment instead. The count's cache line moves between the
// ingest and shard threads once per batch, not once per record: each side touches it for a whole
// batch in a row.
//
// Values are plain data, safe to copy and destroy on any thread; the text never changes.
#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace ledgerflow {

class SourceName {
 public:
  SourceName() = default;
  // Implicit: a name is given as text wherever a source is built.
  SourceName(std::string_view text)  // NOLINT(google-explicit-constructor)
      : text_(text.empty() ? nullptr : std::make_shared<const std::string>(text)) {}
  SourceName(const std::string& text)  // NOLINT(google-explicit-constructor)
      : SourceName(std::string_view(text)) {}
  SourceName(const char* text)  // NOLINT(google-explicit-constructor)
      : SourceName(std::string_view(text)) {}

  // The name for these bytes, shared with this thread's previous call when the bytes are the
  // same: a log read back names the same source record after record.
  static SourceName reuse(std::string_view text);

  std::string_view view() const { return text_ ? std::string_view(*text_) : std::string_view(); }
  operator std::string_view() const { return view(); }  // NOLINT(google-explicit-constructor)
  const std::string& str() const;
  bool empty() const { return text_ == nullptr; }
  size_t size() const { return view().size(); }

  // The same text: the same object when copied from one name (the common case), else by bytes.
  friend bool operator==(const SourceName& a, const SourceName& b) {
    return a.text_ == b.text_ || a.view() == b.view();
  }
  friend bool operator==(const SourceName& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const SourceName& a, const std::string& b) { return a.view() == b; }
  friend bool operator==(const SourceName& a, const char* b) {
    return a.view() == std::string_view(b);
  }
  friend auto operator<=>(const SourceName& a, const SourceName& b) {
    return a.view() <=> b.view();
  }
  friend std::ostream& operator<<(std::ostream& os, const SourceName& n) { return os << n.view(); }

 private:
  std::shared_ptr<const std::string> text_;  // null: the empty name
};

}  // namespace ledgerflow
