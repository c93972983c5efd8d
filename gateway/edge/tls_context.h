// One listener's TLS: its certificate and key, reloadable while connections run, and the
// policy every handshake gets — TLS 1.2 and 1.3 only, Mozilla's "intermediate" ciphers, ALPN
// http/1.1, session tickets under keys that rotate.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"

struct ssl_st;
struct ssl_ctx_st;

namespace tollgate::gateway {

class SessionTicketKeys;

struct SslDeleter {
  void operator()(ssl_st* ssl) const;
};
// A server-side TLS session of one connection (OpenSSL's SSL).
using SslPtr = std::unique_ptr<ssl_st, SslDeleter>;

class TlsContext {
 public:
  // Loads the PEM certificate chain `cert_file` and its private key `key_file`.
  // InvalidArgument naming the file and OpenSSL's reason when either cannot be used.
  static absl::StatusOr<std::shared_ptr<TlsContext>> Create(std::string cert_file,
                                                            std::string key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // Reads the files again: handshakes from now on use the new pair, connections already open
  // keep theirs. When the new pair cannot be used, the old one stays and the error is returned.
  absl::Status Reload();

  // A session for a newly accepted connection, with the current pair. Safe from any thread.
  SslPtr NewSession() const;

  const std::string& cert_file() const { return cert_file_; }

 private:
  TlsContext(std::string cert_file, std::string key_file);

  const std::string cert_file_;
  const std::string key_file_;
  // Shared by every pair loaded, so tickets issued before a reload still resume after it.
  const std::shared_ptr<SessionTicketKeys> tickets_;
  mutable std::mutex mutex_;
  std::shared_ptr<ssl_ctx_st> current_;  // guarded by mutex_
};

}  // namespace tollgate::gateway
