// The keys that encrypt TLS session tickets: a new one every rotation period, the previous one
// still accepted for a period, so a stolen key exposes at most two periods of sessions and a
// client resumes across a rotation.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace tollgate::gateway {

class SessionTicketKeys {
 public:
  struct Key {
    std::array<unsigned char, 16> name;
    std::array<unsigned char, 32> cipher_key;  // AES-256-CBC
    std::array<unsigned char, 32> hmac_key;    // HMAC-SHA256
  };

  struct Found {
    Key key;
    bool is_current = false;  // false: the previous key; re-issue the ticket under the current
  };

  // Throws std::runtime_error when the system has no randomness for the first key.
  explicit SessionTicketKeys(std::chrono::seconds rotation = std::chrono::hours(12));
  ~SessionTicketKeys();

  // The key to issue a new ticket with (rotated first when its period is over); nullopt when
  // no new key could be made (then no ticket is issued). Never throws: OpenSSL calls it.
  std::optional<Key> Current();
  // The key named `name`, when it is the current or the previous one.
  std::optional<Found> Find(const unsigned char* name);

 private:
  // Rotates when the current key's period is over; when two periods or more went by with no
  // handshake, the previous key goes too, so no key outlives two periods. False when no new
  // key could be made. Needs mutex_.
  bool RotateIfDue();

  const std::chrono::seconds rotation_;
  std::mutex mutex_;
  Key current_;                                       // guarded by mutex_
  std::optional<Key> previous_;                       // guarded by mutex_
  std::chrono::steady_clock::time_point rotated_at_;  // guarded by mutex_
  bool failed_ = false;  // the last rotation found no randomness; guarded by mutex_
};

}  // namespace tollgate::gateway
