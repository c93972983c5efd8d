// Tests of client identification for counted limits: CIDRs, IPv6 /64 keys, and forwarding
// headers trusted only from trusted proxies.
#include "http/client_address.h"

#include "gtest/gtest.h"

namespace tollgate::gateway {
namespace {

namespace ip = boost::asio::ip;

std::vector<Cidr> Proxies(std::initializer_list<const char*> texts) {
  std::vector<Cidr> proxies;
  for (const char* text : texts) {
    absl::StatusOr<Cidr> cidr = ParseCidr(text);
    EXPECT_TRUE(cidr.ok()) << text;
    if (cidr.ok()) proxies.push_back(*cidr);
  }
  return proxies;
}

// CIDRs and bare addresses parse; malformed ones are refused.
TEST(ClientAddressTest, ParsesCidrs) {
  EXPECT_TRUE(ParseCidr("10.0.0.0/8").ok());
  EXPECT_TRUE(ParseCidr("::1/128").ok());
  EXPECT_TRUE(ParseCidr("192.168.1.7").ok());
  for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "nonsense", "10.0.0.0/-1", ""}) {
    EXPECT_FALSE(ParseCidr(bad).ok()) << bad;
  }
}

// A CIDR contains the addresses of its prefix only, across IPv4-mapped IPv6 too.
TEST(ClientAddressTest, CidrContains) {
  const Cidr net = *ParseCidr("10.1.0.0/16");
  EXPECT_TRUE(net.Contains(ip::make_address("10.1.200.3")));
  EXPECT_FALSE(net.Contains(ip::make_address("10.2.0.1")));
  EXPECT_TRUE(net.Contains(ip::make_address("::ffff:10.1.0.9")));
  EXPECT_FALSE(net.Contains(ip::make_address("2001:db8::1")));
  const Cidr odd = *ParseCidr("192.168.0.0/23");
  EXPECT_TRUE(odd.Contains(ip::make_address("192.168.1.255")));
  EXPECT_FALSE(odd.Contains(ip::make_address("192.168.2.0")));
}

constexpr ClientHeader kXff = ClientHeader::kXForwardedFor;
constexpr ClientHeader kForwarded = ClientHeader::kForwarded;

// IPv4 keys are the address, IPv6 keys the /64; IPv4-mapped addresses count as IPv4.
TEST(ClientAddressTest, KeysByAddressOrSlash64) {
  EXPECT_EQ(ClientKey(ip::make_address("203.0.113.9"), "", kXff, {}), "203.0.113.9");
  EXPECT_EQ(ClientKey(ip::make_address("2001:db8:1:2:aaaa::1"), "", kXff, {}), "2001:db8:1:2::/64");
  EXPECT_EQ(ClientKey(ip::make_address("2001:db8:1:2:bbbb::9"), "", kXff, {}), "2001:db8:1:2::/64");
  EXPECT_EQ(ClientKey(ip::make_address("::ffff:203.0.113.9"), "", kXff, {}), "203.0.113.9");
}

// Forwarding headers from an untrusted peer are ignored.
TEST(ClientAddressTest, IgnoresHeadersFromUntrustedPeers) {
  EXPECT_EQ(ClientKey(ip::make_address("198.51.100.1"), "203.0.113.9", kXff, {}), "198.51.100.1");
  EXPECT_EQ(ClientKey(ip::make_address("198.51.100.1"), "for=203.0.113.9", kForwarded, {}),
            "198.51.100.1");
}

// Behind a trusted proxy the right-most untrusted X-Forwarded-For address is the client.
TEST(ClientAddressTest, WalksXForwardedForFromTheRight) {
  const std::vector<Cidr> proxies = Proxies({"10.0.0.0/8"});
  EXPECT_EQ(
      ClientKey(ip::make_address("10.0.0.2"), "1.1.1.1, 203.0.113.9, 10.0.0.5", kXff, proxies),
      "203.0.113.9");
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "203.0.113.9", kXff, proxies), "203.0.113.9");
  // Only proxies in the chain: the left-most is as far as it goes.
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "10.0.0.7, 10.0.0.5", kXff, proxies),
            "10.0.0.7");
}

// With --client-header forwarded, RFC 7239's for= names the client, with ports and brackets.
TEST(ClientAddressTest, ReadsForwarded) {
  const std::vector<Cidr> proxies = Proxies({"10.0.0.0/8"});
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"),
                      "for=203.0.113.9:4711;proto=https, For=10.0.0.5", kForwarded, proxies),
            "203.0.113.9");
  EXPECT_EQ(
      ClientKey(ip::make_address("10.0.0.2"), "for=\"[2001:db8:1:2::7]:443\"", kForwarded, proxies),
      "2001:db8:1:2::/64");
}

// When the walk meets an element that names no address, the proxy itself is the client.
TEST(ClientAddressTest, MalformedHeadersFallBackToThePeer) {
  const std::vector<Cidr> proxies = Proxies({"10.0.0.0/8"});
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "203.0.113.9, garbage", kXff, proxies),
            "10.0.0.2");
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "for=_hidden", kForwarded, proxies),
            "10.0.0.2");
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "proto=https", kForwarded, proxies),
            "10.0.0.2");
}

// What a client writes itself stays left of what the trusted proxy appended, so it never
// decides: not a spoofed first element, nor garbage the walk never reaches.
TEST(ClientAddressTest, AClientCannotNameItself) {
  const std::vector<Cidr> proxies = Proxies({"10.0.0.0/8"});
  // The client sent "X-Forwarded-For: 9.9.9.9"; nginx appended the real address.
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "9.9.9.9, 203.0.113.9", kXff, proxies),
            "203.0.113.9");
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "garbage, 203.0.113.9", kXff, proxies),
            "203.0.113.9");
}

// The header names parse in any case; anything else is refused.
TEST(ClientAddressTest, ParsesClientHeaderNames) {
  EXPECT_EQ(ParseClientHeader("X-Forwarded-For").value(), kXff);
  EXPECT_EQ(ParseClientHeader("forwarded").value(), kForwarded);
  EXPECT_FALSE(ParseClientHeader("x-real-ip").ok());
}

}  // namespace
}  // namespace tollgate::gateway
