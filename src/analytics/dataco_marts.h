#pragma once
// The DataCo order-line marts of one shard (docs/MARTS.md): payment delays, financial
// commitments, fraud detection, overall performance, customer retention, order value by month
// and aging. Every figure is a sum or a count (or a set of months per customer) so that it does
// not depend on the order in which lines arrive, and shard partials merge exactly at read time:
// order lines are routed by customer, so an order and a customer live in one shard.
//
// Owned by one ShardState (single-threaded); summarize() runs under the shard lock and adds
// this shard's partial into a DatacoSummary owned by the reader.
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "analytics/flat_map.h"
#include "analytics/string_ids.h"
#include "core/bytes.h"
#include "core/money.h"
#include "core/order_line.h"

namespace ledgerflow {

struct DelayAgg {
  int64_t delay_days_sum = 0;  // sum of (real - scheduled) shipping days
  int64_t lines = 0;
};
struct LateAgg {
  int64_t late = 0;  // lines with Late_delivery_risk = 1
  int64_t lines = 0;
};
struct CommitmentAgg {
  Money committed;  // sum of Order Item Total
  int64_t lines = 0;
  int64_t fulfilled = 0;  // lines whose Order Status is COMPLETE or CLOSED
};
struct MonthAgg {
  Money sales;        // sum of Sales
  Money profit;       // sum of Order Profit Per Order
  Money order_value;  // sum of Order Item Total
  int64_t lines = 0;
  int64_t days_real_sum = 0;
  int64_t days_scheduled_sum = 0;
};
struct DayAgg {
  Money order_value;
  int64_t lines = 0;
};
struct FraudAgg {
  int64_t orders = 0;
  int64_t fraud_orders = 0;  // orders whose status is SUSPECTED_FRAUD
};
struct CustomerAgg {
  int64_t orders = 0;
  int64_t fraud_orders = 0;
  Money order_total;  // sum of Order Item Total over the customer's lines
};
struct RetentionAgg {
  int64_t customers = 0;  // distinct customers with an order in the month
  int64_t returning = 0;  // of those, customers with an order in an earlier month
};

using CommitmentKey =
    std::tuple<std::string, std::string, std::string>;  // department, market, category

// Line-level aggregates: updated per line, merged by addition.
struct LineAggregates {
  std::map<std::string, DelayAgg> delay_by_status;
  std::map<std::string, LateAgg> late_by_mode;
  std::map<std::string, LateAgg> late_by_market;
  std::map<CommitmentKey, CommitmentAgg> commitments;
  std::map<int32_t, MonthAgg> by_month;  // month index: year * 12 + month - 1
  std::map<int64_t, DayAgg> by_day;      // days since 1970-01-01 of the order date
  int64_t lines = 0;
  int64_t max_order_time_ms = INT64_MIN;

  // Every map above, once: merge and the checkpoint encoding walk this list, so a map added
  // here cannot be forgotten by one of them.
  auto maps() {
    return std::tie(delay_by_status, late_by_mode, late_by_market, commitments, by_month, by_day);
  }
  auto maps() const {
    return std::tie(delay_by_status, late_by_mode, late_by_market, commitments, by_month, by_day);
  }
  void merge(const LineAggregates& o);
};

// Open DataCo receivables (docs/FINANCE_API.md "DataCo receivables"): the Order Item Total of
// every line whose Order Status is PENDING_PAYMENT, by customer and order day, whatever its Type
// (the status alone says the customer has not paid; the data holds pending CASH lines too).
struct DatacoReceivables {
  std::map<int64_t, std::map<int64_t, DayAgg>> by_customer;  // customer -> order day -> open
  int64_t max_order_time_ms = INT64_MIN;  // newest order date of any line: the default as-of
  void merge(const DatacoReceivables& o);
};

// Everything the marts show, merged over shards (built by the reader).
struct DatacoSummary {
  LineAggregates lines;
  std::map<int64_t, CustomerAgg> customers;
  std::map<std::string, FraudAgg> fraud_by_type;
  std::map<std::string, FraudAgg> fraud_by_market;
  std::map<int32_t, int64_t> orders_by_month;
  std::map<int32_t, RetentionAgg> retention;  // by month index
  DatacoReceivables receivables;
};

// Month index of a time (year * 12 + month - 1, UTC) and back ("2018-01").
int32_t month_index(int64_t ms);
std::string month_label(int32_t month_index);

class DatacoMarts {
 public:
  void apply(const OrderLine& line);
  // Adds this shard's figures into *out.
  void summarize(DatacoSummary* out) const;
  // Adds this shard's open receivables into *out: a cheap read (no walk over orders).
  void add_receivables_to(DatacoReceivables* out) const;
  // Lines applied: every line changes the marts, so an equal count means equal marts (a cheap
  // test before a summary).
  int64_t line_count() const { return lines_.lines; }

  void serialize(ByteWriter& w) const;
  bool deserialize(ByteReader& r);
  // The open receivables, a separate section (checkpoint version 4 appends it to the shard
  // state, so the bytes of serialize() stay what versions 2 and 3 wrote).
  void serialize_receivables(ByteWriter& w) const;
  bool deserialize_receivables(ByteReader& r);

 private:
  // Order-level attributes come from the order's line with the smallest Order Item Id, so they
  // do not depend on arrival order when (against the format) lines of one order disagree.
  struct OrderAgg {
    int64_t customer_id = 0;
    int64_t first_item_id = INT64_MAX;
    Money total;
    int32_t month = 0;
    uint32_t payment_type = 0;  // payment_types_ id
    uint32_t market = 0;        // markets_ id
    uint32_t status = 0;        // order_statuses_ id
  };
  // department, market, category ids
  struct CommitmentIds {
    uint32_t department, market, category;
    bool operator==(const CommitmentIds&) const = default;
  };
  struct CommitmentIdsHash {
    size_t operator()(const CommitmentIds& k) const {
      return size_t((uint64_t(k.department) * 0x9E3779B97F4A7C15ull) ^
                    (uint64_t(k.market) * 0xC2B2AE3D27D4EB4Full) ^ k.category);
    }
  };
  // The line-level aggregates keyed by ids; LineAggregates (string keys) at the edges.
  struct Lines {
    std::vector<DelayAgg> delay_by_status;  // by delivery_statuses_ id
    std::vector<LateAgg> late_by_mode;      // by shipping_modes_ id
    std::vector<LateAgg> late_by_market;    // by markets_ id
    FlatMap<CommitmentIds, CommitmentAgg, CommitmentIdsHash> commitments;
    FlatMap<int32_t, MonthAgg, std::hash<int32_t>> by_month;
    FlatMap<int64_t, DayAgg, std::hash<int64_t>> by_day;
    int64_t lines = 0;
    int64_t max_order_time_ms = INT64_MIN;
  };
  // Adds the line aggregates, with names for ids, into *out.
  void add_lines_to(LineAggregates* out) const;
  void load_lines(const LineAggregates& in);
  // The order_statuses_ id of a status. Inline, since it runs once per line; noting what a new
  // status means is out of line.
  uint32_t order_status_id(std::string_view status) {
    const uint32_t id = order_statuses_.id(status);
    if (id == status_kinds_.size()) note_status_kind(status);
    return id;
  }
  void note_status_kind(std::string_view status);
  bool fulfilled(uint32_t order_status) const;
  // month_index of a line's time whose order day is `day`, from a memo of the last day: the lines
  // of one order share their date, and the calendar conversion is the costlier step.
  int32_t month_of(int64_t day, int64_t ms);
  void note_customer_month(int64_t customer, int32_t month);
  void summarize_orders(DatacoSummary* out) const;
  void summarize_retention(DatacoSummary* out) const;

  StringIds delivery_statuses_, shipping_modes_, markets_, departments_, categories_,
      payment_types_, order_statuses_;
  // By order_statuses_ id: COMPLETE or CLOSED (fulfilled), PENDING_PAYMENT (receivable); so
  // that a line compares no status text.
  static constexpr uint8_t kFulfilled = 1, kReceivable = 2;
  std::vector<uint8_t> status_kinds_;
  Lines lines_;
  std::unordered_map<int64_t, OrderAgg> orders_;                       // by Order Id
  std::unordered_map<int64_t, std::vector<int32_t>> customer_months_;  // sorted, distinct
  // Open receivables by (customer, order day), flat: one probe per PENDING_PAYMENT line, where
  // a map per customer walked a tree of up to a thousand days (a tenth of a shard's time on
  // the bench file). Reads and checkpoints sort the entries.
  struct CustomerDay {
    int64_t customer, day;
    bool operator==(const CustomerDay&) const = default;
  };
  struct CustomerDayHash {
    size_t operator()(const CustomerDay& k) const {
      return size_t(uint64_t(k.customer) * 0xC2B2AE3D27D4EB4Full) ^ size_t(k.day);
    }
  };
  FlatMap<CustomerDay, DayAgg, CustomerDayHash> receivables_;
  struct DayMonth {
    int64_t day = INT64_MIN;  // none yet
    int32_t month = 0;
  };
  DayMonth last_day_;
  // The entry of the last key looked up in one of the maps above. A copy or a move of the
  // marts starts without it (it points into this object's map).
  template <typename V>
  struct LastEntry {
    int64_t key = 0;
    V* agg = nullptr;
    LastEntry() = default;
    LastEntry(const LastEntry&) {}
    LastEntry& operator=(const LastEntry&) {
      agg = nullptr;
      return *this;
    }
  };
  LastEntry<OrderAgg> last_order_;
  // The last (customer, month) noted: lines of one order come one after another and share both
  // (values: a copy of the marts may keep it).
  struct CustomerMonth {
    int64_t customer = 0;
    int32_t month = 0;
    bool noted = false;
    bool operator==(const CustomerMonth&) const = default;
  };
  CustomerMonth last_customer_month_;
};

}  // namespace ledgerflow
