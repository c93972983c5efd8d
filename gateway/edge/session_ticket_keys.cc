// Random keys from OpenSSL's generator; nothing of them is ever written anywhere.
#include "edge/session_ticket_keys.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

namespace tollgate::gateway {
namespace {

std::optional<SessionTicketKeys::Key> RandomKey() {
  SessionTicketKeys::Key key;
  if (RAND_bytes(key.name.data(), key.name.size()) != 1 ||
      RAND_bytes(key.cipher_key.data(), key.cipher_key.size()) != 1 ||
      RAND_bytes(key.hmac_key.data(), key.hmac_key.size()) != 1) {
    return std::nullopt;
  }
  return key;
}

void Wipe(SessionTicketKeys::Key& key) { OPENSSL_cleanse(&key, sizeof key); }

bool Named(const SessionTicketKeys::Key& key, const unsigned char* name) {
  return std::equal(key.name.begin(), key.name.end(), name);
}

}  // namespace

SessionTicketKeys::SessionTicketKeys(std::chrono::seconds rotation)
    : rotation_(rotation), rotated_at_(std::chrono::steady_clock::now()) {
  std::optional<Key> first = RandomKey();
  if (!first) throw std::runtime_error("no randomness for TLS session ticket keys");
  current_ = *first;
}

SessionTicketKeys::~SessionTicketKeys() {
  Wipe(current_);
  if (previous_) Wipe(*previous_);
}

bool SessionTicketKeys::RotateIfDue() {
  const auto now = std::chrono::steady_clock::now();
  const auto age = now - rotated_at_;
  if (age < rotation_ && !failed_) return true;
  std::optional<Key> next = RandomKey();
  failed_ = !next;
  if (!next) return false;
  if (age >= 2 * rotation_ && previous_) Wipe(*previous_);
  previous_ = age >= 2 * rotation_ ? std::nullopt : std::optional<Key>(current_);
  current_ = *next;
  rotated_at_ = now;
  return true;
}

std::optional<SessionTicketKeys::Key> SessionTicketKeys::Current() {
  std::lock_guard lock(mutex_);
  if (!RotateIfDue()) return std::nullopt;
  return current_;
}

std::optional<SessionTicketKeys::Found> SessionTicketKeys::Find(const unsigned char* name) {
  std::lock_guard lock(mutex_);
  RotateIfDue();  // without a new key the current one still decrypts
  if (Named(current_, name)) return Found{.key = current_, .is_current = true};
  if (previous_ && Named(*previous_, name)) return Found{.key = *previous_, .is_current = false};
  return std::nullopt;
}

}  // namespace tollgate::gateway
