// The JSON form of an HTTP origin in a repository's `storage` object (SPEC §3): reading and
// validating it, and keeping its secrets out of API answers.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "boost/json/object.hpp"
#include "boost/json/value.hpp"
#include "tollgate/storage/http_origin.h"

namespace tollgate::storage {

// What the API shows instead of a secret, and what an update sends to keep the stored one.
inline constexpr std::string_view kRedactedSecret = "********";

// Reads a `storage` object of type "http":
//   {"type": "http", "url": "http://host[:port]/prefix/",
//    "auth": {"basic": "user:password"} or {"bearer": "token"},
//    "s3": {"region": "…", "access_key": "…", "secret_key": "…"},
//    "connect_timeout": 5, "read_timeout": 30, "max_connections": 64, "max_idle": 16}
// Only `type` and `url` are required. InvalidArgument "storage.<field>: <why>" on an unknown
// field or a bad value; the message never quotes a secret.
absl::StatusOr<HttpOriginConfig> ParseHttpOriginConfig(const boost::json::object& storage);

// ParseHttpOriginConfig of a stored `storage` JSON text. InvalidArgument as it, or when the
// text is not a JSON object.
absl::StatusOr<HttpOriginConfig> LoadHttpOriginConfig(std::string_view storage_json);

// True when a stored `storage` JSON text has type "http". Never fails: unreadable text is not.
bool IsHttpStorage(std::string_view storage_json);

// `storage` with every secret (auth.basic, auth.bearer, s3.secret_key) replaced by
// kRedactedSecret. Anything that is not an http storage object comes back unchanged.
boost::json::value RedactStorageSecrets(boost::json::value storage);

// For an update of a repository's storage: each secret of `update` given as kRedactedSecret
// takes its value from `stored` (the current storage object), but only while the update
// names the same origin — scheme, host, port and path prefix — so a secret is only ever sent
// to the origin it was given for. InvalidArgument naming the field when `stored` has no such
// secret, when the origin changed and a secret is sent as kRedactedSecret, or when the origin
// changed and the update leaves out an object (`auth`, `s3`) whose stored form holds a secret
// (it must be sent again, or null for none).
absl::Status RestoreStorageSecrets(boost::json::object& update, const boost::json::value& stored);

}  // namespace tollgate::storage
