// The origin address rule (--origin-allow): which addresses are refused, in every spelling an
// attacker may choose — IPv4 inside IPv6, glibc's decimal, octal and hex IPv4 forms, names
// that resolve to the host itself.
#include "tollgate/storage/origin_address.h"

#include "await.h"
#include "boost/asio/io_context.hpp"
#include "gtest/gtest.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/origin/pooled_http_origin_client.h"

namespace tollgate::storage {
namespace {

namespace ip = boost::asio::ip;
using testing::Await;

AddressKind KindOf(const char* text) { return ClassifyAddress(ip::make_address(text)); }

OriginAddressRule Allowing(std::initializer_list<const char*> ranges) {
  std::vector<Cidr> allowed;
  for (const char* range : ranges) allowed.push_back(*ParseCidr(range));
  return OriginAddressRule(std::move(allowed));
}

// Every refused range is recognised at its edges, and its neighbours are ordinary.
TEST(OriginAddressTest, ClassifiesIpv4) {
  EXPECT_EQ(KindOf("127.0.0.1"), AddressKind::kLoopback);
  EXPECT_EQ(KindOf("127.255.255.254"), AddressKind::kLoopback);
  EXPECT_EQ(KindOf("0.0.0.0"), AddressKind::kUnspecified);
  EXPECT_EQ(KindOf("0.255.1.2"), AddressKind::kUnspecified);
  EXPECT_EQ(KindOf("169.254.169.254"), AddressKind::kLinkLocal);
  EXPECT_EQ(KindOf("169.254.0.0"), AddressKind::kLinkLocal);
  EXPECT_EQ(KindOf("224.0.0.1"), AddressKind::kMulticast);
  EXPECT_EQ(KindOf("239.255.255.250"), AddressKind::kMulticast);
  EXPECT_EQ(KindOf("100.100.100.200"), AddressKind::kMetadata);
  EXPECT_EQ(KindOf("168.63.129.16"), AddressKind::kMetadata);
  EXPECT_EQ(KindOf("::ffff:168.63.129.16"), AddressKind::kMetadata);
  for (const char* ordinary :
       {"1.0.0.0", "10.0.0.1", "126.255.255.255", "128.0.0.1", "169.253.255.255", "169.255.0.1",
        "172.16.0.1", "192.168.1.1", "223.255.255.255", "240.0.0.1", "8.8.8.8", "100.100.100.201",
        "168.63.129.17"}) {
    EXPECT_EQ(KindOf(ordinary), AddressKind::kOrdinary) << ordinary;
  }
}

// IPv6 ranges, and IPv4 addresses carried in IPv6 (mapped, compatible, NAT64) by their IPv4 kind.
TEST(OriginAddressTest, ClassifiesIpv6AndEmbeddedIpv4) {
  EXPECT_EQ(KindOf("::1"), AddressKind::kLoopback);
  EXPECT_EQ(KindOf("::"), AddressKind::kUnspecified);
  EXPECT_EQ(KindOf("fe80::1"), AddressKind::kLinkLocal);
  EXPECT_EQ(KindOf("febf:ffff::1"), AddressKind::kLinkLocal);
  EXPECT_EQ(KindOf("ff02::1"), AddressKind::kMulticast);
  EXPECT_EQ(KindOf("::ffff:127.0.0.1"), AddressKind::kLoopback);
  EXPECT_EQ(KindOf("::ffff:169.254.169.254"), AddressKind::kLinkLocal);
  EXPECT_EQ(KindOf("::ffff:0.0.0.0"), AddressKind::kUnspecified);
  EXPECT_EQ(KindOf("::ffff:224.0.0.1"), AddressKind::kMulticast);
  EXPECT_EQ(KindOf("::127.0.0.1"), AddressKind::kLoopback);
  EXPECT_EQ(KindOf("64:ff9b::169.254.169.254"), AddressKind::kLinkLocal);
  EXPECT_EQ(KindOf("fd00:ec2::254"), AddressKind::kMetadata);
  for (const char* ordinary :
       {"2001:db8::1", "fd00::1", "fec0::1", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "fe7f::1"}) {
    EXPECT_EQ(KindOf(ordinary), AddressKind::kOrdinary) << ordinary;
  }
}

// Without --origin-allow every special address is refused, naming its kind and the option.
TEST(OriginAddressTest, RuleRefusesSpecialAddressesByDefault) {
  const OriginAddressRule rule;
  const absl::Status refused = rule.Check(ip::make_address("169.254.169.254"));
  EXPECT_TRUE(absl::IsPermissionDenied(refused));
  EXPECT_NE(ToStd(refused.message()).find("link-local"), std::string_view::npos) << refused;
  EXPECT_NE(ToStd(refused.message()).find("--origin-allow"), std::string_view::npos) << refused;
  EXPECT_TRUE(rule.Check(ip::make_address("10.1.2.3")).ok());
  EXPECT_TRUE(rule.Check(ip::make_address("2001:db8::1")).ok());
}

// An allowed range lets its addresses through (the IPv4-mapped form too), and only those.
TEST(OriginAddressTest, AllowedRangesAreExceptions) {
  const OriginAddressRule rule = Allowing({"127.0.0.0/8", "fe80::/64"});
  EXPECT_TRUE(rule.Check(ip::make_address("127.0.0.1")).ok());
  EXPECT_TRUE(rule.Check(ip::make_address("::ffff:127.0.0.2")).ok());
  EXPECT_TRUE(rule.Check(ip::make_address("fe80::1")).ok());
  EXPECT_TRUE(absl::IsPermissionDenied(rule.Check(ip::make_address("169.254.169.254"))));
  EXPECT_TRUE(absl::IsPermissionDenied(rule.Check(ip::make_address("::1"))));
  EXPECT_TRUE(absl::IsPermissionDenied(rule.Check(ip::make_address("fe80:0:0:1::1"))));
  EXPECT_TRUE(absl::IsPermissionDenied(rule.Check(ip::make_address("0.0.0.0"))));
}

// The client checks the addresses a lookup returns, so every spelling of the host itself is
// refused: names, glibc's decimal/hex/octal/short IPv4 forms, IPv4-mapped IPv6.
TEST(OriginAddressTest, LookupRefusesEverySpellingOfLoopback) {
  boost::asio::io_context io;
  PooledHttpOriginClient client{OriginAddressRule()};
  for (const char* host : {"localhost", "127.0.0.1", "2130706433", "0x7f.1", "0177.0.0.1", "127.1",
                           "::ffff:127.0.0.1", "::1", "169.254.169.254", "0.0.0.0", "0xa9fea9fe"}) {
    HttpOriginConfig origin;
    origin.host = host;
    const absl::Status checked = Await(io, client.CheckAddress(origin));
    EXPECT_TRUE(absl::IsPermissionDenied(checked)) << host << ": " << checked;
  }
}

// With the loopback range allowed, the same host passes the check.
TEST(OriginAddressTest, LookupPassesAllowedAddresses) {
  boost::asio::io_context io;
  PooledHttpOriginClient client{Allowing({"127.0.0.0/8"})};
  HttpOriginConfig origin;
  origin.host = "2130706433";
  EXPECT_TRUE(Await(io, client.CheckAddress(origin)).ok());
}

}  // namespace
}  // namespace tollgate::storage
