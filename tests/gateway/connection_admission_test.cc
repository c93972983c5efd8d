// ConnectionAdmission: the listener's total and per-client caps, IPv6 /64 grouping, trusted
// proxies, and places given back when tickets end.
#include "edge/connection_admission.h"

#include <vector>

#include "gtest/gtest.h"

namespace tollgate::gateway {
namespace {

using boost::asio::ip::make_address;
using policy::Reason;

ListenerOptions Caps(int total, int per_client) {
  return ListenerOptions{.max_connections = total,
                         .max_connections_per_client = per_client,
                         .trusted_proxies = {*ParseCidr("10.0.0.1")},
                         .tls = nullptr};
}

TEST(ConnectionAdmissionTest, RefusesAClientBeyondItsShareOnly) {
  ConnectionAdmission admission(Caps(100, 2));
  std::vector<ConnectionAdmission::Ticket> held;
  for (int i = 0; i < 2; ++i) {
    auto decision = admission.Admit(make_address("192.0.2.7"));
    ASSERT_FALSE(decision.refusal);
    held.push_back(std::move(decision.ticket));
  }
  EXPECT_EQ(admission.Admit(make_address("192.0.2.7")).refusal, Reason::kTooManyConnections);
  EXPECT_EQ(admission.Admit(make_address("::ffff:192.0.2.7")).refusal, Reason::kTooManyConnections);
  EXPECT_FALSE(admission.Admit(make_address("192.0.2.8")).refusal);
  held.pop_back();
  EXPECT_FALSE(admission.Admit(make_address("192.0.2.7")).refusal);
  EXPECT_EQ(admission.open(), 1);
}

TEST(ConnectionAdmissionTest, OneIpv6SlashSixtyFourIsOneClient) {
  ConnectionAdmission admission(Caps(100, 1));
  auto first = admission.Admit(make_address("2001:db8:1:2::1"));
  ASSERT_FALSE(first.refusal);
  EXPECT_EQ(admission.Admit(make_address("2001:db8:1:2:ffff::9")).refusal,
            Reason::kTooManyConnections);
  EXPECT_FALSE(admission.Admit(make_address("2001:db8:1:3::1")).refusal);
}

TEST(ConnectionAdmissionTest, FullListenerRefusesEveryoneUntilAPlaceFrees) {
  ConnectionAdmission admission(Caps(2, 5));
  auto a = admission.Admit(make_address("192.0.2.1"));
  auto b = admission.Admit(make_address("192.0.2.2"));
  EXPECT_EQ(admission.Admit(make_address("192.0.2.3")).refusal, Reason::kServerBusy);
  EXPECT_EQ(admission.Admit(make_address("10.0.0.1")).refusal, Reason::kServerBusy);
  a.ticket = {};
  EXPECT_FALSE(admission.Admit(make_address("192.0.2.3")).refusal);
}

TEST(ConnectionAdmissionTest, TrustedProxyCountsOnlyTowardTheTotal) {
  ConnectionAdmission admission(Caps(100, 1));
  std::vector<ConnectionAdmission::Ticket> held;
  for (int i = 0; i < 5; ++i) {
    auto decision = admission.Admit(make_address("10.0.0.1"));
    ASSERT_FALSE(decision.refusal) << i;
    held.push_back(std::move(decision.ticket));
  }
  EXPECT_EQ(admission.open(), 5);
  held.clear();
  EXPECT_EQ(admission.open(), 0);
}

TEST(ConnectionAdmissionTest, MovedTicketGivesItsPlaceBackOnce) {
  ConnectionAdmission admission(Caps(100, 1));
  {
    auto decision = admission.Admit(make_address("192.0.2.7"));
    ConnectionAdmission::Ticket moved = std::move(decision.ticket);
    ConnectionAdmission::Ticket again;
    again = std::move(moved);
    EXPECT_EQ(admission.open(), 1);
  }
  EXPECT_EQ(admission.open(), 0);
  EXPECT_FALSE(admission.Admit(make_address("192.0.2.7")).refusal);
}

}  // namespace
}  // namespace tollgate::gateway
