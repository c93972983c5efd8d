// Random keys from OpenSSL's generator; nothing of them is ever written anywhere.
#include "edge/session_ticket_keys.h"

#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

namespace tollgate::gateway {
namespace {

SessionTicketKeys::Key RandomKey() {
  SessionTicketKeys::Key key;
  if (RAND_bytes(key.name.data(), key.name.size()) != 1 ||
      RAND_bytes(key.cipher_key.data(), key.cipher_key.size()) != 1 ||
      RAND_bytes(key.hmac_key.data(), key.hmac_key.size()) != 1) {
    throw std::runtime_error("no randomness for TLS session ticket keys");
  }
  return key;
}

bool Named(const SessionTicketKeys::Key& key, const unsigned char* name) {
  return std::equal(key.name.begin(), key.name.end(), name);
}

}  // namespace

SessionTicketKeys::SessionTicketKeys(std::chrono::seconds rotation)
    : rotation_(rotation), current_(RandomKey()), rotated_at_(std::chrono::steady_clock::now()) {}

void SessionTicketKeys::RotateIfDue() {
  const auto now = std::chrono::steady_clock::now();
  if (now - rotated_at_ < rotation_) return;
  previous_ = current_;
  current_ = RandomKey();
  rotated_at_ = now;
}

SessionTicketKeys::Key SessionTicketKeys::Current() {
  std::lock_guard lock(mutex_);
  RotateIfDue();
  return current_;
}

std::optional<SessionTicketKeys::Key> SessionTicketKeys::Find(const unsigned char* name) {
  std::lock_guard lock(mutex_);
  RotateIfDue();
  if (Named(current_, name)) return current_;
  if (previous_ && Named(*previous_, name)) return previous_;
  return std::nullopt;
}

bool SessionTicketKeys::IsOld(const unsigned char* name) {
  std::lock_guard lock(mutex_);
  return !Named(current_, name);
}

}  // namespace tollgate::gateway
