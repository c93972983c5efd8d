// SigningKeyStore on Redis. Like the artifact catalog it keeps no replica: reading Redis on
// every call keeps every instance current, and no instance holds the secret longer than a call.
#pragma once

#include <string>

#include "redis_script.h"
#include "redis_store_context.h"
#include "tollgate/storage/signing_key_store.h"

namespace tollgate::storage {

class RedisSigningKeyStore final : public SigningKeyStore {
 public:
  explicit RedisSigningKeyStore(RedisStoreContext& context);

  // Unavailable or DeadlineExceeded when Redis cannot be read; DataLoss when the stored hash
  // lacks a field.
  absl::StatusOr<SigningKeyMaterial> Get(const std::string& org,
                                         const std::string& repo) const override;
  absl::Status Put(const std::string& org, const std::string& repo,
                   const SigningKeyMaterial& material) override;
  // One script: two instances that race both answer the key the first one stored.
  absl::StatusOr<SigningKeyMaterial> PutIfAbsent(const std::string& org, const std::string& repo,
                                                 const SigningKeyMaterial& material) override;

 private:
  // Put when `replace`, PutIfAbsent otherwise.
  absl::StatusOr<SigningKeyMaterial> Write(const std::string& org, const std::string& repo,
                                           const SigningKeyMaterial& material, bool replace);

  RedisStoreContext& context_;
  const RedisScript put_script_;
};

}  // namespace tollgate::storage
