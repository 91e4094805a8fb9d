#pragma once
// Feeds the built-in generator into a running Engine on its own thread, through the same
// parse -> validate -> log path as every other source (source kind "generator").
//
// Owned by the demo command; start() and stop() from that thread.
#include <atomic>
#include <thread>

#include "engine/engine.h"
#include "sources/generator.h"

namespace ledgerflow {

class GeneratorSource {
 public:
  GeneratorSource(Engine* engine, GeneratorOptions options);
  ~GeneratorSource();
  void start();
  void stop();
  uint64_t emitted() const { return emitted_.load(); }

 private:
  void run();

  Engine* engine_;
  GeneratorOptions options_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> emitted_{0};
};

}  // namespace ledgerflow
