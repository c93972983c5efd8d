// Tests of the org directory document both stores keep: what decodes, what is DataLoss and
// which field the error names, and what a store is handed to write.
#include "tollgate/storage/index/org_directory_codec.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace tollgate::storage {
namespace {

using policy::OrgDirectory;
using policy::OrgRole;

const absl::Time kNow = absl::FromUnixSeconds(1'750'000'000);

// The message of decoding `json` as acme's directory; "" when it decodes.
std::string DecodeError(const std::string& json) {
  absl::StatusOr<OrgDirectory> decoded = DecodeDirectory("acme", 1, json);
  if (decoded.ok()) return "";
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
  return std::string(decoded.status().message());
}

// The smallest valid document with `members` as its members array.
std::string WithMembers(const std::string& members) {
  return R"({"created_at":0,"members":)" + members + R"(,"services":[],"teams":[],"grants":{}})";
}

// An encoded directory decodes to the same values, at the revision given to the decoder.
TEST(OrgDirectoryCodecTest, RoundTrips) {
  OrgDirectory directory;
  directory.org = "acme";
  directory.created_at = kNow;
  directory.max_active_entitlements = 7;
  directory.members.push_back({"alice", OrgRole::kManager, "hash-a", kNow});
  directory.grants["agents"] = {{policy::PrincipalKind::kUser, "alice", policy::Privilege::kWrite}};
  absl::StatusOr<OrgDirectory> decoded = DecodeDirectory("acme", 9, EncodeDirectory(directory));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->org, "acme");
  EXPECT_EQ(decoded->revision, 9u);
  EXPECT_EQ(decoded->max_active_entitlements, 7);
  ASSERT_EQ(decoded->members.size(), 1u);
  EXPECT_EQ(decoded->members[0].role, OrgRole::kManager);
  EXPECT_EQ(decoded->grants, directory.grants);
}

// A null or absent quota is unlimited; fields this version does not know are ignored.
TEST(OrgDirectoryCodecTest, NullQuotaAndUnknownFieldsDecode) {
  absl::StatusOr<OrgDirectory> decoded = DecodeDirectory(
      "acme", 1,
      R"({"created_at":0,"max_active_entitlements":null,"members":[],"services":[],)"
      R"("teams":[],"grants":{},"added_later":true})");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_FALSE(decoded->max_active_entitlements.has_value());
}

// Text that is not a JSON object is DataLoss.
TEST(OrgDirectoryCodecTest, NonObjectIsDataLoss) {
  EXPECT_NE(DecodeError("{not json"), "");
  EXPECT_NE(DecodeError("[]"), "");
}

// The error names the first missing, mistyped or unknown field by its path.
TEST(OrgDirectoryCodecTest, ErrorNamesTheBadField) {
  EXPECT_NE(DecodeError(R"({"members":[],"services":[],"teams":[],"grants":{}})")
                .find("field created_at"),
            std::string::npos);
  EXPECT_NE(
      DecodeError(WithMembers(R"([{"name":"a","role":"owner","key_hash":"h","created_at":0},)"
                              R"({"name":"b","role":"emperor","key_hash":"h2","created_at":0}])"))
          .find("members[1].role"),
      std::string::npos);
  EXPECT_NE(DecodeError(WithMembers(R"([{"name":"a","role":"owner","key_hash":7,"created_at":0}])"))
                .find("members[0].key_hash"),
            std::string::npos);
  EXPECT_NE(DecodeError(R"({"created_at":0,"members":[],"services":[],"grants":{},)"
                        R"("teams":[{"slug":"t","name":"","description":"","created_at":0,)"
                        R"("members":[{"kind":"team","name":"x"}]}]})")
                .find("teams[0].members[0].kind"),
            std::string::npos);
  EXPECT_NE(DecodeError(R"({"created_at":0,"members":[],"services":[],"teams":[],)"
                        R"("grants":{"agents":[{"kind":"user","name":"a","privilege":"none"}]}})")
                .find("grants.agents[0].privilege"),
            std::string::npos);
}

// A store is handed the non-empty key hashes and a copy as readers will decode it.
TEST(OrgDirectoryCodecTest, PrepareGivesKeyHashesAndTheStoredCopy) {
  OrgDirectory directory;
  directory.org = "acme";
  directory.members.push_back({"alice", OrgRole::kOwner, "hash-a", kNow + absl::Nanoseconds(5)});
  directory.members.push_back({"bob", OrgRole::kMember, "", kNow});
  directory.services.push_back({"ci", "CI", "", OrgRole::kMember, "hash-ci", kNow});
  absl::StatusOr<StoredDirectory> stored = PrepareDirectory(directory, 4);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->key_hashes, (std::vector<std::string>{"hash-a", "hash-ci"}));
  EXPECT_EQ(stored->copy->revision, 4u);
  EXPECT_EQ(stored->copy->members[0].created_at, kNow);  // microseconds, as stored
}

// Two accounts of one directory may not share a key hash.
TEST(OrgDirectoryCodecTest, PrepareRefusesASharedKeyHash) {
  OrgDirectory directory;
  directory.org = "acme";
  directory.members.push_back({"alice", OrgRole::kOwner, "hash-a", kNow});
  directory.services.push_back({"ci", "CI", "", OrgRole::kMember, "hash-a", kNow});
  EXPECT_EQ(PrepareDirectory(directory, 1).status().code(), absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace tollgate::storage
