#pragma once
// An exclusive advisory lock (flock) on DATA_DIR/LOCK, held for the engine's lifetime, so that
// a second engine on the same data directory refuses to start instead of interleaving writes
// with the first. The kernel drops the lock when the process dies, kill -9 included.
//
// Owned by the Engine; created on the thread that starts it.
#include <memory>
#include <string>

#include "core/status.h"

namespace ledgerflow {

class DataDirLock {
 public:
  static Result<std::unique_ptr<DataDirLock>> acquire(const std::string& data_dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace ledgerflow
