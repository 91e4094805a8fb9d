#pragma once
// Base64 (RFC 4648, with padding) through OpenSSL's encoder: the exact bytes of dead letters in
// JSON answers and in the warehouse's dead_letters table. Stateless; any thread.
#include <string>
#include <string_view>

namespace ledgerflow {

std::string base64(std::string_view in);

}  // namespace ledgerflow
