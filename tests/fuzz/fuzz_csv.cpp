// libFuzzer target: any bytes as a CSV file and as a product catalog.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ingest/catalog.h"
#include "ingest/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ledgerflow::CsvReader reader(bytes, 4096);
  std::vector<std::string> fields;
  ledgerflow::Status err;
  size_t records = 0;
  while (reader.next(&fields, &err) && ++records < 100000) {
  }
  (void)ledgerflow::Catalog::parse_csv(bytes);
  return 0;
}
