// Comparing entitlements field by field in the storage tests.
#pragma once

#include <gtest/gtest.h>

#include "tollgate/policy/entitlement.h"

namespace tollgate::storage::testing {

// Every stored field of `actual` equals `expected`'s. The compiled scopes are not compared:
// each store compiles its own.
inline void ExpectSameEntitlement(const policy::Entitlement& actual,
                                  const policy::Entitlement& expected) {
  EXPECT_EQ(actual.identifier, expected.identifier);
  EXPECT_EQ(actual.org, expected.org);
  EXPECT_EQ(actual.repo, expected.repo);
  EXPECT_EQ(actual.name, expected.name);
  EXPECT_EQ(actual.token, expected.token);
  EXPECT_EQ(actual.is_active, expected.is_active);
  EXPECT_EQ(actual.user, expected.user);
  EXPECT_EQ(actual.limit_date_range_from, expected.limit_date_range_from);
  EXPECT_EQ(actual.limit_date_range_to, expected.limit_date_range_to);
  EXPECT_EQ(actual.limit_num_downloads, expected.limit_num_downloads);
  EXPECT_EQ(actual.limit_num_clients, expected.limit_num_clients);
  EXPECT_EQ(actual.limit_bandwidth, expected.limit_bandwidth);
  EXPECT_EQ(actual.limit_bandwidth_unit, expected.limit_bandwidth_unit);
  EXPECT_EQ(actual.limit_package_query, expected.limit_package_query);
  EXPECT_EQ(actual.limit_path_query, expected.limit_path_query);
  EXPECT_EQ(actual.scheduled_reset_period, expected.scheduled_reset_period);
  EXPECT_EQ(actual.usage_reset_at, expected.usage_reset_at);
  EXPECT_EQ(actual.metadata_json, expected.metadata_json);
  EXPECT_EQ(actual.created_at, expected.created_at);
  EXPECT_EQ(actual.updated_at, expected.updated_at);
}

}  // namespace tollgate::storage::testing
