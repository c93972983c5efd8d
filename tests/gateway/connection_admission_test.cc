// ConnectionAdmission: the listener's total and per-client caps, IPv6 /64 grouping, trusted
// proxies, places given back when tickets end, and limits a reload changes while it admits.
#include "edge/connection_admission.h"

#include <vector>

#include "gtest/gtest.h"

namespace tollgate::gateway {
namespace {

using boost::asio::ip::make_address;
using policy::Reason;

ReloadableSettings Limits(int total, int per_client) {
  return ReloadableSettings{.trusted_proxies = {*ParseCidr("10.0.0.1")},
                            .max_connections = total,
                            .max_connections_per_client = per_client};
}

ListenerOptions Caps(int total, int per_client) {
  return ListenerOptions{.settings = std::make_shared<LiveSettings>(Limits(total, per_client)),
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

// A reload's new limits and trusted proxies apply to the next connection.
TEST(ConnectionAdmissionTest, ReloadedLimitsApplyToTheNextConnection) {
  auto settings = std::make_shared<LiveSettings>(Limits(100, 1));
  ConnectionAdmission admission(ListenerOptions{.settings = settings, .tls = nullptr});
  auto first = admission.Admit(make_address("192.0.2.7"));
  ASSERT_FALSE(first.refusal);
  EXPECT_EQ(admission.Admit(make_address("192.0.2.7")).refusal, Reason::kTooManyConnections);
  settings->Apply(Limits(100, 2));
  auto second = admission.Admit(make_address("192.0.2.7"));
  EXPECT_FALSE(second.refusal);
  settings->Apply(Limits(2, 5));
  EXPECT_EQ(admission.Admit(make_address("192.0.2.8")).refusal, Reason::kServerBusy);
  ReloadableSettings trusting = Limits(100, 1);
  trusting.trusted_proxies = {*ParseCidr("192.0.2.0/24")};
  settings->Apply(trusting);
  // Now a trusted proxy: counted only toward the total, and the earlier tickets still give
  // their places back.
  EXPECT_FALSE(admission.Admit(make_address("192.0.2.7")).refusal);
  first.ticket = {};
  second.ticket = {};
  EXPECT_EQ(admission.open(), 0);
}

}  // namespace
}  // namespace tollgate::gateway
