// API-key authentication.
#include "http/account_keys.h"

#include "tollgate/storage/secrets.h"

namespace tollgate::gateway {

std::optional<policy::Principal> FindAccountByKey(const storage::AccountStore& accounts,
                                                  std::string_view username, std::string_view key) {
  std::optional<policy::Principal> account = accounts.FindByKeyHash(storage::HashApiKey(key));
  if (!account || (!username.empty() && username != account->name)) return std::nullopt;
  return account;
}

bool HoldsRead(const storage::AccountStore& accounts, const std::string& org,
               policy::PrincipalKind kind, std::string_view name, std::string_view repo) {
  const storage::DirectoryPtr directory = accounts.Directory(org);
  return directory != nullptr &&
         policy::RepositoryPrivilege(*directory, kind, name, repo) >= policy::Privilege::kRead;
}

}  // namespace tollgate::gateway
