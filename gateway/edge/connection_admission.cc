// Admission counts: an atomic total, and a locked map of clients that hold connections.
#include "edge/connection_admission.h"

#include <algorithm>
#include <utility>

namespace tollgate::gateway {

ConnectionAdmission::Ticket::Ticket(Ticket&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), client_(std::move(other.client_)) {}

ConnectionAdmission::Ticket& ConnectionAdmission::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = std::exchange(other.owner_, nullptr);
    client_ = std::move(other.client_);
  }
  return *this;
}

ConnectionAdmission::Ticket::~Ticket() { Release(); }

void ConnectionAdmission::Ticket::Release() {
  if (owner_ != nullptr) std::exchange(owner_, nullptr)->Release(client_);
}

ConnectionAdmission::ConnectionAdmission(const ListenerOptions& options)
    : settings_(options.settings) {}

ConnectionAdmission::Decision ConnectionAdmission::Admit(const boost::asio::ip::address& peer) {
  // A reload may lower a limit below what is open: open connections are not closed, and new
  // ones are refused until the count is under it.
  if (open_.fetch_add(1, std::memory_order_relaxed) >= settings_->max_connections()) {
    open_.fetch_sub(1, std::memory_order_relaxed);
    return {.refusal = policy::Reason::kServerBusy, .ticket = {}};
  }
  const std::vector<Cidr>& trusted_proxies = settings_->trusted_proxies();
  const bool trusted = std::any_of(trusted_proxies.begin(), trusted_proxies.end(),
                                   [&peer](const Cidr& proxy) { return proxy.Contains(peer); });
  if (trusted) return {.refusal = std::nullopt, .ticket = Ticket(this, "")};
  std::string client = AddressKey(peer);
  {
    std::lock_guard lock(mutex_);
    int& held = per_client_[client];
    if (held >= settings_->max_connections_per_client()) {
      if (held == 0) per_client_.erase(client);
      open_.fetch_sub(1, std::memory_order_relaxed);
      return {.refusal = policy::Reason::kTooManyConnections, .ticket = {}};
    }
    ++held;
  }
  return {.refusal = std::nullopt, .ticket = Ticket(this, std::move(client))};
}

void ConnectionAdmission::Release(const std::string& client) {
  if (!client.empty()) {
    std::lock_guard lock(mutex_);
    if (auto it = per_client_.find(client); it != per_client_.end() && --it->second == 0) {
      per_client_.erase(it);
    }
  }
  open_.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace tollgate::gateway
