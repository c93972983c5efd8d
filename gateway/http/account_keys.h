// Authenticating a user or service by its API key, shared by the admin API and the download
// listener: one rule for which name may go with a key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tollgate/policy/org_directory.h"
#include "tollgate/storage/account_store.h"

namespace tollgate::gateway {

// The account whose API key is `key`, when `username` is empty or that account's own name;
// else nullopt. Looks the key up by its SHA-256, so no comparison ever runs on the key itself.
std::optional<policy::Principal> FindAccountByKey(const storage::AccountStore& accounts,
                                                  std::string_view username, std::string_view key);

// Whether the account `name` (of `kind`) of `org` currently holds at least read on `repo`: the
// one check for API-key downloads and user tokens alike. An account no longer in the org's
// directory holds nothing. Reads memory only.
bool HoldsRead(const storage::AccountStore& accounts, const std::string& org,
               policy::PrincipalKind kind, std::string_view name, std::string_view repo);

}  // namespace tollgate::gateway
