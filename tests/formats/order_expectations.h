// Expectations shared by the formats' version order tests.
#pragma once

#include <initializer_list>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace tollgate::formats {

using Compare = int (*)(std::string_view, std::string_view);

inline int SignOf(int value) { return (value > 0) - (value < 0); }

// `want` is the expected sign of compare(a, b); every case is also checked reversed.
struct Case {
  std::string_view a;
  std::string_view b;
  int want;
};

inline void ExpectCases(Compare compare, std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << '"' << c.a << "\" vs \"" << c.b << '"');
    EXPECT_EQ(SignOf(compare(c.a, c.b)), c.want);
    EXPECT_EQ(SignOf(compare(c.b, c.a)), -c.want);
  }
}

// Every version sorts strictly below every later one.
inline void ExpectAscending(Compare compare, std::initializer_list<std::string_view> chain) {
  const std::vector<std::string_view> v(chain);
  for (size_t i = 0; i < v.size(); ++i) {
    for (size_t j = i + 1; j < v.size(); ++j) {
      SCOPED_TRACE(testing::Message() << '"' << v[i] << "\" < \"" << v[j] << '"');
      EXPECT_LT(compare(v[i], v[j]), 0);
      EXPECT_GT(compare(v[j], v[i]), 0);
    }
  }
}

}  // namespace tollgate::formats
