#pragma once
// The HTTP front door (cpp-httplib): the /api/v1 JSON API, NDJSON ingest, the live
// server-sent-events stream, /metrics, /healthz, /readyz and the embedded dashboard.
// Routes and shapes are documented in docs/API.md.
//
// Owned by the run/demo command. httplib runs handlers on its own thread pool; every handler
// only reads the Engine or submits to it, both thread-safe.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "engine/engine.h"
#include "sinks/warehouse_backend.h"

namespace httplib {
class Server;
class Request;
class Response;
class ContentReader;
}  // namespace httplib

namespace ledgerflow::server {

class HttpServer {
 public:
  explicit HttpServer(Engine* engine);
  ~HttpServer();

  // Binds (port 0 picks a free port) and starts serving on a background thread.
  Status start(const std::string& bind, int port);
  void stop();
  int port() const { return port_; }
  // Serves POST /api/v1/query (read-only SQL) against this warehouse. Call before start().
  void enable_sql(sinks::WarehouseTarget target) { sql_target_ = std::move(target); }

 private:
  void routes();
  void finance_routes();
  std::vector<LedgerAlert> dataco_alerts() const;
  void handle_working_capital(const httplib::Request& req, httplib::Response& res) const;
  void handle_aging(const httplib::Request& req, httplib::Response& res) const;
  void handle_reorder(const httplib::Request& req, httplib::Response& res) const;
  bool finance_query(const httplib::Request& req, httplib::Response& res,
                     struct FinanceQuery* q) const;
  void handle_ingest(const httplib::Request& req, httplib::Response& res,
                     const httplib::ContentReader& reader, std::optional<EventType> type);
  bool authorized(const httplib::Request& req, httplib::Response& res) const;
  void handle_query(const httplib::Request& req, httplib::Response& res) const;

  Engine* engine_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  bool require_token_ = false;
  std::optional<sinks::WarehouseTarget> sql_target_;
  std::atomic<bool> stopping_{false};
};

}  // namespace ledgerflow::server
