#pragma once
// Operating errors are values. A Status carries a class (what the caller should do about it),
// a stable machine-readable reason code and a human message.
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "core/assert.h"

namespace ledgerflow {

enum class ErrorClass {
  kOk = 0,
  kBadInput,   // the input is wrong; retrying the same input fails again
  kRetriable,  // a transient condition (I/O busy, peer down); retry later
  kFatal,      // the engine cannot go on safely (corrupt log, disk full)
};

class Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status bad_input(std::string code, std::string message) {
    return Status(ErrorClass::kBadInput, std::move(code), std::move(message));
  }
  static Status retriable(std::string code, std::string message) {
    return Status(ErrorClass::kRetriable, std::move(code), std::move(message));
  }
  static Status fatal(std::string code, std::string message) {
    return Status(ErrorClass::kFatal, std::move(code), std::move(message));
  }

  bool is_ok() const { return cls_ == ErrorClass::kOk; }
  explicit operator bool() const { return is_ok(); }
  ErrorClass error_class() const { return cls_; }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string to_string() const { return is_ok() ? std::string("ok") : code_ + ": " + message_; }

 private:
  Status(ErrorClass c, std::string code, std::string message)
      : cls_(c), code_(std::move(code)), message_(std::move(message)) {}
  ErrorClass cls_ = ErrorClass::kOk;
  std::string code_;
  std::string message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { LF_ASSERT(!status_.is_ok()); }  // NOLINT

  bool is_ok() const { return value_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  const Status& status() const { return status_; }
  T& value() & {
    LF_ASSERT(value_.has_value());
    return *value_;
  }
  const T& value() const& {
    LF_ASSERT(value_.has_value());
    return *value_;
  }
  T&& value() && {
    LF_ASSERT(value_.has_value());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace ledgerflow
