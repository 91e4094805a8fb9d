#include "engine/checkpoint.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "core/bytes.h"
#include "core/checksum.h"
#include "log/bronze_log.h"

namespace ledgerflow {
namespace fs = std::filesystem;
namespace {

constexpr char kMagic[8] = {'L', 'F', 'C', 'K', 'P', 'T', '0', '1'};
constexpr size_t kHeaderBytes = 48;

std::vector<std::pair<uint64_t, std::string>> list_checkpoints(const std::string& dir) {
  std::vector<std::pair<uint64_t, std::string>> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() != 36 || name.rfind("checkpoint-", 0) != 0 || name.substr(31) != ".ckpt")
      continue;
    try {
      out.emplace_back(std::stoull(name.substr(11, 20)), entry.path().string());
    } catch (...) {
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  return out;
}

}  // namespace

std::string encode_checkpoint(const CheckpointData& data) {
  std::string body;
  ByteWriter b(&body);
  b.str(data.router_state);
  for (const std::string& s : data.shard_states) b.str(s);
  std::string out;
  ByteWriter w(&out);
  w.bytes(std::string_view(kMagic, 8));
  w.u32(kCheckpointVersion);
  w.u32(uint32_t(data.shard_states.size()));
  w.u64(data.next_offset);
  w.i64(data.created_ms);
  w.u64(body.size());
  w.u32(crc32(body));
  w.u32(crc32(out));
  out += body;
  return out;
}

Result<CheckpointData> decode_checkpoint(std::string_view bytes) {
  auto bad = [](const char* why) { return Status::bad_input("checkpoint_corrupt", why); };
  if (bytes.size() < kHeaderBytes || std::memcmp(bytes.data(), kMagic, 8) != 0)
    return bad("bad magic");
  ByteReader r(bytes.substr(8));
  uint32_t version, shards, body_crc, header_crc;
  uint64_t body_len;
  CheckpointData d;
  if (!r.u32(&version) || !r.u32(&shards) || !r.u64(&d.next_offset) || !r.i64(&d.created_ms) ||
      !r.u64(&body_len) || !r.u32(&body_crc) || !r.u32(&header_crc)) {
    return bad("short header");
  }
  if (header_crc != crc32(bytes.substr(0, 44))) return bad("header checksum mismatch");
  if (version < 1 || version > kCheckpointVersion) return bad("unsupported version");
  d.version = version;
  if (body_len != bytes.size() - kHeaderBytes) return bad("body length mismatch");
  std::string_view body = bytes.substr(kHeaderBytes);
  if (body_crc != crc32(body)) return bad("body checksum mismatch");
  ByteReader br(body);
  if (!br.str(&d.router_state)) return bad("truncated router state");
  d.shard_states.resize(shards);
  for (auto& s : d.shard_states) {
    if (!br.str(&s)) return bad("truncated shard state");
  }
  return d;
}

Status write_checkpoint(const std::string& dir, const CheckpointData& data, int keep) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::string path =
      (fs::path(dir) / fmt::format("checkpoint-{:020}.ckpt", data.next_offset)).string();
  if (Status s = write_file_atomic(path, encode_checkpoint(data)); !s) return s;
  auto all = list_checkpoints(dir);
  for (size_t i = size_t(keep); i < all.size(); ++i) fs::remove(all[i].second, ec);
  return Status::ok();
}

CheckpointLoad load_latest_checkpoint(const std::string& dir) {
  CheckpointLoad out;
  for (const auto& [offset, path] : list_checkpoints(dir)) {
    Result<std::string> bytes = read_file(path);
    if (!bytes) {
      out.skipped.push_back(path + ": " + bytes.status().message());
      continue;
    }
    Result<CheckpointData> d = decode_checkpoint(*bytes);
    if (!d) {
      out.skipped.push_back(path + ": " + d.status().message());
      continue;
    }
    out.data = std::move(d.value());
    break;
  }
  return out;
}

}  // namespace ledgerflow
