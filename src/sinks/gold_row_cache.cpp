#include "sinks/gold_row_cache.h"

#include <set>

#include <fmt/format.h>

namespace ledgerflow::sinks {

std::string GoldRowCache::literal(const SqlValue& v) {
  if (const int64_t* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  const std::string* s = std::get_if<std::string>(&v);
  if (s == nullptr) return "NULL";
  std::string out = "'";
  for (char c : *s) {
    if (c == '\'') {
      out += "''";
    } else if (c == '\0') {
      out += "\xEF\xBF\xBD";
    } else {
      out += c;
    }
  }
  return out + "'";
}

void GoldRowCache::begin() {
  for (auto& [name, cache] : tables_) {
    cache.pending.clear();
    cache.pending_deletes.clear();
    cache.in_upsert = false;
  }
}

void GoldRowCache::add_changed(TableRows full, WarehouseTxn* txn, Missing missing) {
  TableRows changed = changed_rows(std::move(full), txn, missing);
  if (changed.rows() > 0) txn->steps.emplace_back(std::move(changed));
}

TableRows GoldRowCache::changed_rows(TableRows full, WarehouseTxn* txn, Missing missing,
                                     const std::string& scope) {
  const TableSpec& spec = *full.spec;
  const size_t width = spec.columns.size();
  const size_t key_width = spec.key_columns;
  TableCache& cache = tables_[spec.name];
  cache.in_upsert = true;
  if (missing == Missing::kDelete && !cache.known) {
    txn->steps.emplace_back(
        fmt::format("DELETE FROM {}{}", spec.name, scope.empty() ? "" : " WHERE " + scope));
  }
  TableRows changed{full.spec, {}};
  std::set<Row> present;
  for (size_t at = 0; at < full.cells.size(); at += width) {
    auto first = full.cells.begin() + ptrdiff_t(at);
    Row key(first, first + ptrdiff_t(key_width));
    Row row(first, first + ptrdiff_t(width));
    if (missing == Missing::kDelete) present.insert(key);
    auto it = cache.committed.find(key);
    if (it != cache.committed.end() && it->second == row) continue;
    changed.cells.insert(changed.cells.end(), row.begin(), row.end());
    cache.pending.emplace_back(std::move(key), std::move(row));
  }
  if (missing == Missing::kDelete) {
    for (const auto& [key, row] : cache.committed) {
      if (present.count(key)) continue;
      std::string where;
      for (size_t c = 0; c < key_width; ++c) {
        where += fmt::format("{}{} = {}", c == 0 ? "" : " AND ", spec.columns[c], literal(key[c]));
      }
      txn->steps.emplace_back(fmt::format("DELETE FROM {} WHERE {}", spec.name, where));
      cache.pending_deletes.push_back(key);
    }
  }
  return changed;
}

void GoldRowCache::commit() {
  for (auto& [name, cache] : tables_) {
    for (auto& [key, row] : cache.pending) cache.committed[std::move(key)] = std::move(row);
    for (const Row& key : cache.pending_deletes) cache.committed.erase(key);
    cache.pending.clear();
    cache.pending_deletes.clear();
    cache.known = cache.known || cache.in_upsert;
    cache.in_upsert = false;
  }
  committed_source_ = pending_source_;
}

}  // namespace ledgerflow::sinks
