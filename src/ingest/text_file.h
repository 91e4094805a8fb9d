#pragma once
// Reading a text input file (CSV) whose encoding is not declared: UTF-8 with or without a byte
// order mark is kept as it is, anything that is not valid UTF-8 is taken as Latin-1 (ISO
// 8859-1, what spreadsheet exports of the DataCo dataset use) and converted to UTF-8, so that
// everything downstream sees UTF-8. Stateless functions, any thread.
#include <string>
#include <string_view>

#include "core/status.h"

namespace ledgerflow {

enum class TextEncoding { kUtf8, kUtf8Bom, kLatin1 };
std::string_view text_encoding_name(TextEncoding e);

struct TextFile {
  std::string data;  // UTF-8 (a UTF-8 BOM, if any, is kept: CsvReader skips it)
  TextEncoding encoding = TextEncoding::kUtf8;
};

// Reads the whole file. Errors: "cannot_read" (bad input: a missing or unreadable path).
Result<TextFile> read_text_file_utf8(const std::string& path);

// Every byte is the code point of the same value.
std::string latin1_to_utf8(std::string_view in);

}  // namespace ledgerflow
