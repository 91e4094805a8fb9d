#pragma once
// One processing shard: a thread that owns a ShardState and applies batches from its bounded
// queue in log order. Other threads read the state through read(), under the shard lock; the
// worker holds that lock once per batch, not per event.
//
// Owned by the Engine; runs its own thread between start() and stop().
#include <atomic>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/bounded_queue.h"
#include "engine/shard_state.h"

namespace ledgerflow {

struct ShardBatch {
  std::vector<RoutedEvent> events;
  // Keeps the records the events point into alive until every shard's batch of them is applied
  // (the live path: the writer moves a group's records here and goes on). Empty when the caller
  // applies the batch synchronously and owns the events itself.
  std::shared_ptr<const void> owner;
  uint64_t next_offset = 0;  // every record below this has been routed
  int64_t submit_ns = 0;     // when the first input of the group was submitted (latency)
};

// Asks the worker to serialize its state at this point of its queue (checkpoint barrier).
struct ShardBarrier {
  std::promise<std::string> state;
};

// A batch to apply, or (when `barrier` is set) a checkpoint barrier.
struct ShardMessage {
  ShardBatch batch;
  std::shared_ptr<ShardBarrier> barrier;
};

struct LatencySample {
  int64_t latency_ns;
  uint32_t events;
};

class ShardWorker {
 public:
  ShardWorker(int index, const Catalog* catalog, ShardOptions options, size_t queue_capacity);
  ~ShardWorker();

  void start();
  // Drains the queue, then joins the thread.
  void stop();
  // Blocks while the queue is full (backpressure). False once stopped.
  bool push(ShardMessage message);

  // Applies directly, without the thread (recovery, before start()).
  void apply_now(const ShardBatch& batch);
  ShardState& state_unlocked() { return state_; }

  template <typename F>
  auto read(F&& f) const {
    std::lock_guard lock(mu_);
    return f(state_);
  }

  size_t queue_depth() const { return queue_.size(); }
  size_t queue_capacity() const { return queue_.capacity(); }
  uint64_t applied_next_offset() const {
    return applied_next_offset_.load(std::memory_order_acquire);
  }

  // Latency recording (bench): each applied batch adds one sample.
  void record_latency(bool on) { record_latency_ = on; }
  std::vector<LatencySample> take_latency_samples();

 private:
  void run();
  void apply_locked(const ShardBatch& batch);

  const int index_;
  mutable std::mutex mu_;
  ShardState state_;
  BoundedQueue<ShardMessage> queue_;
  std::thread thread_;
  std::atomic<uint64_t> applied_next_offset_{0};
  std::atomic<bool> record_latency_{false};
  std::mutex latency_mu_;
  std::vector<LatencySample> latency_;
};

}  // namespace ledgerflow
