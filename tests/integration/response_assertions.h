// gtest assertions on the JSON error shapes of SPEC §2.1 (download denials) and §3 (admin
// API errors), shared by the integration tests.
#pragma once

#include <string_view>

#include "gtest/gtest.h"
#include "http_client.h"

namespace tollgate::testing {

// An API error: the status and the JSON `code`.
::testing::AssertionResult IsApiError(const HttpResponse& response, int status,
                                      std::string_view code);

// A download denial: the status, the JSON `code` with a non-empty `detail`, and the
// X-Tollgate-Reason header.
::testing::AssertionResult IsDenial(const HttpResponse& response, int status,
                                    std::string_view code);

}  // namespace tollgate::testing
