// OpenSSL set-up of a listener: one SSL_CTX per loaded pair, swapped whole on reload.
#include "edge/tls_context.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include <cstring>

#include "edge/session_ticket_keys.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway {
namespace {

// Mozilla's "intermediate" configuration (v5.7): TLS 1.2 ciphers with forward secrecy and
// AEAD only; TLS 1.3 keeps OpenSSL's suites, which are the same three.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:P-256:P-384";
// ALPN wire form: a length byte, then the protocol name.
constexpr unsigned char kAlpnHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

// The error OpenSSL queued last, in words; clears the queue.
std::string OpenSslError() {
  unsigned long code = 0;
  unsigned long last = 0;
  while ((code = ERR_get_error()) != 0) last = code;
  if (last == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(last, text, sizeof text);
  return text;
}

// Where each SSL_CTX keeps its SessionTicketKeys, for the ticket callback.
int TicketKeysIndex() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

int SelectHttp11(SSL*, const unsigned char** out, unsigned char* out_length,
                 const unsigned char* offered, unsigned int offered_length, void*) {
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, out_length, kAlpnHttp11, sizeof kAlpnHttp11, offered,
                            offered_length) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;  // no_application_protocol: an h2-only client
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

bool SetTicketMac(EVP_MAC_CTX* mac, const SessionTicketKeys::Key& key) {
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(
          OSSL_MAC_PARAM_KEY, const_cast<unsigned char*>(key.hmac_key.data()), key.hmac_key.size()),
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end()};
  return EVP_MAC_CTX_set_params(mac, params) == 1;
}

// OpenSSL's session ticket callback: 1 = use this key, 2 = use it and issue a fresh ticket,
// 0 = no such key (a full handshake), -1 = failure.
int TicketKeyCallback(SSL* ssl, unsigned char* key_name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                      EVP_MAC_CTX* mac, int encrypt) {
  auto* keys =
      static_cast<SessionTicketKeys*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), TicketKeysIndex()));
  if (keys == nullptr) return -1;
  if (encrypt == 1) {
    const std::optional<SessionTicketKeys::Key> current = keys->Current();
    if (!current) return -1;
    const SessionTicketKeys::Key& key = *current;
    std::memcpy(key_name, key.name.data(), key.name.size());
    if (RAND_bytes(iv, EVP_CIPHER_get_iv_length(EVP_aes_256_cbc())) != 1) return -1;
    if (EVP_EncryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, key.cipher_key.data(), iv) != 1 ||
        !SetTicketMac(mac, key)) {
      return -1;
    }
    return 1;
  }
  const std::optional<SessionTicketKeys::Found> found = keys->Find(key_name);
  if (!found) return 0;
  if (!SetTicketMac(mac, found->key) || EVP_DecryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr,
                                                           found->key.cipher_key.data(), iv) != 1) {
    return -1;
  }
  return found->is_current ? 1 : 2;
}

absl::StatusOr<std::shared_ptr<SSL_CTX>> LoadPair(const std::string& cert_file,
                                                  const std::string& key_file,
                                                  SessionTicketKeys* tickets) {
  ERR_clear_error();
  std::shared_ptr<SSL_CTX> ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (ctx == nullptr) return absl::InternalError(Concat("TLS: ", OpenSslError()));
  SSL_CTX* raw = ctx.get();
  SSL_CTX_set_min_proto_version(raw, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(raw, TLS1_3_VERSION);
  // kTLS lets SSL_sendfile hand file bytes to the kernel's TLS where the kernel has it.
  // A peer that closes without close_notify ends the stream (HTTP/1.1 messages carry their
  // own length) instead of failing with "unexpected EOF".
  SSL_CTX_set_options(raw, SSL_OP_NO_RENEGOTIATION | SSL_OP_ENABLE_KTLS | SSL_OP_NO_COMPRESSION |
                               SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_dh_auto(raw, 1);  // the DHE suites with the standard ffdhe groups
  // A key file with a passphrase fails to load instead of prompting on the terminal.
  SSL_CTX_set_default_passwd_cb(raw, [](char*, int, int, void*) { return 0; });
  SSL_CTX_set_mode(raw, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                            SSL_MODE_RELEASE_BUFFERS);
  // One read(2) per request instead of two (a record's 5-byte header, then its body). The
  // stream waits on the socket only after OpenSSL asked for more, so bytes it read ahead are
  // never left waiting.
  SSL_CTX_set_read_ahead(raw, 1);
  if (SSL_CTX_set_cipher_list(raw, kTls12Ciphers) != 1 ||
      SSL_CTX_set1_groups_list(raw, kGroups) != 1) {
    return absl::InternalError(Concat("TLS: ", OpenSslError()));
  }
  // Tickets carry the sessions; no server-side cache to grow.
  SSL_CTX_set_session_cache_mode(raw, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_ex_data(raw, TicketKeysIndex(), tickets);
  SSL_CTX_set_tlsext_ticket_key_evp_cb(raw, TicketKeyCallback);
  SSL_CTX_set_alpn_select_cb(raw, SelectHttp11, nullptr);
  if (SSL_CTX_use_certificate_chain_file(raw, cert_file.c_str()) != 1) {
    return absl::InvalidArgumentError(
        Concat("cannot use certificate ", cert_file, ": ", OpenSslError()));
  }
  if (SSL_CTX_use_PrivateKey_file(raw, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return absl::InvalidArgumentError(Concat("cannot use key ", key_file, ": ", OpenSslError()));
  }
  if (SSL_CTX_check_private_key(raw) != 1) {
    return absl::InvalidArgumentError(
        Concat("key ", key_file, " does not match certificate ", cert_file));
  }
  return ctx;
}

}  // namespace

void SslDeleter::operator()(ssl_st* ssl) const { SSL_free(ssl); }

TlsContext::TlsContext(std::string cert_file, std::string key_file)
    : cert_file_(std::move(cert_file)),
      key_file_(std::move(key_file)),
      tickets_(std::make_shared<SessionTicketKeys>()) {}

TlsContext::~TlsContext() = default;

absl::StatusOr<std::shared_ptr<TlsContext>> TlsContext::Create(std::string cert_file,
                                                               std::string key_file) {
  std::shared_ptr<TlsContext> context(new TlsContext(std::move(cert_file), std::move(key_file)));
  if (absl::Status loaded = context->Reload(); !loaded.ok()) return loaded;
  return context;
}

absl::Status TlsContext::Reload() {
  absl::StatusOr<std::shared_ptr<SSL_CTX>> loaded = LoadPair(cert_file_, key_file_, tickets_.get());
  if (!loaded.ok()) return loaded.status();
  std::lock_guard lock(mutex_);
  current_ = *std::move(loaded);
  return absl::OkStatus();
}

SslPtr TlsContext::NewSession() const {
  std::shared_ptr<SSL_CTX> ctx;
  {
    std::lock_guard lock(mutex_);
    ctx = current_;
  }
  // The session holds its own reference to the SSL_CTX, so a reload never pulls it away.
  return SslPtr(SSL_new(ctx.get()));
}

}  // namespace tollgate::gateway
