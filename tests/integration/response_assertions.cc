// JSON error-shape assertions.
#include "response_assertions.h"

#include "tollgate_process.h"

namespace tollgate::testing {

::testing::AssertionResult IsApiError(const HttpResponse& response, int status,
                                      std::string_view code) {
  if (response.status != status) {
    return ::testing::AssertionFailure()
           << "status " << response.status << " (wanted " << status << "), body: " << response.body;
  }
  try {
    if (JsonString(ParseJson(response.body), "code") != code) {
      return ::testing::AssertionFailure() << "code is not " << code << ": " << response.body;
    }
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << e.what();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsDenial(const HttpResponse& response, int status,
                                    std::string_view code) {
  if (::testing::AssertionResult error = IsApiError(response, status, code); !error) return error;
  if (response.Header("X-Tollgate-Reason") != code) {
    return ::testing::AssertionFailure()
           << "X-Tollgate-Reason is '" << response.Header("X-Tollgate-Reason") << "', wanted '"
           << code << "'";
  }
  try {
    if (JsonString(ParseJson(response.body), "detail").empty()) {
      return ::testing::AssertionFailure() << "empty detail: " << response.body;
    }
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << e.what();
  }
  return ::testing::AssertionSuccess();
}

}  // namespace tollgate::testing
