// One listener's count of open connections, in total and per client, which decides at accept
// whether a new connection may be served (SPEC §2.2).
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "boost/asio/ip/address.hpp"
#include "edge/listener_options.h"
#include "tollgate/policy/reason.h"

namespace tollgate::gateway {

// Safe from any thread: the listener admits on its accept loop, and the connections it admitted
// close on whichever worker served them.
class ConnectionAdmission {
 public:
  // A connection's place in the counts, given back when the ticket is destroyed.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept;
    Ticket& operator=(Ticket&& other) noexcept;
    ~Ticket();

   private:
    friend class ConnectionAdmission;
    Ticket(ConnectionAdmission* owner, std::string client)
        : owner_(owner), client_(std::move(client)) {}
    void Release();

    ConnectionAdmission* owner_ = nullptr;  // null: holds nothing
    std::string client_;                    // empty: not counted per client
  };

  struct Decision {
    std::optional<policy::Reason> refusal;  // kServerBusy or kTooManyConnections
    Ticket ticket;                          // holds the place when admitted
  };

  explicit ConnectionAdmission(const ListenerOptions& options);

  // Takes a place for a new connection from `peer`, or names why it gets none: the listener is
  // full, or `peer`'s client (its IPv4 address or IPv6 /64) already holds its share. Trusted
  // proxies count only toward the total.
  Decision Admit(const boost::asio::ip::address& peer);

  int open() const { return open_.load(std::memory_order_relaxed); }

 private:
  void Release(const std::string& client);

  const std::shared_ptr<const LiveSettings> settings_;
  std::atomic<int> open_{0};
  std::mutex mutex_;
  absl::flat_hash_map<std::string, int> per_client_;  // guarded by mutex_; no zero entries
};

}  // namespace tollgate::gateway
