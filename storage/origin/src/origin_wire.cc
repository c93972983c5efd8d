// Request headers towards an origin. Client credentials never get here: the gateway passes
// only the headers it chose, and the origin's own credentials are added here.
#include "origin_wire.h"

#include "tollgate/base/concat.h"
#include "tollgate/storage/origin/sigv4.h"
#include "tollgate/storage/sha256.h"

namespace tollgate::storage {

std::string OriginAuthority(const HttpOriginConfig& origin, bool always_port) {
  std::string authority =
      origin.host.find(':') != std::string::npos ? Concat("[", origin.host, "]") : origin.host;
  if (always_port || origin.port != 80) AppendTo(authority, ":", origin.port);
  return authority;
}

std::string EncodeArtifactPath(std::string_view path) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(path.size());
  for (const char c : path) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' || c == '/';
    if (unreserved) {
      encoded.push_back(c);
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    encoded.push_back('%');
    encoded.push_back(kHex[byte >> 4]);
    encoded.push_back(kHex[byte & 0xf]);
  }
  return encoded;
}

std::string OriginRequestHeader(const HttpOriginConfig& origin, const OriginRequest& request,
                                absl::Time now) {
  const std::string target = Concat(origin.base_path, EncodeArtifactPath(request.path));
  const std::string authority = OriginAuthority(origin, false);
  std::string header = Concat(request.method, " ", target, " HTTP/1.1\r\n");
  AppendTo(header, "Host: ", authority, "\r\n", "User-Agent: tollgate\r\n");
  if (origin.s3) {
    // A streamed upload is signed without its body's hash unless the client gave one (then
    // S3 verifies the body against it); requests without a body sign the empty hash.
    std::string payload_hash = request.method != "PUT"          ? Sha256Hex("")
                               : request.payload_sha256.empty() ? "UNSIGNED-PAYLOAD"
                                                                : request.payload_sha256;
    const SigV4Request unsigned_request{
        request.method, target, "", {{"host", authority}}, payload_hash};
    const SigV4Result signature = SignV4(
        unsigned_request,
        SigV4Credentials{origin.s3->access_key, origin.s3->secret_key, origin.s3->region}, now);
    AppendTo(header, "Authorization: ", signature.authorization, "\r\n",
             "x-amz-date: ", signature.amz_date, "\r\n", "x-amz-content-sha256: ", payload_hash,
             "\r\n");
  } else if (!origin.authorization.empty()) {
    AppendTo(header, "Authorization: ", origin.authorization, "\r\n");
  }
  for (const auto& [name, value] : request.headers) AppendTo(header, name, ": ", value, "\r\n");
  if (request.method == "PUT") AppendTo(header, "Content-Length: ", request.body_length, "\r\n");
  header += "\r\n";
  return header;
}

}  // namespace tollgate::storage
