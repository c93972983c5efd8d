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

  explicit SessionTicketKeys(std::chrono::seconds rotation = std::chrono::hours(12));

  // The key to issue a new ticket with (rotated first when its period is over).
  Key Current();
  // The key named `name`, when it is the current or the previous one.
  std::optional<Key> Find(const unsigned char* name);
  // Whether a ticket under `name` should be re-issued under the current key.
  bool IsOld(const unsigned char* name);

 private:
  void RotateIfDue();  // needs mutex_

  const std::chrono::seconds rotation_;
  std::mutex mutex_;
  Key current_;                    // guarded by mutex_
  std::optional<Key> previous_;    // guarded by mutex_
  std::chrono::steady_clock::time_point rotated_at_;  // guarded by mutex_
};

}  // namespace tollgate::gateway
