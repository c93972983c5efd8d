// Tests of ResponseHead: field storage reuse and the exact wire form.
#include "http/response_head.h"

#include <string>

#include "gtest/gtest.h"

namespace tollgate::gateway {
namespace {

namespace http = boost::beast::http;

// An HTTP/1.1 keep-alive answer: status line, fields in order, Date, Content-Length.
TEST(ResponseHeadTest, SerialisesKeepAliveHttp11) {
  ResponseHead head;
  head.Set("ETag", "\"1-2\"");
  head.set_content_length(42);
  std::string wire;
  head.Serialize(11, true, "Sun, 06 Nov 1994 08:49:37 GMT", wire);
  EXPECT_EQ(wire,
            "HTTP/1.1 200 OK\r\nETag: \"1-2\"\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Length: 42\r\n\r\n");
}

// HTTP/1.1 closing says so; HTTP/1.0 keeping alive says so; chunked framing is named.
TEST(ResponseHeadTest, SerialisesConnectionAndFraming) {
  ResponseHead head;
  head.set_status(http::status::partial_content);
  head.set_chunked();
  std::string wire;
  head.Serialize(11, false, "D", wire);
  EXPECT_EQ(wire,
            "HTTP/1.1 206 Partial Content\r\nDate: D\r\nTransfer-Encoding: chunked\r\n"
            "Connection: close\r\n\r\n");
  head.set_content_length(0);
  head.Serialize(10, true, "D", wire);
  EXPECT_EQ(wire,
            "HTTP/1.0 206 Partial Content\r\nDate: D\r\nContent-Length: 0\r\n"
            "Connection: keep-alive\r\n\r\n");
}

// Set replaces a field of the same name whatever its case; Get and Has ignore case too.
TEST(ResponseHeadTest, SetReplacesIgnoringCase) {
  ResponseHead head;
  head.Set("Content-Type", "text/plain");
  head.Set("content-type", "application/json");
  EXPECT_EQ(head.Get("CONTENT-TYPE"), "application/json");
  EXPECT_TRUE(head.Has("content-TYPE"));
  std::string wire;
  head.Serialize(11, true, "D", wire);
  EXPECT_EQ(wire, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: D\r\n\r\n");
}

// A name or value carrying CR, LF or NUL would end the field early and inject another: the
// field is left out, wherever the character is.
TEST(ResponseHeadTest, LeavesOutFieldsThatWouldBreakTheHeader) {
  ResponseHead head;
  head.Set("X-Ok", "plain");
  head.Set("X-Value", "a\r\nSet-Cookie: x=1");
  head.Set("X-Tail", "ends with LF\n");
  head.Set("X-Nul", std::string_view("a\0b", 3));
  head.Set(std::string_view("\rX-Name", 7), "v");
  head.Set("X-Name\n", "v");
  std::string wire;
  head.Serialize(11, true, "D", wire);
  EXPECT_EQ(wire, "HTTP/1.1 200 OK\r\nX-Ok: plain\r\nDate: D\r\n\r\n");
}

// Reset leaves an empty 200 without fields or framing.
TEST(ResponseHeadTest, ResetForgetsEverything) {
  ResponseHead head;
  head.set_status(http::status::not_found);
  head.Set("X-Tollgate-Reason", "not_found");
  head.set_content_length(7);
  head.Reset();
  EXPECT_EQ(head.status_int(), 200u);
  EXPECT_FALSE(head.Has("X-Tollgate-Reason"));
  EXPECT_FALSE(head.content_length().has_value());
  EXPECT_FALSE(head.chunked());
}

}  // namespace
}  // namespace tollgate::gateway
