// Tests of NuGet packages: feed metadata files and package identity.
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "identity_expectations.h"
#include "nuget/nuget_format.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {
namespace {

// NuGet's v3 index.json files (service index, registrations, version lists) are metadata.
TEST(IsIndexFileTest, NugetIndexes) {
  ExpectIndex({
      "index.json",
      "v3/index.json",
      "v3-flatcontainer/newtonsoft.json/index.json",
      "registration/newtonsoft.json/index.json",
      "v3-flatcontainer/newtonsoft.json/13.0.1/newtonsoft.json.nuspec",
  });
}

// NuGet packages give the id (with its dots and case) and the version.
TEST(IdentifyPackageTest, NugetPackages) {
  ExpectIdentities({
      {"Newtonsoft.Json.13.0.1.nupkg", kNuget, "Newtonsoft.Json", "13.0.1", "", ""},
      {"packages/Serilog.3.0.1.nupkg", kNuget, "Serilog", "3.0.1", "", ""},
      {"packages/Microsoft.Extensions.Logging.Abstractions.7.0.1.nupkg", kNuget,
       "Microsoft.Extensions.Logging.Abstractions", "7.0.1", "", ""},
      {"v3-flatcontainer/newtonsoft.json/13.0.1/newtonsoft.json.13.0.1.nupkg", kNuget,
       "newtonsoft.json", "13.0.1", "", ""},
      {"packages/NUnit.3.13.3.nupkg", kNuget, "NUnit", "3.13.3", "", ""},
      {"packages/System.Text.Json.8.0.0-rc.1.23419.4.nupkg", kNuget, "System.Text.Json",
       "8.0.0-rc.1.23419.4", "", ""},
      {"packages/Acme.Agent.2.1.0-beta.nupkg", kNuget, "Acme.Agent", "2.1.0-beta", "", ""},
      {"packages/Acme.Agent.2.1.0-beta+sha.abc.nupkg", kNuget, "Acme.Agent", "2.1.0-beta+sha.abc",
       "", ""},
      {"packages/Acme.Agent.2.1.0+build5.nupkg", kNuget, "Acme.Agent", "2.1.0+build5", "", ""},
      {"packages/Acme.Agent.1.0.0.0.nupkg", kNuget, "Acme.Agent", "1.0.0.0", "", ""},
      {"packages/Acme.Agent.1.0.nupkg", kNuget, "Acme.Agent", "1.0", "", ""},
      {"packages/Acme.Agent.1.nupkg", kNuget, "Acme.Agent", "1", "", ""},
      {"packages/log4net.2.0.15.nupkg", kNuget, "log4net", "2.0.15", "", ""},
      {"packages/Microsoft.NETCore.App.Runtime.linux-x64.7.0.11.nupkg", kNuget,
       "Microsoft.NETCore.App.Runtime.linux-x64", "7.0.11", "", ""},
      {"packages/Acme.3D.Tools.1.2.3.nupkg", kNuget, "Acme.3D.Tools", "1.2.3", "", ""},
      {"packages/Acme.V2.Client.4.0.0.nupkg", kNuget, "Acme.V2.Client", "4.0.0", "", ""},
      {"packages/xunit.runner.visualstudio.2.5.1.nupkg", kNuget, "xunit.runner.visualstudio",
       "2.5.1", "", ""},
  });
}

// A numeric id part followed by a non-version is part of the id; the first dot that starts
// a whole version wins.
TEST(IdentifyPackageTest, NugetNumericIdParts) {
  ExpectIdentities({
      {"packages/Acme.2.Bar.1.0.0.nupkg", kNuget, "Acme.2.Bar", "1.0.0", "", ""},
      {"packages/Acme.1.2.3.4.5.nupkg", kNuget, "Acme.1", "2.3.4.5", "", ""},
      {"packages/Acme.2.1.0.nupkg", kNuget, "Acme", "2.1.0", "", ""},
  });
}

// A .nupkg without an id or a version is not a NuGet package.
TEST(IdentifyPackageTest, MalformedNugetIsRaw) {
  ExpectRaw({
      "packages/Acme.Agent.nupkg",
      "packages/Acme.nupkg",
      "packages/.1.0.0.nupkg",
      "packages/Acme.Agent.1.0.0-.nupkg",
      "packages/Acme.Agent.1.0.0-beta+.nupkg",
      "packages/Acme.Agent.1.0.0_beta.nupkg",
      "packages/Acme.Agent.1..0.nupkg",
      "packages/-Acme.1.0.0.nupkg",
      "packages/Acme Agent.1.0.0.nupkg",
  });
}

}  // namespace
}  // namespace tollgate::formats
