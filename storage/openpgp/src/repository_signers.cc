#include "tollgate/storage/openpgp/repository_signers.h"

#include "absl/time/clock.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/openpgp/ensure_signing_key.h"

namespace tollgate::storage {
namespace {

std::string KeyOf(const Repository& repository) {
  return Concat(repository.org, "/", repository.slug);
}

}  // namespace

RepositorySigners::RepositorySigners(Stores stores, RepositorySignersOptions options)
    : stores_(std::move(stores)), options_(options) {}

RepositorySigners::~RepositorySigners() { thread_.join(); }

RepositorySignerPtr RepositorySigners::Fresh(const Repository& repository, absl::Time now) {
  absl::MutexLock lock(&mu_);
  const auto it = entries_.find(KeyOf(repository));
  if (it == entries_.end() || it->second.repository_created_at != repository.created_at ||
      now - it->second.read_at >= options_.fresh_for) {
    return nullptr;
  }
  return it->second.signer;
}

boost::asio::awaitable<absl::StatusOr<RepositorySignerPtr>> RepositorySigners::SignerOf(
    RepositoryPtr repository) {
  if (RepositorySignerPtr signer = Fresh(*repository, absl::Now())) co_return signer;
  // Named: a temporary of the co_await expression would be destroyed twice (GCC 12).
  std::function<absl::StatusOr<RepositorySignerPtr>()> read = [this, repository] {
    return Read(repository);
  };
  co_return co_await Run(std::move(read));
}

absl::StatusOr<RepositorySignerPtr> RepositorySigners::Read(const RepositoryPtr& repository) {
  // Requests that missed together queue here; the first one's read serves the others.
  if (RepositorySignerPtr signer = Fresh(*repository, absl::Now())) return signer;
  const std::string key = KeyOf(*repository);
  absl::StatusOr<SigningKeyMaterial> material =
      EnsureSigningKey(stores_, repository->org, repository->slug);
  const absl::Time now = absl::Now();
  absl::MutexLock lock(&mu_);
  ForgetUnused(now);
  const auto it = entries_.find(key);
  const bool known =
      it != entries_.end() && it->second.repository_created_at == repository->created_at;
  if (material.ok()) {
    RepositorySignerPtr signer = std::make_shared<const RepositorySigner>(*std::move(material));
    entries_[key] = Entry{repository->created_at, signer, now};
    return signer;
  }
  if (absl::IsNotFound(material.status())) {
    if (it != entries_.end()) entries_.erase(it);
    return material.status();
  }
  // The store could not be read: a key rarely changes, so the last one read signs on, and
  // the store is asked again only after fresh_for rather than by every request.
  if (!known) return material.status();
  it->second.read_at = now;
  return it->second.signer;
}

void RepositorySigners::ForgetUnused(absl::Time now) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (now - it->second.read_at > options_.forget_after) {
      entries_.erase(it++);
    } else {
      ++it;
    }
  }
}

}  // namespace tollgate::storage
