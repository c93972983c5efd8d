// Origin addresses checked at the API, so a refused origin is reported where it is set
// rather than as a 502 at its first download.
#include "admin/origin_admission.h"

#include "tollgate/base/concat.h"
#include "tollgate/storage/http_origin_config.h"

namespace tollgate::gateway::admin {

boost::asio::awaitable<std::optional<ApiResponse>> CheckOriginAdmission(
    const AdminContext& context, std::string_view storage_json) {
  if (!storage::IsHttpStorage(storage_json)) co_return std::nullopt;
  absl::StatusOr<storage::HttpOriginConfig> origin = storage::LoadHttpOriginConfig(storage_json);
  if (!origin.ok()) co_return FromStatus(origin.status());  // validated before; a bug if seen
  const absl::Status checked = co_await context.origins->CheckAddress(*origin);
  if (!absl::IsPermissionDenied(checked)) co_return std::nullopt;
  co_return Error(ApiError::kOriginNotAllowed, Concat("storage.url: ", ToStd(checked.message())));
}

}  // namespace tollgate::gateway::admin
