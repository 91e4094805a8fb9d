#include "finance/early_payment_optimizer.h"

#include <algorithm>
#include <cstdint>

#include "core/assert.h"

namespace ledgerflow::finance {

namespace {

__extension__ using Int128 = __int128;

struct Item {
  size_t index;   // into the caller's opportunities
  int64_t cost;   // pay_now micros, > 0
  int64_t value;  // discount micros, > 0
};

struct Subset {
  int64_t cost = 0;
  int64_t value = 0;
  uint32_t mask = 0;
};

// Every subset of items[begin, end) whose cost fits the budget. Subsets over budget are pruned
// as they are built, so a partial cost is at most budget + one item <= 2 x budget, and since a
// discount is below half the amount (PaymentTerms refuses 50 % or more) a value is below its
// cost: no sum here can overflow int64 for budgets under 2^61 micro-units.
std::vector<Subset> enumerate_subsets(const std::vector<Item>& items, size_t begin, size_t end,
                                      int64_t budget) {
  std::vector<Subset> out{Subset{}};
  for (size_t i = begin; i < end; ++i) {
    size_t n = out.size();
    for (size_t k = 0; k < n; ++k) {
      Subset s = out[k];
      s.cost += items[i].cost;
      if (s.cost > budget) continue;
      s.value += items[i].value;
      s.mask |= uint32_t(1) << (i - begin);
      out.push_back(s);
    }
  }
  return out;
}

// Better plan: more savings, then less cash.
bool better(int64_t value, int64_t cost, int64_t best_value, int64_t best_cost) {
  return value > best_value || (value == best_value && cost < best_cost);
}

std::vector<size_t> solve_exact(const std::vector<Item>& items, int64_t budget) {
  size_t half = items.size() / 2;
  std::vector<Subset> left = enumerate_subsets(items, 0, half, budget);
  std::vector<Subset> right = enumerate_subsets(items, half, items.size(), budget);
  std::sort(right.begin(), right.end(), [](const Subset& a, const Subset& b) {
    return a.cost != b.cost ? a.cost < b.cost : a.value > b.value;
  });
  // best_upto[j]: the best subset among right[0..j] (its cost is <= right[j].cost).
  std::vector<size_t> best_upto(right.size());
  for (size_t j = 0; j < right.size(); ++j) {
    size_t prev = j == 0 ? 0 : best_upto[j - 1];
    best_upto[j] =
        better(right[j].value, right[j].cost, right[prev].value, right[prev].cost) ? j : prev;
  }
  int64_t best_value = -1, best_cost = 0;
  uint32_t best_left = 0, best_right = 0;
  for (const Subset& l : left) {
    int64_t room = budget - l.cost;
    auto it = std::upper_bound(right.begin(), right.end(), room,
                               [](int64_t r, const Subset& s) { return r < s.cost; });
    LF_ASSERT(it != right.begin());  // the empty subset (cost 0) always fits
    const Subset& r = right[best_upto[size_t(it - right.begin()) - 1]];
    if (better(l.value + r.value, l.cost + r.cost, best_value, best_cost)) {
      best_value = l.value + r.value;
      best_cost = l.cost + r.cost;
      best_left = l.mask;
      best_right = r.mask;
    }
  }
  std::vector<size_t> chosen;
  for (size_t i = 0; i < items.size(); ++i) {
    bool in = i < half ? (best_left >> i) & 1 : (best_right >> (i - half)) & 1;
    if (in) chosen.push_back(i);
  }
  return chosen;
}

// Items in order of savings per unit of cash, best first (exact cross-multiplication).
std::vector<size_t> by_ratio(const std::vector<Item>& items) {
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    Int128 lhs = Int128(items[a].value) * items[b].cost;
    Int128 rhs = Int128(items[b].value) * items[a].cost;
    return lhs != rhs ? lhs > rhs : a < b;
  });
  return order;
}

int64_t lp_bound(const std::vector<Item>& items, const std::vector<size_t>& order, int64_t budget) {
  Int128 room = budget, bound = 0;
  for (size_t i : order) {
    if (items[i].cost <= room) {
      room -= items[i].cost;
      bound += items[i].value;
    } else {
      bound += (Int128(items[i].value) * room + items[i].cost - 1) / items[i].cost;
      break;
    }
  }
  return int64_t(bound);
}

std::vector<size_t> solve_greedy(const std::vector<Item>& items, const std::vector<size_t>& order,
                                 int64_t budget) {
  std::vector<size_t> chosen;
  int64_t room = budget;
  Int128 greedy_value = 0;
  for (size_t i : order) {
    if (items[i].cost > room) continue;
    room -= items[i].cost;
    greedy_value += items[i].value;
    chosen.push_back(i);
  }
  size_t best_single = 0;
  for (size_t i = 1; i < items.size(); ++i) {
    if (items[i].value > items[best_single].value) best_single = i;
  }
  if (!items.empty() && items[best_single].value > greedy_value) return {best_single};
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace

EarlyPaymentPlan plan_early_payments(const std::vector<EarlyPaymentOpportunity>& opportunities,
                                     Money budget, double hurdle_annual_rate, size_t exact_limit) {
  // Keeps every sum in the solvers inside int64 (2^58 micro-units is about 288 billion units,
  // beyond any real budget).
  int64_t cash = std::min<int64_t>(budget.micros(), int64_t(1) << 58);
  std::vector<Item> items;
  for (size_t i = 0; i < opportunities.size(); ++i) {
    const EarlyPaymentOpportunity& o = opportunities[i];
    if (o.simple_annual_return < hurdle_annual_rate) continue;
    if (o.pay_now.micros() <= 0 || o.discount.micros() <= 0 || o.pay_now.micros() > cash) {
      continue;
    }
    items.push_back(Item{i, o.pay_now.micros(), o.discount.micros()});
  }
  EarlyPaymentPlan plan;
  plan.candidates = items.size();
  plan.exact = items.size() <= std::min(exact_limit, kExactHardLimit);
  std::vector<size_t> order = by_ratio(items);
  std::vector<size_t> chosen =
      plan.exact ? solve_exact(items, cash) : solve_greedy(items, order, cash);
  for (size_t k : chosen) {
    const EarlyPaymentOpportunity& o = opportunities[items[k].index];
    plan.invoice_ids.push_back(o.invoice_id);
    plan.cash_needed += o.pay_now;
    plan.savings += o.discount;
  }
  plan.upper_bound = plan.exact ? plan.savings : Money::from_micros(lp_bound(items, order, cash));
  return plan;
}

}  // namespace ledgerflow::finance
