#include "engine/shard_worker.h"

#include <pthread.h>

#include "core/event_time.h"

namespace ledgerflow {

ShardWorker::ShardWorker(int index, const Catalog* catalog, ShardOptions options,
                         size_t queue_capacity)
    : index_(index), state_(catalog, options), queue_(queue_capacity) {}

ShardWorker::~ShardWorker() {
  stop();
}

void ShardWorker::start() {
  LF_ASSERT(!thread_.joinable());
  applied_next_offset_.store(state_.next_offset(), std::memory_order_release);
  thread_ = std::thread([this] {
    std::string name = "lf-shard-" + std::to_string(index_);
    pthread_setname_np(pthread_self(), name.c_str());
    run();
  });
}

void ShardWorker::stop() {
  queue_.close();
  if (thread_.joinable()) thread_.join();
}

bool ShardWorker::push(ShardMessage message) {
  return queue_.push(std::move(message));
}

void ShardWorker::apply_locked(const ShardBatch& batch) {
  // Far enough ahead for memory to answer while the events before it are applied.
  constexpr size_t kPrefetchAhead = 16;
  const std::vector<RoutedEvent>& events = batch.events;
  for (size_t i = 0; i < events.size(); ++i) {
    if (i + kPrefetchAhead < events.size()) {
      state_.prefetch(*events[i + kPrefetchAhead].event, kPrefetchAhead);
    }
    state_.apply(events[i]);
  }
  state_.set_next_offset(batch.next_offset);
}

void ShardWorker::apply_now(const ShardBatch& batch) {
  std::lock_guard lock(mu_);
  apply_locked(batch);
  applied_next_offset_.store(state_.next_offset(), std::memory_order_release);
}

void ShardWorker::run() {
  while (auto message = queue_.pop()) {
    if (!message->barrier) {
      const ShardBatch* batch = &message->batch;
      {
        std::lock_guard lock(mu_);
        apply_locked(*batch);
      }
      applied_next_offset_.store(batch->next_offset, std::memory_order_release);
      if (record_latency_.load(std::memory_order_relaxed) && !batch->events.empty()) {
        std::lock_guard lock(latency_mu_);
        latency_.push_back({monotonic_ns() - batch->submit_ns, uint32_t(batch->events.size())});
      }
    } else {
      auto& barrier = message->barrier;
      std::string blob;
      ByteWriter w(&blob);
      {
        std::lock_guard lock(mu_);
        state_.serialize(w);
      }
      barrier->state.set_value(std::move(blob));
    }
  }
}

std::vector<LatencySample> ShardWorker::take_latency_samples() {
  std::lock_guard lock(latency_mu_);
  return std::exchange(latency_, {});
}

}  // namespace ledgerflow
