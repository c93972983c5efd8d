// The signers of the repositories the signing views are asked about, in memory, and the thread
// their keys are read on. Reading a key blocks on the store (SQLite, or the synchronous Redis
// client), so it may not run on a download loop: it runs on this object's own thread, and a
// download coroutine awaits it. The signers themselves are thread-safe and sign wherever the
// views are rendered.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/thread_pool.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "tollgate/storage/openpgp/repository_signer.h"
#include "tollgate/storage/repository_store.h"
#include "tollgate/storage/stores.h"

namespace tollgate::storage {

using RepositorySignerPtr = std::shared_ptr<const RepositorySigner>;

struct RepositorySignersOptions {
  // How long a key read from the store signs before the store is asked again: the bound on
  // how long a key replaced with PUT …/signing-key/ (through any instance) goes on signing
  // here. A repository deleted and created again is another repository at once.
  absl::Duration fresh_for = absl::Seconds(5);
  // A key not read for this long (its repository's signed views not asked for) is dropped
  // from memory at the next read of any key: secret keys stay in memory only while in use.
  absl::Duration forget_after = absl::Minutes(10);
};

class RepositorySigners {
 public:
  explicit RepositorySigners(Stores stores, RepositorySignersOptions options = {});
  RepositorySigners(const RepositorySigners&) = delete;
  RepositorySigners& operator=(const RepositorySigners&) = delete;
  ~RepositorySigners();  // stops the thread, after the work queued on it

  // The signer of `repository`: from memory when its key was read within fresh_for, else
  // read — or made, for a repository that has none (EnsureSigningKey) — on this object's
  // thread. Completes on the caller's executor. When the store cannot be read, the key read
  // last goes on signing (and the store is asked again after fresh_for); without one, the
  // store's error (Unavailable). NotFound when the repository no longer exists.
  boost::asio::awaitable<absl::StatusOr<RepositorySignerPtr>> SignerOf(RepositoryPtr repository);

 private:
  // `work()` run on this object's thread; completes on the caller's executor with its result.
  template <typename Result>
  boost::asio::awaitable<Result> Run(std::function<Result()> work) {
    // Named, not a temporary of the co_await expression: GCC 12 destroys such a temporary
    // twice (its captures with it).
    auto on_thread = [work = std::move(work)]() -> boost::asio::awaitable<Result> {
      co_return work();
    };
    co_return co_await boost::asio::co_spawn(thread_, std::move(on_thread),
                                             boost::asio::use_awaitable);
  }

  struct Entry {
    absl::Time repository_created_at;
    RepositorySignerPtr signer;
    absl::Time read_at;
  };

  // The entry's signer when it is of `repository` and was read within fresh_for.
  RepositorySignerPtr Fresh(const Repository& repository, absl::Time now);
  // On the thread: reads the key (unless another request just did) and keeps it.
  absl::StatusOr<RepositorySignerPtr> Read(const RepositoryPtr& repository);
  void ForgetUnused(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Stores stores_;
  const RepositorySignersOptions options_;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);  // "org/repo"

  boost::asio::thread_pool thread_{1};
};

}  // namespace tollgate::storage
