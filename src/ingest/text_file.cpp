#include "ingest/text_file.h"

#include <fstream>
#include <sstream>

#include <simdjson.h>

namespace ledgerflow {

std::string_view text_encoding_name(TextEncoding e) {
  switch (e) {
    case TextEncoding::kUtf8:
      return "UTF-8";
    case TextEncoding::kUtf8Bom:
      return "UTF-8 with BOM";
    case TextEncoding::kLatin1:
      return "Latin-1";
  }
  return "unknown";
}

std::string latin1_to_utf8(std::string_view in) {
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += char(c);
    } else {
      out += char(0xC0 | (c >> 6));
      out += char(0x80 | (c & 0x3F));
    }
  }
  return out;
}

Result<TextFile> read_text_file_utf8(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::bad_input("cannot_read", "cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  TextFile f;
  f.data = std::move(ss).str();
  if (!simdjson::validate_utf8(f.data.data(), f.data.size())) {
    f.data = latin1_to_utf8(f.data);
    f.encoding = TextEncoding::kLatin1;
  } else if (f.data.rfind("\xEF\xBB\xBF", 0) == 0) {
    f.encoding = TextEncoding::kUtf8Bom;
  }
  return f;
}

}  // namespace ledgerflow
