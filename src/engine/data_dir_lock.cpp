#include "engine/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace ledgerflow {

Result<std::unique_ptr<DataDirLock>> DataDirLock::acquire(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec)
    return Status::fatal("io_error", fmt::format("cannot create {}: {}", data_dir, ec.message()));
  std::string path = (std::filesystem::path(data_dir) / "LOCK").string();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return Status::fatal("io_error", fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Status::fatal("data_dir_locked",
                         fmt::format("{} is in use by another ledgerflow process", data_dir));
  }
  return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
}

DataDirLock::~DataDirLock() {
  ::close(fd_);
}

}  // namespace ledgerflow
