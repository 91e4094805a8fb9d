#pragma once
// The warehouse backend a parameterized test runs on, and its name in test names.
#include <ostream>

namespace ledgerflow::testing {

enum class BackendKind { kSqlite, kPostgres };

inline const char* backend_name(BackendKind k) {
  return k == BackendKind::kSqlite ? "sqlite" : "postgres";
}

// How gtest (and the test names ctest lists) shows the parameter.
inline void PrintTo(BackendKind k, std::ostream* os) {
  *os << backend_name(k);
}

}  // namespace ledgerflow::testing
