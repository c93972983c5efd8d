// Tests of the entitlement update loop on the embedded store: lost races are redone on the
// current token, endless ones give up, and every write moves updated_at forward.
#include "admin/entitlement_update.h"

#include <string>

#include "gtest/gtest.h"
#include "temp_dir.h"
#include "tollgate/storage/embedded/embedded_stores.h"
#include "tollgate/storage/stores.h"

namespace tollgate::gateway::admin {
namespace {

using policy::Entitlement;

const absl::Time kNow = absl::FromUnixSeconds(1'750'000'000);

// Org acme with repository agents and its token e1 ("token-old-111"), written at kNow.
class EntitlementUpdateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<storage::Stores> opened = storage::OpenEmbeddedStores(dir_.path() / "data");
    ASSERT_TRUE(opened.ok()) << opened.status();
    stores_ = *std::move(opened);
    ASSERT_TRUE(stores_.accounts->CreateOrg("acme", kNow).ok());
    storage::Repository agents;
    agents.org = "acme";
    agents.slug = "agents";
    agents.name = "agents";
    agents.created_at = kNow;
    ASSERT_TRUE(stores_.repositories->Create(agents).ok());
    Entitlement token;
    token.identifier = "e1";
    token.org = "acme";
    token.repo = "agents";
    token.name = "e1";
    token.token = "token-old-111";
    token.created_at = token.updated_at = kNow;
    ASSERT_TRUE(stores_.entitlements->Create(token).ok());
  }

  // Another writer's refresh of `read` to `token`, one second after it.
  void RefreshBehindTheLoop(const Entitlement& read, const std::string& token) {
    Entitlement refreshed = read;
    refreshed.token = token;
    refreshed.updated_at = read.updated_at + absl::Seconds(1);
    ASSERT_TRUE(stores_.entitlements->Update(refreshed, read.updated_at).ok());
  }

  absl::StatusOr<UpdatedEntitlement> Rename(absl::Time now, const EntitlementChange& before) {
    return UpdateEntitlement(*stores_.entitlements, "acme", "agents", "e1", now,
                             [&](Entitlement& entitlement) {
                               if (absl::Status s = before(entitlement); !s.ok()) return s;
                               entitlement.name = "renamed";
                               return absl::OkStatus();
                             });
  }

  storage::testing::TempDir dir_;
  storage::Stores stores_;
};

// A change that lost a race to a refresh is applied again to the refreshed token: both stay.
TEST_F(EntitlementUpdateTest, LostRaceIsRedoneOnTheCurrentToken) {
  int runs = 0;
  absl::StatusOr<UpdatedEntitlement> updated =
      Rename(kNow + absl::Minutes(1), [&](const Entitlement& read) {
        if (++runs == 1) RefreshBehindTheLoop(read, "token-new-222");
        return absl::OkStatus();
      });
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(updated->before.token, "token-new-222");
  const storage::EntitlementPtr stored = stores_.entitlements->Get("acme", "agents", "e1");
  EXPECT_EQ(stored->name, "renamed");
  EXPECT_EQ(stored->token, "token-new-222");
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "token-old-111"), nullptr);
}

// A token that changes under every attempt gives Unavailable, and the change is not stored.
TEST_F(EntitlementUpdateTest, EndlessRacesGiveUp) {
  int runs = 0;
  absl::StatusOr<UpdatedEntitlement> updated =
      Rename(kNow + absl::Minutes(1), [&](const Entitlement& read) {
        RefreshBehindTheLoop(read, "token-run-" + std::to_string(++runs));
        return absl::OkStatus();
      });
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_GT(runs, 1);
  EXPECT_EQ(stores_.entitlements->Get("acme", "agents", "e1")->name, "e1");
}

// A change's error abandons the update and comes back unchanged.
TEST_F(EntitlementUpdateTest, ChangeErrorIsReturned) {
  absl::StatusOr<UpdatedEntitlement> updated = Rename(kNow + absl::Minutes(1), [](Entitlement&) {
    return absl::InvalidArgumentError("name: refused by test");
  });
  EXPECT_EQ(updated.status(), absl::InvalidArgumentError("name: refused by test"));
  EXPECT_EQ(stores_.entitlements->Get("acme", "agents", "e1")->name, "e1");
}

// A clock behind the token's last write still dates the update after it.
TEST_F(EntitlementUpdateTest, UpdatedAtMovesPastAClockThatIsBehind) {
  absl::StatusOr<UpdatedEntitlement> updated =
      Rename(kNow - absl::Hours(1), [](Entitlement&) { return absl::OkStatus(); });
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->after.updated_at, kNow + absl::Microseconds(1));
  EXPECT_EQ(stores_.entitlements->Get("acme", "agents", "e1")->updated_at,
            kNow + absl::Microseconds(1));
}

// A token that does not exist is NotFound.
TEST_F(EntitlementUpdateTest, MissingTokenIsNotFound) {
  absl::StatusOr<UpdatedEntitlement> updated =
      UpdateEntitlement(*stores_.entitlements, "acme", "agents", "nope", kNow,
                        [](Entitlement&) { return absl::OkStatus(); });
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace tollgate::gateway::admin
