// Tests of RubyGems: spec indexes and gem identity.
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "identity_expectations.h"
#include "ruby/ruby_format.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {
namespace {

// RubyGems' spec indexes and per-gem quick specs are index files.
TEST(IsIndexFileTest, RubygemsIndexes) {
  ExpectIndex({
      "specs.4.8.gz",
      "specs.4.8",
      "latest_specs.4.8.gz",
      "latest_specs.4.8",
      "prerelease_specs.4.8.gz",
      "prerelease_specs.4.8",
      "Marshal.4.8",
      "Marshal.4.8.Z",
      "gems/specs.4.8.gz",
      "quick/Marshal.4.8/rails-7.1.0.gemspec.rz",
      "quick/Marshal.4.8/nokogiri-1.15.4-x86_64-linux.gemspec.rz",
  });
}

// Gems give name and version; dashes belong to the name until the first version field.
TEST(IdentifyPackageTest, Gems) {
  ExpectIdentities({
      {"gems/rails-7.1.0.gem", kRuby, "rails", "7.1.0", "", ""},
      {"gems/aws-sdk-core-3.180.0.gem", kRuby, "aws-sdk-core", "3.180.0", "", ""},
      {"gems/rack-test-2.1.0.gem", kRuby, "rack-test", "2.1.0", "", ""},
      {"gems/net-http-persistent-4.0.2.gem", kRuby, "net-http-persistent", "4.0.2", "", ""},
      {"gems/rails-7.1.0.beta1.gem", kRuby, "rails", "7.1.0.beta1", "", ""},
      {"gems/rails-7.1.0.rc2.gem", kRuby, "rails", "7.1.0.rc2", "", ""},
      {"gems/bundler-2.4.20.pre.1.gem", kRuby, "bundler", "2.4.20.pre.1", "", ""},
      {"gems/rake-13.gem", kRuby, "rake", "13", "", ""},
      {"gems/ruby_parser-3.20.3.gem", kRuby, "ruby_parser", "3.20.3", "", ""},
      {"gems/concurrent-ruby-1.2.2.gem", kRuby, "concurrent-ruby", "1.2.2", "", ""},
      {"gems/ruby-3scale-1.0.gem", kRuby, "ruby-3scale", "1.0", "", ""},
      {"gems/oauth2-2.0.9.gem", kRuby, "oauth2", "2.0.9", "", ""},
      {"rails-7.1.0.gem", kRuby, "rails", "7.1.0", "", ""},
  });
}

// Platform gems keep only the version; the platform is not part of it.
TEST(IdentifyPackageTest, GemPlatforms) {
  ExpectIdentities({
      {"gems/nokogiri-1.15.4-x86_64-linux.gem", kRuby, "nokogiri", "1.15.4", "", ""},
      {"gems/nokogiri-1.15.4-arm64-darwin.gem", kRuby, "nokogiri", "1.15.4", "", ""},
      {"gems/nokogiri-1.15.4-x64-mingw-ucrt.gem", kRuby, "nokogiri", "1.15.4", "", ""},
      {"gems/grpc-1.58.0-x86_64-linux.gem", kRuby, "grpc", "1.58.0", "", ""},
      {"gems/ffi-1.16.3-java.gem", kRuby, "ffi", "1.16.3", "", ""},
      {"gems/google-protobuf-3.24.3-aarch64-linux.gem", kRuby, "google-protobuf", "3.24.3", "", ""},
      {"gems/sqlite3-1.6.6-x86_64-linux-musl.gem", kRuby, "sqlite3", "1.6.6", "", ""},
  });
}

// A .gem without a version field is not a gem.
TEST(IdentifyPackageTest, MalformedGemIsRaw) {
  ExpectRaw({
      "gems/rails.gem",
      "gems/rails-latest.gem",
      "gems/-7.1.0.gem",
      "gems/rails-7..1.gem",
      "gems/rails-7.1.0..gem",
      "gems/rails-3scale.gem",
  });
}

}  // namespace
}  // namespace tollgate::formats
