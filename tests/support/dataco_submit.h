#pragma once
// Submits a DataCo fixture file (tests/data/dataco) to an in-process Engine in batches, as the
// CLI's `ingest --format dataco` does; bad rows become dead letters.
#include <gtest/gtest.h>

#include <string>

#include "engine/engine.h"
#include "ingest/dataco_csv.h"
#include "ingest/ndjson_batch.h"
#include "ingest/text_file.h"
#include "support/dataco_expected.h"

namespace ledgerflow::testing {

// Returns the offset after the last batch (0 when nothing was submitted).
inline uint64_t submit_dataco_file(Engine& e, const std::string& name, size_t rows) {
  Result<TextFile> f = read_text_file_utf8(dataco_fixture(name));
  EXPECT_TRUE(f) << f.status().to_string();
  if (!f) return 0;
  // Shared as `ingest --data-dir` shares it: the records borrow their raw bytes from it and may
  // outlive this function in the engine.
  const auto data = std::make_shared<const std::string>(std::move(f->data));
  DatacoCsvReader reader(data);
  EXPECT_TRUE(reader.open());
  OrderLineParser parser;
  DatacoCsvRecord rec;
  uint64_t next_offset = 0;
  for (bool more = true; more;) {
    NdjsonBatch batch;
    while (batch.lines < rows && (more = reader.next_row(&rec))) {
      add_dataco_record(&batch, rec, reader, SourcePosition{SourceKind::kFile, name}, parser, 4096);
    }
    if (batch.lines == 0) break;
    IngestAck ack = e.submit(std::move(batch.batch)).get();
    EXPECT_TRUE(ack.status) << ack.status.to_string();
    next_offset = ack.next_offset;
  }
  return next_offset;
}

}  // namespace ledgerflow::testing
