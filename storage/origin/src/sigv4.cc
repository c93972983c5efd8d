// AWS Signature Version 4: canonical request, string to sign, signing key and Authorization
// header, as AWS specifies them ("Create a signed AWS API request"; for S3, the S3 API
// reference, "Signature Calculations for the Authorization Header").
#include "tollgate/storage/origin/sigv4.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "tollgate/base/concat.h"
#include "tollgate/base/text.h"

namespace tollgate::storage {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kScopeTerminator = "aws4_request";
constexpr std::string_view kAmzDateHeader = "x-amz-date";
constexpr std::string_view kContentSha256Header = "x-amz-content-sha256";

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// "%XX" escapes decoded; a '%' without two hex digits after it stays a literal '%'.
std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const bool escape = text[i] == '%' && i + 2 < text.size();
    const int high = escape ? HexValue(text[i + 1]) : -1;
    const int low = high >= 0 ? HexValue(text[i + 2]) : -1;
    if (low < 0) {
      out.push_back(text[i]);
      continue;
    }
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

// Appends `bytes` with every byte outside RFC 3986's unreserved set as "%XX" (upper-case hex).
void AppendPercentEncoded(std::string& out, std::string_view bytes) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  for (char c : bytes) {
    if (IsUnreserved(c)) {
      out.push_back(c);
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0F]);
  }
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

// S3 keys may hold "//", "." and "..", so the path is not normalised; decoding before encoding
// keeps a correctly encoded path unchanged and brings any other to the form S3 computes.
std::string CanonicalS3Uri(std::string_view path) {
  std::string out;
  bool first = true;
  for (std::string_view segment : Split(path, '/')) {
    if (!first) out.push_back('/');
    first = false;
    AppendPercentEncoded(out, PercentDecode(segment));
  }
  if (out.empty() || out.front() != '/') out.insert(out.begin(), '/');
  return out;
}

// Other services: dot segments resolved, empty segments dropped, then each segment encoded once
// more (AWS encodes the already-encoded path a second time for every service but S3).
std::string CanonicalNormalizedUri(std::string_view path) {
  std::vector<std::string_view> kept;
  const std::vector<std::string_view> segments = Split(path, '/');
  for (std::string_view segment : segments) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(segment);
  }
  const std::string_view last = segments.back();
  const bool directory = last.empty() || last == "." || last == "..";
  std::string out;
  for (std::string_view segment : kept) {
    out.push_back('/');
    AppendPercentEncoded(out, segment);
  }
  if (out.empty() || directory) out.push_back('/');
  return out;
}

std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> parameters;
  for (std::string_view parameter : Split(query, '&')) {
    if (parameter.empty()) continue;  // "a=1&&b=2" and a trailing '&' carry no parameter
    const size_t equals = parameter.find('=');
    std::string name;
    std::string value;
    AppendPercentEncoded(name, PercentDecode(parameter.substr(0, equals)));
    if (equals != std::string_view::npos) {
      AppendPercentEncoded(value, PercentDecode(parameter.substr(equals + 1)));
    }
    parameters.emplace_back(std::move(name), std::move(value));
  }
  std::sort(parameters.begin(), parameters.end());
  std::string out;
  for (const auto& [name, value] : parameters) {
    if (!out.empty()) out.push_back('&');
    AppendTo(out, name, '=', value);
  }
  return out;
}

// Trimmed, with each run of spaces and tabs inside as one space.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  bool in_space = false;
  for (char c : TrimWhitespace(value)) {
    const bool space = c == ' ' || c == '\t';
    if (space && in_space) continue;
    out.push_back(space ? ' ' : c);
    in_space = space;
  }
  return out;
}

struct CanonicalHeaders {
  std::string lines;           // "name:value\n" for each distinct name, sorted
  std::string signed_headers;  // "name;name;…"
};

CanonicalHeaders CanonicalizeHeaders(const SigV4Request& request, std::string_view amz_date,
                                     bool is_s3) {
  std::vector<std::pair<std::string, std::string>> headers;
  headers.reserve(request.headers.size() + 2);
  for (const auto& [name, value] : request.headers) {
    std::string lower(name);
    for (char& c : lower) c = ToLowerAscii(c);
    if (lower == kAmzDateHeader || (is_s3 && lower == kContentSha256Header)) continue;
    headers.emplace_back(std::move(lower), CanonicalHeaderValue(value));
  }
  headers.emplace_back(kAmzDateHeader, amz_date);
  if (is_s3) headers.emplace_back(kContentSha256Header, request.payload_hash);
  // Stable: the values of a repeated header are joined in the order they were given.
  std::stable_sort(headers.begin(), headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  CanonicalHeaders out;
  for (size_t i = 0; i < headers.size(); ++i) {
    const bool continues = i > 0 && headers[i].first == headers[i - 1].first;
    if (continues) {
      AppendTo(out.lines, ',', headers[i].second);
    } else {
      if (i > 0) out.lines.push_back('\n');
      if (!out.signed_headers.empty()) out.signed_headers.push_back(';');
      AppendTo(out.lines, headers[i].first, ':', headers[i].second);
      out.signed_headers.append(headers[i].first);
    }
  }
  out.lines.push_back('\n');
  return out;
}

std::string Hex(std::string_view bytes) {
  return absl::BytesToHexString(absl::string_view(bytes.data(), bytes.size()));
}

}  // namespace

std::string FormatAmzDate(absl::Time now) {
  return absl::FormatTime("%Y%m%dT%H%M%SZ", now, absl::UTCTimeZone());
}

SigV4Result SignV4(const SigV4Request& request, const SigV4Credentials& credentials,
                   absl::Time now) {
  const bool is_s3 = credentials.service == "s3";
  SigV4Result result;
  result.amz_date = FormatAmzDate(now);
  const std::string_view date = std::string_view(result.amz_date).substr(0, 8);
  const CanonicalHeaders headers = CanonicalizeHeaders(request, result.amz_date, is_s3);
  result.canonical_request =
      Concat(request.method, '\n',
             is_s3 ? CanonicalS3Uri(request.path) : CanonicalNormalizedUri(request.path), '\n',
             CanonicalQuery(request.query), '\n', headers.lines, '\n', headers.signed_headers, '\n',
             request.payload_hash);
  const std::string scope =
      Concat(date, '/', credentials.region, '/', credentials.service, '/', kScopeTerminator);
  result.string_to_sign = Concat(kAlgorithm, '\n', result.amz_date, '\n', scope, '\n',
                                 Sha256Hex(result.canonical_request));
  std::string key = HmacSha256(Concat("AWS4", credentials.secret_key), date);
  key = HmacSha256(key, credentials.region);
  key = HmacSha256(key, credentials.service);
  key = HmacSha256(key, kScopeTerminator);
  result.authorization = Concat(kAlgorithm, " Credential=", credentials.access_key, '/', scope,
                                ", SignedHeaders=", headers.signed_headers,
                                ", Signature=", Hex(HmacSha256(key, result.string_to_sign)));
  return result;
}

}  // namespace tollgate::storage
