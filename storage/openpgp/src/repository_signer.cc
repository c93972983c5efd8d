#include "tollgate/storage/openpgp/repository_signer.h"

#include "tollgate/storage/openpgp/openpgp_key.h"

namespace tollgate::storage {

absl::StatusOr<std::string> RepositorySigner::ClearSign(std::string_view text) const {
  return storage::ClearSign(key_, text);
}

absl::StatusOr<std::string> RepositorySigner::DetachSign(std::string_view text) const {
  return storage::DetachSign(key_, text);
}

}  // namespace tollgate::storage
