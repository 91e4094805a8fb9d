#include "core/source_name.h"

namespace ledgerflow {

const std::string& SourceName::str() const {
  static const std::string kEmpty;
  return text_ ? *text_ : kEmpty;
}

SourceName SourceName::reuse(std::string_view text) {
  thread_local SourceName last;
  if (last.view() != text) last = SourceName(text);
  return last;
}

}  // namespace ledgerflow
