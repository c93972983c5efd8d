// Slicing a JSON array into pages and describing the neighbours in a Link header.
#include "admin/pagination.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;

namespace {

constexpr size_t kMaxPageSize = 500;

bool ReadPositive(const std::string& text, size_t& out) {
  if (text.empty()) return true;
  size_t value = 0;
  if (!absl::SimpleAtoi(text, &value) || value == 0) return false;
  out = value;
  return true;
}

}  // namespace

std::variant<PageRequest, ApiResponse> ReadPageRequest(const ApiRequest& request) {
  PageRequest page;
  // Far beyond any list, and small enough that page * page_size never overflows.
  constexpr size_t kMaxPage = 1'000'000'000;
  if (!ReadPositive(request.Query("page"), page.page) || page.page > kMaxPage) {
    return Error(ApiError::kInvalidField,
                 Concat("page: must be a whole number from 1 to ", kMaxPage));
  }
  if (!ReadPositive(request.Query("page_size"), page.page_size) || page.page_size > kMaxPageSize) {
    return Error(ApiError::kInvalidField,
                 Concat("page_size: must be a whole number from 1 to ", kMaxPageSize));
  }
  return page;
}

ApiResponse PageResponse(const PageRequest& page, boost::json::array slice, size_t total,
                         std::string_view base_path) {
  const size_t last_page = total == 0 ? 1 : (total + page.page_size - 1) / page.page_size;
  ApiResponse response = Json(http::status::ok, slice);
  response.headers.emplace_back("X-Total-Count", Concat(total));
  const auto link = [&](size_t target, std::string_view rel) {
    return Concat("<", base_path, "?page=", target, "&page_size=", page.page_size, ">; rel=\"", rel,
                  "\"");
  };
  std::vector<std::string> links = {link(1, "first"), link(last_page, "last")};
  if (page.page < last_page) links.push_back(link(page.page + 1, "next"));
  if (page.page > 1) links.push_back(link(std::min(page.page - 1, last_page), "prev"));
  response.headers.emplace_back("Link", absl::StrJoin(links, ", "));
  return response;
}

ApiResponse Paginate(const ApiRequest& request, boost::json::array items,
                     std::string_view base_path) {
  std::variant<PageRequest, ApiResponse> read = ReadPageRequest(request);
  if (auto* refused = std::get_if<ApiResponse>(&read)) return std::move(*refused);
  const PageRequest& page = std::get<PageRequest>(read);
  const size_t total = items.size();
  boost::json::array slice;
  for (size_t i = page.offset(); i < total && i < page.offset() + page.page_size; ++i) {
    slice.push_back(std::move(items[i]));
  }
  return PageResponse(page, std::move(slice), total, base_path);
}

}  // namespace tollgate::gateway::admin
