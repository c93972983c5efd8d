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

// IPv4 clients are their address; IPv6 clients their /64.
TEST(ClientAddressTest, KeysByAddressOrSlash64) {
  EXPECT_EQ(ClientKey(ip::make_address("203.0.113.9"), "", "", {}), "203.0.113.9");
  EXPECT_EQ(ClientKey(ip::make_address("2001:db8:1:2:aaaa::1"), "", "", {}), "2001:db8:1:2::/64");
  EXPECT_EQ(ClientKey(ip::make_address("2001:db8:1:2:bbbb::9"), "", "", {}), "2001:db8:1:2::/64");
  EXPECT_EQ(ClientKey(ip::make_address("::ffff:203.0.113.9"), "", "", {}), "203.0.113.9");
}

// Forwarding headers from an untrusted peer are ignored.
TEST(ClientAddressTest, IgnoresHeadersFromUntrustedPeers) {
  EXPECT_EQ(ClientKey(ip::make_address("198.51.100.1"), "203.0.113.9", "for=203.0.113.9", {}),
            "198.51.100.1");
}

// Behind a trusted proxy the right-most untrusted X-Forwarded-For address is the client.
TEST(ClientAddressTest, WalksXForwardedForFromTheRight) {
  const std::vector<Cidr> proxies = Proxies({"10.0.0.0/8"});
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "1.1.1.1, 203.0.113.9, 10.0.0.5", "", proxies),
            "203.0.113.9");
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "203.0.113.9", "", proxies), "203.0.113.9");
  // Only proxies in the chain: the left-most is as far as it goes.
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "10.0.0.7, 10.0.0.5", "", proxies), "10.0.0.7");
}

// The Forwarded header (RFC 7239) wins over X-Forwarded-For, with ports and IPv6 brackets.
TEST(ClientAddressTest, ReadsForwarded) {
  const std::vector<Cidr> proxies = Proxies({"10.0.0.0/8"});
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "9.9.9.9",
                      "for=203.0.113.9:4711;proto=https, For=10.0.0.5", proxies),
            "203.0.113.9");
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "", "for=\"[2001:db8:1:2::7]:443\"", proxies),
            "2001:db8:1:2::/64");
}

// A malformed or obfuscated chain names no client: the proxy itself is the client.
TEST(ClientAddressTest, MalformedHeadersFallBackToThePeer) {
  const std::vector<Cidr> proxies = Proxies({"10.0.0.0/8"});
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "203.0.113.9, garbage", "", proxies),
            "10.0.0.2");
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "", "for=_hidden", proxies), "10.0.0.2");
  EXPECT_EQ(ClientKey(ip::make_address("10.0.0.2"), "", "proto=https", proxies), "10.0.0.2");
}

}  // namespace
}  // namespace tollgate::gateway
