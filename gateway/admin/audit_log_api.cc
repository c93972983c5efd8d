// Audit log listing, paged in the store rather than in memory: the log only grows.
#include "admin/audit_log_api.h"

#include "admin/authorization.h"
#include "admin/json_fields.h"
#include "admin/pagination.h"
#include "boost/json/parse.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

json::object EntryToJson(const storage::AuditEntry& entry) {
  boost::system::error_code ec;
  json::value details = json::parse(entry.details_json, ec);
  if (ec) details = json::object{};
  return json::object{{"id", entry.id},
                      {"at", FormatTimestamp(entry.at)},
                      {"actor", json::object{{"kind", entry.actor_kind}, {"name", entry.actor}}},
                      {"client_address", entry.client_address},
                      {"action", entry.action},
                      {"target", entry.target},
                      {"details", std::move(details)}};
}

}  // namespace

ApiResponse HandleAuditLog(const AdminContext& context, const ApiRequest& request) {
  if (request.segments.size() != 2) return NotFound("endpoint");
  const std::string& org = request.segments[1];
  if (auto refused = CheckOrgAccess(request.caller, org, OrgAccess::kManager)) return *refused;
  if (request.method != "GET") return MethodNotAllowed("GET");
  std::variant<PageRequest, ApiResponse> read = ReadPageRequest(request);
  if (auto* refused = std::get_if<ApiResponse>(&read)) return std::move(*refused);
  const PageRequest& page = std::get<PageRequest>(read);
  absl::StatusOr<storage::AuditPage> entries = context.stores.audit->List(
      org, static_cast<int64_t>(page.offset()), static_cast<int64_t>(page.page_size));
  if (!entries.ok()) return FromStatus(entries.status());
  json::array items;
  for (const storage::AuditEntry& entry : entries->entries) items.push_back(EntryToJson(entry));
  return PageResponse(page, std::move(items), static_cast<size_t>(entries->total),
                      Concat("/api/v1/audit-log/", org, "/"));
}

}  // namespace tollgate::gateway::admin
