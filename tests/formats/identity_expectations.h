// Expectations shared by the formats' identity tests: what IdentifyPackage and IsIndexFile
// must answer for a list of paths.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>

#include "gtest/gtest.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {

struct IdentityCase {
  std::string_view path;
  PackageFormat format;
  std::string_view name;
  std::string_view version;
  std::string_view architecture;
  std::string_view group;
};

// Checks every case of `cases`, naming the path of the one that fails.
inline void ExpectIdentities(std::initializer_list<IdentityCase> cases) {
  for (const IdentityCase& expected : cases) {
    SCOPED_TRACE(expected.path);
    const std::optional<PackageIdentity> identity = IdentifyPackage(expected.path);
    if (!identity.has_value()) {
      ADD_FAILURE() << "identified as an index file";
      continue;
    }
    EXPECT_EQ(PackageFormatName(identity->format), PackageFormatName(expected.format));
    EXPECT_EQ(identity->name, expected.name);
    EXPECT_EQ(identity->version, expected.version);
    EXPECT_EQ(identity->architecture, expected.architecture);
    EXPECT_EQ(identity->group, expected.group);
  }
}

// Checks that each path is a raw file named after its last segment.
inline void ExpectRaw(std::initializer_list<std::string_view> paths) {
  for (std::string_view path : paths) {
    SCOPED_TRACE(path);
    const std::string_view file = path.substr(path.rfind('/') + 1);
    ExpectIdentities({{path, PackageFormat::kRaw, file, "", "", ""}});
  }
}

// Checks that each path is an index file both ways: IsIndexFile and no identity.
inline void ExpectIndex(std::initializer_list<std::string_view> paths) {
  for (std::string_view path : paths) {
    SCOPED_TRACE(path);
    EXPECT_TRUE(IsIndexFile(path));
    EXPECT_FALSE(IdentifyPackage(path).has_value());
  }
}

inline constexpr PackageFormat kDeb = PackageFormat::kDeb;
inline constexpr PackageFormat kRpm = PackageFormat::kRpm;
inline constexpr PackageFormat kPython = PackageFormat::kPython;
inline constexpr PackageFormat kNpm = PackageFormat::kNpm;
inline constexpr PackageFormat kMaven = PackageFormat::kMaven;
inline constexpr PackageFormat kNuget = PackageFormat::kNuget;
inline constexpr PackageFormat kRuby = PackageFormat::kRuby;
inline constexpr PackageFormat kRaw = PackageFormat::kRaw;

}  // namespace tollgate::formats
