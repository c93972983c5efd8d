// The signers the download path awaits, on both stores: a repository's key read (or made)
// once and kept in memory, read again after fresh_for so a replaced key signs within that
// bound and a repository created again read at once.
#include "tollgate/storage/openpgp/repository_signers.h"

#include <gtest/gtest.h>

#include "await.h"
#include "store_environments.h"
#include "tollgate/storage/openpgp/openpgp_key.h"

namespace tollgate::storage {
namespace {

using ::tollgate::testing::Await;

class RepositorySignersTest : public ::testing::TestWithParam<testing::StoreFactory> {
 protected:
  void SetUp() override {
    environment_ = GetParam().make();
    absl::StatusOr<Stores> opened = environment_->Open();
    ASSERT_TRUE(opened.ok()) << opened.status();
    stores_ = *std::move(opened);
    ASSERT_TRUE(stores_.accounts->CreateOrg("acme", absl::Now()).ok());
    CreateRepository(absl::FromUnixSeconds(1'750'000'000));
  }

  void CreateRepository(absl::Time created_at) {
    Repository repository;
    repository.org = "acme";
    repository.slug = "agents";
    repository.name = "agents";
    repository.created_at = created_at;
    ASSERT_TRUE(stores_.repositories->Create(repository).ok());
    repository_ = stores_.repositories->Get("acme", "agents");
  }

  absl::StatusOr<RepositorySignerPtr> SignerOf(RepositorySigners& signers) {
    return Await(io_, signers.SignerOf(repository_));
  }

  std::string StoredFingerprint() {
    absl::StatusOr<SigningKeyMaterial> key = stores_.signing_keys->Get("acme", "agents");
    EXPECT_TRUE(key.ok()) << key.status();
    return key.ok() ? key->fingerprint : "";
  }

  // Replaces the repository's key in the store, as PUT …/signing-key/ does.
  std::string ReplaceKey() {
    absl::StatusOr<SigningKeyMaterial> key =
        GenerateSigningKey("replacement <noreply@tollgate.invalid>");
    EXPECT_TRUE(key.ok()) << key.status();
    EXPECT_TRUE(stores_.signing_keys->Put("acme", "agents", *key).ok());
    return key->fingerprint;
  }

  std::unique_ptr<testing::StoreEnvironment> environment_;
  Stores stores_;
  RepositoryPtr repository_;
  boost::asio::io_context io_;
};

// A repository without a key gets one, stored, and the signer signs with it.
TEST_P(RepositorySignersTest, KeyIsMadeWhenTheRepositoryHasNone) {
  RepositorySigners signers(stores_);
  absl::StatusOr<RepositorySignerPtr> signer = SignerOf(signers);
  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_EQ((*signer)->fingerprint(), StoredFingerprint());
  EXPECT_TRUE((*signer)->ClearSign("Date: x\n").ok());
}

// Within fresh_for the key in memory signs, without a read: the same signer object.
TEST_P(RepositorySignersTest, KeyIsKeptInMemoryWhileFresh) {
  RepositorySigners signers(stores_, {.fresh_for = absl::Hours(1)});
  absl::StatusOr<RepositorySignerPtr> first = SignerOf(signers);
  ASSERT_TRUE(first.ok()) << first.status();
  ReplaceKey();
  absl::StatusOr<RepositorySignerPtr> second = SignerOf(signers);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first->get(), second->get());
}

// After fresh_for, a key replaced in the store is the one that signs.
TEST_P(RepositorySignersTest, ReplacedKeySignsAfterFreshFor) {
  RepositorySigners signers(stores_, {.fresh_for = absl::ZeroDuration()});
  ASSERT_TRUE(SignerOf(signers).ok());
  const std::string replacement = ReplaceKey();
  absl::StatusOr<RepositorySignerPtr> signer = SignerOf(signers);
  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_EQ((*signer)->fingerprint(), replacement);
}

// A repository deleted and created again under its name is another repository: its own key
// signs at once, however fresh the old one is.
TEST_P(RepositorySignersTest, RepositoryCreatedAgainIsReadAtOnce) {
  RepositorySigners signers(stores_, {.fresh_for = absl::Hours(1)});
  absl::StatusOr<RepositorySignerPtr> old = SignerOf(signers);
  ASSERT_TRUE(old.ok()) << old.status();
  ASSERT_TRUE(stores_.repositories->Delete("acme", "agents").ok());
  CreateRepository(absl::FromUnixSeconds(1'760'000'000));
  absl::StatusOr<RepositorySignerPtr> signer = SignerOf(signers);
  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_NE((*signer)->fingerprint(), (*old)->fingerprint());
  EXPECT_EQ((*signer)->fingerprint(), StoredFingerprint());
}

TEST_P(RepositorySignersTest, DeletedRepositoryIsNotFound) {
  RepositorySigners signers(stores_, {.fresh_for = absl::ZeroDuration()});
  ASSERT_TRUE(SignerOf(signers).ok());
  ASSERT_TRUE(stores_.repositories->Delete("acme", "agents").ok());
  EXPECT_TRUE(absl::IsNotFound(SignerOf(signers).status()));
}

INSTANTIATE_TEST_SUITE_P(BothStores, RepositorySignersTest, testing::AllStoreFactories(),
                         testing::StoreFactoryName);

}  // namespace
}  // namespace tollgate::storage
