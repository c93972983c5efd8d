// The header of a download response: a status and a short list of fields, kept in storage
// that is reused from one keep-alive request to the next, so building and serialising a
// header allocates nothing once a connection has warmed up.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "boost/beast/http/status.hpp"  // needs <ostream>, which it does not include

namespace tollgate::gateway {

class ResponseHead {
 public:
  // Back to an empty 200 with no fields and no framing; keeps the fields' storage.
  void Reset();

  boost::beast::http::status status() const { return status_; }
  unsigned status_int() const { return static_cast<unsigned>(status_); }
  void set_status(boost::beast::http::status status) { status_ = status; }

  // Framing: a Content-Length, or chunked transfer coding, or neither (the body ends when
  // the connection closes). Setting one clears the other.
  std::optional<uint64_t> content_length() const { return content_length_; }
  void set_content_length(uint64_t length) {
    content_length_ = length;
    chunked_ = false;
  }
  bool chunked() const { return chunked_; }
  void set_chunked() {
    chunked_ = true;
    content_length_.reset();
  }

  // Sets field `name` to `value`, replacing an earlier value of the same name (ASCII case
  // ignored). Framing fields (Content-Length, Transfer-Encoding, Connection) are not set here.
  // A name or value containing CR, LF or NUL is not set at all.
  void Set(std::string_view name, std::string_view value);
  // The value of `name`, or "" when absent.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;

  // Writes the status line, the fields, `Date: {date}`, the framing and Connection into
  // `out` (replacing its content), ending with the empty line.
  void Serialize(unsigned version, bool keep_alive, std::string_view date, std::string& out) const;

 private:
  struct Field {
    std::string name;
    std::string value;
  };
  boost::beast::http::status status_ = boost::beast::http::status::ok;
  std::optional<uint64_t> content_length_;
  bool chunked_ = false;
  std::vector<Field> fields_;  // [0, used_) are live; the rest keep their storage for reuse
  size_t used_ = 0;
};

}  // namespace tollgate::gateway
