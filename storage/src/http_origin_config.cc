// Validation of `storage: {"type": "http", …}` and the handling of its secrets.
#include "tollgate/storage/http_origin_config.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "absl/strings/escaping.h"
#include "boost/json/parse.hpp"
#include "boost/url/parse.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace json = boost::json;
namespace urls = boost::urls;

namespace {

struct SecretField {
  std::string_view object;  // the member of `storage` that holds it
  std::string_view name;
};
constexpr std::array<SecretField, 3> kSecretFields = {
    {{"auth", "basic"}, {"auth", "bearer"}, {"s3", "secret_key"}}};

absl::Status Invalid(std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(Concat("storage.", field, ": ", why));
}

// Header-safe text: printable ASCII, so nothing can end a header line early.
bool IsPrintable(std::string_view text, bool allow_space) {
  for (const char c : text) {
    if (c < ' ' || c > '~' || (c == ' ' && !allow_space)) return false;
  }
  return true;
}

absl::StatusOr<std::string> ReadText(const json::object& object, std::string_view field,
                                     std::string_view where, bool allow_space) {
  const json::value* value = object.if_contains(field);
  if (value == nullptr) return Invalid(Concat(where, field), "is required");
  if (!value->is_string() || value->as_string().empty()) {
    return Invalid(Concat(where, field), "must be a non-empty string");
  }
  const std::string text(value->as_string());
  if (!IsPrintable(text, allow_space)) {
    return Invalid(Concat(where, field), "must be printable ASCII");
  }
  return text;
}

absl::Status CheckOnlyFields(const json::object& object, std::string_view where,
                             std::initializer_list<std::string_view> allowed) {
  for (const auto& member : object) {
    const std::string_view key(member.key());
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Invalid(Concat(where, key), "unknown field");
    }
  }
  return absl::OkStatus();
}

struct OriginAddress {
  std::string scheme;
  std::string host;
  uint16_t port = 80;
  std::string base_path;
};

absl::StatusOr<OriginAddress> ParseOriginUrl(std::string_view text) {
  auto parsed = urls::parse_uri(text);
  if (!parsed) return Invalid("url", "must be an absolute URL such as http://origin:8080/prefix/");
  const urls::url_view url = *parsed;
  if (url.scheme() == "https") {
    return Invalid("url", "https origins are not supported yet; use http://");
  }
  if (url.scheme() != "http") return Invalid("url", "must start with http://");
  if (url.has_userinfo()) {
    return Invalid("url", "must not hold credentials; put them in storage.auth");
  }
  if (url.has_query() || url.has_fragment()) {
    return Invalid("url", "must not have a query or a fragment");
  }
  OriginAddress address;
  address.scheme = std::string(url.scheme());
  switch (url.host_type()) {
    case urls::host_type::ipv4:
    case urls::host_type::ipv6:
      address.host = url.host_address();
      break;
    case urls::host_type::name:
      address.host = url.host_address();
      if (address.host.find_first_not_of(
              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") !=
          std::string::npos) {
        return Invalid("url", "the host name must be letters, digits, '.' and '-'");
      }
      break;
    default:
      return Invalid("url", "must name a host");
  }
  if (address.host.empty()) return Invalid("url", "must name a host");
  if (url.has_port()) {
    if (url.port_number() == 0) return Invalid("url", "the port must be 1 to 65535");
    address.port = url.port_number();
  }
  address.base_path = std::string(url.encoded_path());
  if (address.base_path.empty() || address.base_path.front() != '/') {
    address.base_path.insert(0, 1, '/');
  }
  // The path is a folder prefix: "…/prefix" and "…/prefix/" both mean the folder.
  if (address.base_path.back() != '/') address.base_path.push_back('/');
  return address;
}

absl::StatusOr<absl::Duration> ReadSeconds(const json::object& storage, std::string_view field,
                                           absl::Duration fallback) {
  const json::value* value = storage.if_contains(field);
  if (value == nullptr) return fallback;
  constexpr double kMaxSeconds = 3600;
  const double seconds = value->is_number() ? value->to_number<double>() : -1;
  if (!(seconds > 0 && seconds <= kMaxSeconds)) {
    return Invalid(field, "must be a number of seconds above 0 and at most 3600");
  }
  return absl::Milliseconds(std::ceil(seconds * 1000));
}

absl::StatusOr<size_t> ReadCount(const json::object& storage, std::string_view field,
                                 size_t fallback, size_t min, size_t max) {
  const json::value* value = storage.if_contains(field);
  if (value == nullptr) return fallback;
  if (!value->is_int64() && !value->is_uint64()) {
    return Invalid(field, Concat("must be a whole number from ", min, " to ", max));
  }
  const int64_t count = value->is_int64() ? value->as_int64() : -1;
  if (count < static_cast<int64_t>(min) || count > static_cast<int64_t>(max)) {
    return Invalid(field, Concat("must be a whole number from ", min, " to ", max));
  }
  return static_cast<size_t>(count);
}

absl::Status ReadAuth(const json::object& storage, HttpOriginConfig& config) {
  const json::value* auth = storage.if_contains("auth");
  if (auth == nullptr || auth->is_null()) return absl::OkStatus();
  const json::object* object = auth->if_object();
  if (object == nullptr || object->size() != 1) {
    return Invalid("auth", R"(must be {"basic": "user:password"} or {"bearer": "token"})");
  }
  if (object->contains("basic")) {
    absl::StatusOr<std::string> basic = ReadText(*object, "basic", "auth.", true);
    if (!basic.ok()) return basic.status();
    const size_t colon = basic->find(':');
    if (colon == 0 || colon == std::string::npos) {
      return Invalid("auth.basic", "must be user:password");
    }
    config.authorization = Concat("Basic ", absl::Base64Escape(*basic));
    return absl::OkStatus();
  }
  if (object->contains("bearer")) {
    absl::StatusOr<std::string> bearer = ReadText(*object, "bearer", "auth.", false);
    if (!bearer.ok()) return bearer.status();
    config.authorization = Concat("Bearer ", *bearer);
    return absl::OkStatus();
  }
  return Invalid("auth", R"(must be {"basic": "user:password"} or {"bearer": "token"})");
}

absl::Status ReadS3(const json::object& storage, HttpOriginConfig& config) {
  const json::value* s3 = storage.if_contains("s3");
  if (s3 == nullptr || s3->is_null()) return absl::OkStatus();
  if (!config.authorization.empty()) return Invalid("s3", "cannot be combined with storage.auth");
  const json::object* object = s3->if_object();
  if (object == nullptr) {
    return Invalid("s3", R"(must be {"region": …, "access_key": …, "secret_key": …})");
  }
  if (absl::Status s = CheckOnlyFields(*object, "s3.", {"region", "access_key", "secret_key"});
      !s.ok()) {
    return s;
  }
  S3Credentials credentials;
  absl::StatusOr<std::string> region = ReadText(*object, "region", "s3.", false);
  if (!region.ok()) return region.status();
  // Region and key id become segments of the signature's credential scope.
  if (region->find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
    return Invalid("s3.region", "must be lowercase letters, digits and '-', e.g. us-east-1");
  }
  absl::StatusOr<std::string> access_key = ReadText(*object, "access_key", "s3.", false);
  if (!access_key.ok()) return access_key.status();
  if (access_key->find('/') != std::string::npos) {
    return Invalid("s3.access_key", "must not contain '/'");
  }
  absl::StatusOr<std::string> secret_key = ReadText(*object, "secret_key", "s3.", false);
  if (!secret_key.ok()) return secret_key.status();
  config.s3 = S3Credentials{*std::move(region), *std::move(access_key), *std::move(secret_key)};
  return absl::OkStatus();
}

// The value of secret `field`, or null when absent.
const json::value* FindSecret(const json::object& storage, const SecretField& field) {
  const json::value* holder = storage.if_contains(field.object);
  const json::object* object = holder != nullptr ? holder->if_object() : nullptr;
  return object != nullptr ? object->if_contains(field.name) : nullptr;
}

// True when both storage objects name the same origin: scheme, host, port and path prefix
// (so a secret given for one bucket or prefix of a host is not replayed to another).
bool SameOrigin(const json::object& before, const json::object& update) {
  const json::value* old_url = before.if_contains("url");
  const json::value* new_url = update.if_contains("url");
  if (old_url == nullptr || !old_url->is_string() || new_url == nullptr || !new_url->is_string()) {
    return false;
  }
  const absl::StatusOr<OriginAddress> old_address = ParseOriginUrl(old_url->as_string());
  const absl::StatusOr<OriginAddress> new_address = ParseOriginUrl(new_url->as_string());
  return old_address.ok() && new_address.ok() && old_address->scheme == new_address->scheme &&
         old_address->host == new_address->host && old_address->port == new_address->port &&
         old_address->base_path == new_address->base_path;
}

}  // namespace

absl::StatusOr<HttpOriginConfig> ParseHttpOriginConfig(const json::object& storage) {
  if (absl::Status s = CheckOnlyFields(storage, "",
                                       {"type", "url", "auth", "s3", "connect_timeout",
                                        "read_timeout", "max_connections", "max_idle"});
      !s.ok()) {
    return s;
  }
  const json::value* type = storage.if_contains("type");
  if (type == nullptr || !type->is_string() || type->as_string() != "http") {
    return Invalid("type", "must be \"http\"");
  }
  const json::value* url = storage.if_contains("url");
  if (url == nullptr || !url->is_string()) return Invalid("url", "is required");
  absl::StatusOr<OriginAddress> address = ParseOriginUrl(url->as_string());
  if (!address.ok()) return address.status();

  HttpOriginConfig config;
  config.host = std::move(address->host);
  config.port = address->port;
  config.base_path = std::move(address->base_path);
  if (absl::Status s = ReadAuth(storage, config); !s.ok()) return s;
  if (absl::Status s = ReadS3(storage, config); !s.ok()) return s;
  absl::StatusOr<absl::Duration> connect =
      ReadSeconds(storage, "connect_timeout", config.connect_timeout);
  if (!connect.ok()) return connect.status();
  config.connect_timeout = *connect;
  absl::StatusOr<absl::Duration> read = ReadSeconds(storage, "read_timeout", config.read_timeout);
  if (!read.ok()) return read.status();
  config.read_timeout = *read;
  absl::StatusOr<size_t> max_connections =
      ReadCount(storage, "max_connections", config.max_connections, 1, 4096);
  if (!max_connections.ok()) return max_connections.status();
  config.max_connections = *max_connections;
  absl::StatusOr<size_t> max_idle =
      ReadCount(storage, "max_idle", std::min(config.max_idle, config.max_connections), 0,
                config.max_connections);
  if (!max_idle.ok()) return max_idle.status();
  config.max_idle = *max_idle;
  return config;
}

absl::StatusOr<HttpOriginConfig> LoadHttpOriginConfig(std::string_view storage_json) {
  boost::system::error_code ec;
  const json::value value = json::parse(storage_json, ec);
  if (ec || !value.is_object()) return absl::InvalidArgumentError("storage: not a JSON object");
  return ParseHttpOriginConfig(value.as_object());
}

bool IsHttpStorage(std::string_view storage_json) {
  // Every download asks, so the common filesystem case is settled without parsing.
  if (storage_json.find("\"http\"") == std::string_view::npos) return false;
  boost::system::error_code ec;
  const json::value value = json::parse(storage_json, ec);
  const json::object* object = ec ? nullptr : value.if_object();
  const json::value* type = object != nullptr ? object->if_contains("type") : nullptr;
  return type != nullptr && type->is_string() && type->as_string() == "http";
}

json::value RedactStorageSecrets(json::value storage) {
  json::object* object = storage.if_object();
  if (object == nullptr) return storage;
  for (const SecretField& field : kSecretFields) {
    json::value* holder = object->if_contains(field.object);
    json::object* inner = holder != nullptr ? holder->if_object() : nullptr;
    if (inner != nullptr && inner->contains(field.name)) {
      (*inner)[field.name] = kRedactedSecret;
    }
  }
  return storage;
}

absl::Status RestoreStorageSecrets(json::object& update, const json::value& stored) {
  const json::object empty;
  const json::object& before = stored.is_object() ? stored.as_object() : empty;
  const bool same_origin = SameOrigin(before, update);
  for (const SecretField& field : kSecretFields) {
    const std::string where = Concat(field.object, ".", field.name);
    const json::value* kept = FindSecret(before, field);
    if (!same_origin && kept != nullptr && !update.contains(field.object)) {
      // Leaving it out would silently drop the secret; the caller says what it wants.
      return Invalid(field.object,
                     "the origin changed, so the stored secret is not kept; send it again "
                     "(or null for none)");
    }
    json::value* holder = update.if_contains(field.object);
    json::object* inner = holder != nullptr ? holder->if_object() : nullptr;
    json::value* secret = inner != nullptr ? inner->if_contains(field.name) : nullptr;
    if (secret == nullptr || !secret->is_string() || secret->as_string() != kRedactedSecret) {
      continue;
    }
    if (kept == nullptr) return Invalid(where, "no stored secret to keep; send the value");
    if (!same_origin) {
      return Invalid(where, "the origin changed, so the stored secret is not kept; send it again");
    }
    *secret = *kept;
  }
  return absl::OkStatus();
}

}  // namespace tollgate::storage
