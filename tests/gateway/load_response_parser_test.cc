// The load generator's response parser: framing by Content-Length, chunked and close; the
// fields it keeps; byte-by-byte feeding; and the limits that make hostile answers errors.
#include <string>

#include "gtest/gtest.h"
#include "load/response_parser.h"

namespace tollgate::gateway::load {
namespace {

// Feeds `bytes` in pieces of `step` bytes, as reads would deliver them (keeping what the
// parser did not consume), and returns how many bytes were consumed in all.
size_t Feed(ResponseParser& parser, const std::string& bytes, size_t step) {
  std::string pending;
  size_t consumed = 0;
  for (size_t at = 0; at < bytes.size() && !parser.done() && !parser.failed(); at += step) {
    pending += bytes.substr(at, step);
    const size_t used = parser.Parse(pending.data(), pending.size());
    consumed += used;
    pending.erase(0, used);
  }
  return consumed;
}

// Content-Length framing; the reason header is kept; bytes after the response stay unconsumed.
TEST(ResponseParserTest, ContentLength) {
  const std::string response =
      "HTTP/1.1 403 Forbidden\r\nX-Tollgate-Reason: download_limit_reached\r\n"
      "content-length: 5\r\n\r\nhello";
  ResponseParser parser;
  parser.Reset();
  const std::string with_next = response + "HTTP/1.1";
  EXPECT_EQ(parser.Parse(with_next.data(), with_next.size()), response.size());
  EXPECT_TRUE(parser.done());
  EXPECT_EQ(parser.status(), 403);
  EXPECT_EQ(parser.reason(), "download_limit_reached");
  EXPECT_TRUE(parser.keep_alive());
  EXPECT_EQ(parser.body_bytes(), 5u);
}

// The same response fed one byte at a time parses the same.
TEST(ResponseParserTest, ByteByByte) {
  const std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
  ResponseParser parser;
  parser.Reset();
  EXPECT_EQ(Feed(parser, response, 1), response.size());
  EXPECT_TRUE(parser.done());
  EXPECT_EQ(parser.status(), 200);
  EXPECT_EQ(parser.reason(), "");
}

// Chunked bodies with extensions and trailers, fed in odd pieces.
TEST(ResponseParserTest, Chunked) {
  const std::string response =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "4;name=x\r\nabcd\r\nA\r\n0123456789\r\n0\r\nX-Checksum: 1\r\n\r\n";
  for (size_t step : {1, 3, 7, 1000}) {
    ResponseParser parser;
    parser.Reset();
    EXPECT_EQ(Feed(parser, response, step), response.size()) << step;
    EXPECT_TRUE(parser.done()) << step;
    EXPECT_EQ(parser.body_bytes(), 14u);
  }
}

// A body of 20,000 one-byte chunks (more chunk lines than the head may have bytes) is a
// response like any other: only the head and the trailers count against the head's limit.
TEST(ResponseParserTest, ManySmallChunksAreNotAHead) {
  std::string response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20000; ++i) response += "1\r\nx\r\n";
  response += "0\r\n\r\n";
  ResponseParser parser;
  parser.Reset();
  EXPECT_EQ(Feed(parser, response, 4096), response.size());
  EXPECT_TRUE(parser.done());
  EXPECT_FALSE(parser.failed());
  EXPECT_EQ(parser.body_bytes(), 20000u);
}

// Connection: close, HTTP/1.0 defaults, and a body that runs until the connection closes.
TEST(ResponseParserTest, ConnectionEnds) {
  ResponseParser parser;
  parser.Reset();
  std::string r = "HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n";
  parser.Parse(r.data(), r.size());
  EXPECT_TRUE(parser.done());
  EXPECT_FALSE(parser.keep_alive());

  parser.Reset();
  r = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n";
  parser.Parse(r.data(), r.size());
  EXPECT_FALSE(parser.keep_alive());

  parser.Reset();
  r = "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n";
  parser.Parse(r.data(), r.size());
  EXPECT_TRUE(parser.keep_alive());

  parser.Reset();
  r = "HTTP/1.1 200 OK\r\n\r\nsome body";
  EXPECT_EQ(parser.Parse(r.data(), r.size()), r.size());
  EXPECT_FALSE(parser.done());
  parser.Eof();
  EXPECT_TRUE(parser.done());
  EXPECT_FALSE(parser.keep_alive());
  EXPECT_EQ(parser.body_bytes(), 9u);
}

// 204, 304 and answers to HEAD have no body; 100 Continue is skipped.
TEST(ResponseParserTest, NoBodyAndInterim) {
  ResponseParser parser;
  parser.Reset();
  std::string r = "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n";
  EXPECT_EQ(parser.Parse(r.data(), r.size()), r.size());
  EXPECT_TRUE(parser.done());

  parser.Reset(/*head_only=*/true);
  r = "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n";
  parser.Parse(r.data(), r.size());
  EXPECT_TRUE(parser.done());

  parser.Reset();
  r = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
  EXPECT_EQ(parser.Parse(r.data(), r.size()), r.size());
  EXPECT_TRUE(parser.done());
  EXPECT_EQ(parser.status(), 201);
}

// Malformed or hostile answers fail, each with a reason, and never read beyond the limits.
TEST(ResponseParserTest, HostileAnswersFail) {
  const std::string cases[] = {
      "HTTP/2 200 OK\r\n\r\n",
      "HTTP/1.1 2000 OK\r\n\r\n",
      "HTTP/1.1 099 Low\r\n\r\n",
      "SSH-2.0-OpenSSH\r\n\r\n",
      "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1099511627777\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY\r\n",
      "HTTP/1.1 101 Switching Protocols\r\n\r\n",
      "HTTP/1.1 200 OK\r\n folded\r\n\r\n",
  };
  for (const std::string& r : cases) {
    ResponseParser parser;
    parser.Reset();
    parser.Parse(r.data(), r.size());
    EXPECT_TRUE(parser.failed()) << r;
    EXPECT_STRNE(parser.error(), "") << r;
  }
}

// A line longer than kMaxLineBytes fails even before its end arrives.
TEST(ResponseParserTest, OverlongLineFails) {
  ResponseParser parser;
  parser.Reset();
  const std::string r =
      "HTTP/1.1 200 OK\r\nX-Long: " + std::string(ResponseParser::kMaxLineBytes, 'a');
  parser.Parse(r.data(), r.size());
  EXPECT_TRUE(parser.failed());
}

// Many short header lines beyond kMaxHeadBytes fail.
TEST(ResponseParserTest, EndlessHeadFails) {
  ResponseParser parser;
  parser.Reset();
  std::string r = "HTTP/1.1 200 OK\r\n";
  while (r.size() <= ResponseParser::kMaxHeadBytes) r += "X-A: b\r\n";
  EXPECT_LE(Feed(parser, r, 4096), r.size());
  EXPECT_TRUE(parser.failed());
}

// Closing in the middle of a Content-Length body fails.
TEST(ResponseParserTest, EarlyCloseFails) {
  ResponseParser parser;
  parser.Reset();
  const std::string r = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc";
  parser.Parse(r.data(), r.size());
  parser.Eof();
  EXPECT_TRUE(parser.failed());
}

// Reason values are cut and cleaned: no control bytes reach a terminal or a report.
TEST(ResponseParserTest, ReasonIsCleaned) {
  ResponseParser parser;
  parser.Reset();
  const std::string r = "HTTP/1.1 403 No\r\nX-Tollgate-Reason: a\x1b[2Jb" + std::string(100, 'z') +
                        "\r\nContent-Length: 0\r\n\r\n";
  parser.Parse(r.data(), r.size());
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.reason().size(), ResponseParser::kMaxReasonBytes);
  EXPECT_EQ(parser.reason().substr(0, 4), "a?[2");
}

}  // namespace
}  // namespace tollgate::gateway::load
