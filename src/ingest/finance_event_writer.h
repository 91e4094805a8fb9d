#pragma once
// Writes a finance event as one JSON line in the schema FinanceEventParser reads
// (docs/FINANCE_EVENTS.md), with its "type" field: the inverse of the parser, so that
// parse(write(e)) == e. Money is written from its exact decimal text; dates as "YYYY-MM-DD".
//
// A pure function; any thread.
#include <string>

#include "ingest/finance_event_parser.h"

namespace ledgerflow {

std::string finance_event_json(const FinanceEvent& event);

}  // namespace ledgerflow
