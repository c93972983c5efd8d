// A repository's storage JSON read into its typed form, once per write or load.
#include "tollgate/storage/http_origin_config.h"
#include "tollgate/storage/repository_store.h"

namespace tollgate::storage {

RepositoryStorage ParseRepositoryStorage(std::string_view org, std::string_view slug,
                                         std::string_view storage_json) {
  if (!IsHttpStorage(storage_json)) return FilesystemStorage{};
  absl::StatusOr<HttpOriginConfig> origin = LoadHttpOriginConfig(storage_json);
  if (!origin.ok()) return UnreadableStorage{};
  origin->org = std::string(org);
  origin->repository = std::string(slug);
  return *std::move(origin);
}

}  // namespace tollgate::storage
