#include "core/order_line_pool.h"

namespace ledgerflow {

// Out of line: once per block, so make() stays a few instructions inline.
void OrderLinePool::next_block() {
  block_ = std::make_shared<Block>();
  used_ = 0;
}

}  // namespace ledgerflow
