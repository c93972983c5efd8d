// Tests of the admin API's error table.
#include "admin/api_error.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace tollgate::gateway::admin {
namespace {

constexpr int kLastError = static_cast<int>(ApiError::kUpstreamTimeout);

// Every error has its own code, and a 4xx or 5xx status.
TEST(ApiErrorTest, EveryErrorHasAUniqueCodeAndAnErrorStatus) {
  std::set<std::string> codes;
  for (int i = 0; i <= kLastError; ++i) {
    const auto error = static_cast<ApiError>(i);
    SCOPED_TRACE(i);
    const std::string code(ApiErrorCode(error));
    EXPECT_FALSE(code.empty());
    EXPECT_TRUE(codes.insert(code).second) << code << " is used twice";
    EXPECT_GE(static_cast<int>(ApiErrorStatus(error)), 400);
    EXPECT_LT(static_cast<int>(ApiErrorStatus(error)), 600);
  }
}

// The codes SPEC fixes keep their names and statuses.
TEST(ApiErrorTest, SpecCodesAreFixed) {
  EXPECT_EQ(ApiErrorCode(ApiError::kMissingApiKey), "missing_api_key");
  EXPECT_EQ(ApiErrorCode(ApiError::kInvalidApiKey), "invalid_api_key");
  EXPECT_EQ(ApiErrorCode(ApiError::kEntitlementTokenNotAllowed), "entitlement_token_not_allowed");
  EXPECT_EQ(ApiErrorCode(ApiError::kInsufficientPrivilege), "insufficient_privilege");
  EXPECT_EQ(ApiErrorCode(ApiError::kQuotaExceeded), "quota_exceeded");
  EXPECT_EQ(ApiErrorCode(ApiError::kOriginNotAllowed), "origin_not_allowed");
  EXPECT_EQ(static_cast<int>(ApiErrorStatus(ApiError::kMissingApiKey)), 401);
  EXPECT_EQ(static_cast<int>(ApiErrorStatus(ApiError::kInsufficientPrivilege)), 403);
  EXPECT_EQ(static_cast<int>(ApiErrorStatus(ApiError::kQuotaExceeded)), 409);
  EXPECT_EQ(static_cast<int>(ApiErrorStatus(ApiError::kInvalidField)), 422);
  EXPECT_EQ(static_cast<int>(ApiErrorStatus(ApiError::kOriginNotAllowed)), 422);
}

}  // namespace
}  // namespace tollgate::gateway::admin
