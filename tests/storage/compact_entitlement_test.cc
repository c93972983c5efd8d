// The instance cache's resting form of a token gives back every field as it was given, absent
// optionals as absent and empty strings as empty; the per-thread expansion cache never hands
// out an expansion of another token.
#include "tollgate/storage/index/compact_entitlement.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "expect_same_entitlement.h"
#include "tollgate/policy/entitlement.h"

namespace tollgate::storage {
namespace {

using policy::Entitlement;

// Every field of `a` and `b` equal, the compiled scopes by identity (they are shared).
void ExpectSame(const Entitlement& a, const Entitlement& b) {
  testing::ExpectSameEntitlement(a, b);
  EXPECT_EQ(a.package_scope, b.package_scope);
  EXPECT_EQ(a.path_scope, b.path_scope);
}

Entitlement EveryFieldSet() {
  Entitlement e;
  e.identifier = "1tl8Yth0Gq80D247-long-enough-for-the-heap";
  e.org = "acme";
  e.repo = "agents";
  e.name = "customer-42 with a name longer than fifteen";
  e.token = "tgAbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
  e.is_active = false;
  e.user = "";  // present and empty is not absent
  e.limit_date_range_from = absl::FromUnixNanos(1'800'000'000'123'456'789);
  e.limit_date_range_to = absl::InfiniteFuture();
  e.limit_num_downloads = 0;  // present and zero is not absent
  e.limit_num_clients = 3;
  e.limit_bandwidth = INT64_MAX;
  e.limit_bandwidth_unit = policy::BandwidthUnit::kGigabyte;
  e.limit_package_query = "name:agent AND version:>=2.0";
  e.limit_path_query = "releases/**";
  e.scheduled_reset_period = policy::ResetPeriod::kQuarterly;
  e.usage_reset_at = absl::InfinitePast();
  e.metadata_json = std::string(R"({"customer_id":42,"note":"ünïcödé)") + '\0' + R"("})";
  e.created_at = absl::FromUnixSeconds(1'750'000'000);
  e.updated_at = absl::FromUnixMicros(1'750'000'000'000'007);
  EXPECT_TRUE(policy::CompileScopes(e).ok());
  return e;
}

TEST(CompactEntitlementTest, EveryFieldComesBack) {
  const Entitlement original = EveryFieldSet();
  const CompactEntitlement compact(original);
  EXPECT_EQ(compact.identifier(), original.identifier);
  EXPECT_EQ(compact.org(), original.org);
  EXPECT_EQ(compact.repo(), original.repo);
  EXPECT_EQ(compact.token(), original.token);
  EXPECT_EQ(compact.created_at(), original.created_at);
  ExpectSame(compact.Expand(), original);
}

TEST(CompactEntitlementTest, AbsentFieldsStayAbsent) {
  Entitlement original;
  original.identifier = "e1";
  original.org = "acme";
  original.repo = "agents";
  original.token = "token-abc-123";
  ExpectSame(CompactEntitlement(original).Expand(), original);
}

TEST(CompactEntitlementTest, MuchSmallerThanAnEntitlement) {
  EXPECT_LT(sizeof(CompactEntitlement), sizeof(Entitlement) / 2);
}

// A token with large strings (metadata) is expanded afresh every time rather than kept in
// every thread's cache.
TEST(CompactEntitlementTest, LargeTokensAreNotCached) {
  Entitlement e;
  e.identifier = "e1";
  e.metadata_json = std::string(kMaxCachedTextBytes, 'x');
  const auto large = std::make_shared<const CompactEntitlement>(e);
  EXPECT_NE(CachedExpansion(large), CachedExpansion(large));
  EXPECT_EQ(CachedExpansion(large)->metadata_json, e.metadata_json);
}

// Many tokens through one thread's cache: each lookup gets its own token's fields, whatever
// slot it shares with others; a replaced token gets its new fields.
TEST(CompactEntitlementTest, ExpansionCacheNeverMixesTokens) {
  std::vector<CompactEntitlementPtr> tokens;
  for (int i = 0; i < 5000; ++i) {
    Entitlement e;
    e.identifier = "e" + std::to_string(i);
    e.token = "token-" + std::to_string(i);
    tokens.push_back(std::make_shared<const CompactEntitlement>(e));
  }
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 5000; ++i) {
      EXPECT_EQ(CachedExpansion(tokens[i])->identifier, "e" + std::to_string(i));
    }
  }
  Entitlement replaced;
  replaced.identifier = "e7";
  replaced.token = "token-7-new";
  tokens[7] = std::make_shared<const CompactEntitlement>(replaced);
  EXPECT_EQ(CachedExpansion(tokens[7])->token, "token-7-new");
  // A token in use is expanded once: the same expansion comes back.
  EXPECT_EQ(CachedExpansion(tokens[7]), CachedExpansion(tokens[7]));
}

}  // namespace
}  // namespace tollgate::storage
