// Tests of Python distributions: PEP 658 metadata files, wheel and sdist identity, PEP 440 order.
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "identity_expectations.h"
#include "order_expectations.h"
#include "python/python_format.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {
namespace {

// PEP 658 metadata files beside python distributions are index files.
TEST(IsIndexFileTest, PythonCoreMetadata) {
  ExpectIndex({
      "packages/requests-2.31.0-py3-none-any.whl.metadata",
      "simple/requests/requests-2.31.0.tar.gz.metadata",
      "simple/pywin32/pywin32-306.zip.metadata",
  });
}

// Wheels give the PEP 503 name and the version.
TEST(IdentifyPackageTest, Wheels) {
  ExpectIdentities({
      {"packages/requests-2.31.0-py3-none-any.whl", kPython, "requests", "2.31.0", "", ""},
      {"packages/python_dateutil-2.8.2-py2.py3-none-any.whl", kPython, "python-dateutil", "2.8.2",
       "", ""},
      {"packages/numpy-1.26.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", kPython,
       "numpy", "1.26.0", "", ""},
      {"packages/cryptography-41.0.4-cp37-abi3-macosx_10_12_universal2.whl", kPython,
       "cryptography", "41.0.4", "", ""},
      {"packages/typing_extensions-4.8.0-py3-none-any.whl", kPython, "typing-extensions", "4.8.0",
       "", ""},
      {"packages/zope.interface-6.0-cp311-cp311-win_amd64.whl", kPython, "zope-interface", "6.0",
       "", ""},
      {"packages/pywin32-306-cp311-cp311-win_amd64.whl", kPython, "pywin32", "306", "", ""},
      {"packages/torch-2.1.0+cu121-cp311-cp311-linux_x86_64.whl", kPython, "torch", "2.1.0+cu121",
       "", ""},
      {"packages/Django-4.2.5rc1-py3-none-any.whl", kPython, "django", "4.2.5rc1", "", ""},
      {"packages/pip-23.2.1.dev0-py3-none-any.whl", kPython, "pip", "23.2.1.dev0", "", ""},
      {"packages/setuptools-68.2.2.post1-py3-none-any.whl", kPython, "setuptools", "68.2.2.post1",
       "", ""},
      {"packages/agent-1!2.0-py3-none-any.whl", kPython, "agent", "1!2.0", "", ""},
      {"packages/pydantic_core-2.10.1-cp312-cp312-musllinux_1_1_aarch64.whl", kPython,
       "pydantic-core", "2.10.1", "", ""},
      {"agent-1.0-py3-none-any.whl", kPython, "agent", "1.0", "", ""},
  });
}

// Upper-case and mixed separators in wheel names are PEP 503-normalised.
TEST(IdentifyPackageTest, WheelNamesNormalised) {
  ExpectIdentities({
      {"packages/Flask_SQLAlchemy-3.1.1-py3-none-any.whl", kPython, "flask-sqlalchemy", "3.1.1", "",
       ""},
      {"packages/PyYAML-6.0.1-cp311-cp311-manylinux_2_17_x86_64.whl", kPython, "pyyaml", "6.0.1",
       "", ""},
      {"packages/Jinja2-3.1.2-py3-none-any.whl", kPython, "jinja2", "3.1.2", "", ""},
      {"packages/MarkupSafe-2.1.3-cp311-cp311-win32.whl", kPython, "markupsafe", "2.1.3", "", ""},
      {"packages/My_Odd.__Name-1.0-py3-none-any.whl", kPython, "my-odd-name", "1.0", "", ""},
      {"packages/AGENT-1.0-py3-none-any.whl", kPython, "agent", "1.0", "", ""},
      {"packages/ruamel.yaml.clib-0.2.8-cp311-cp311-manylinux_2_5_x86_64.whl", kPython,
       "ruamel-yaml-clib", "0.2.8", "", ""},
  });
}

// A wheel's optional build tag (starting with a digit) is skipped, not taken as the version.
TEST(IdentifyPackageTest, WheelBuildTags) {
  ExpectIdentities({
      {"packages/agent-1.0-1-py3-none-any.whl", kPython, "agent", "1.0", "", ""},
      {"packages/agent-1.0-20230915-py3-none-any.whl", kPython, "agent", "1.0", "", ""},
      {"packages/agent-1.0-2_custom-cp311-cp311-linux_x86_64.whl", kPython, "agent", "1.0", "", ""},
      {"packages/Some_Pkg-0.9.1-12-py2.py3-none-any.whl", kPython, "some-pkg", "0.9.1", "", ""},
  });
}

// A .whl with the wrong number of fields, a bad build tag or no version is not a wheel.
TEST(IdentifyPackageTest, MalformedWheelIsRaw) {
  ExpectRaw({
      "packages/agent.whl",
      "packages/agent-1.0.whl",
      "packages/agent-1.0-py3-none.whl",
      "packages/agent-1.0-b1-py3-none-any.whl",
      "packages/python-dateutil-2.8.2-py3-none-any-extra.whl",
      "packages/agent-latest-py3-none-any.whl",
      "packages/agent--py3-none-any.whl",
      "packages/_agent-1.0-py3-none-any.whl",
  });
}

// Sdists give the PEP 503 name and the version, which starts at the last dash followed by a
// digit, so dashed names work.
TEST(IdentifyPackageTest, Sdists) {
  ExpectIdentities({
      {"packages/requests-2.31.0.tar.gz", kPython, "requests", "2.31.0", "", ""},
      {"packages/python-dateutil-2.8.2.tar.gz", kPython, "python-dateutil", "2.8.2", "", ""},
      {"packages/django-rest-framework-3.14.0.tar.gz", kPython, "django-rest-framework", "3.14.0",
       "", ""},
      {"packages/Django-4.2.5.tar.gz", kPython, "django", "4.2.5", "", ""},
      {"packages/zope.interface-6.0.tar.gz", kPython, "zope-interface", "6.0", "", ""},
      {"packages/typing_extensions-4.8.0.tar.gz", kPython, "typing-extensions", "4.8.0", "", ""},
      {"packages/pywin32-306.zip", kPython, "pywin32", "306", "", ""},
      {"packages/Flask-SQLAlchemy-3.1.1.zip", kPython, "flask-sqlalchemy", "3.1.1", "", ""},
      {"packages/agent-1.0rc1.tar.gz", kPython, "agent", "1.0rc1", "", ""},
      {"packages/agent-1.0.post2.tar.gz", kPython, "agent", "1.0.post2", "", ""},
      {"packages/agent-1.0.dev3.zip", kPython, "agent", "1.0.dev3", "", ""},
      {"packages/agent-1!2.0.tar.gz", kPython, "agent", "1!2.0", "", ""},
      {"packages/py-2-to-3-1.0.tar.gz", kPython, "py-2-to-3", "1.0", "", ""},
      {"packages/agent-1.0-beta.tar.gz", kPython, "agent", "1.0-beta", "", ""},
      {"packages/web3-6.11.0.tar.gz", kPython, "web3", "6.11.0", "", ""},
      {"packages/s3transfer-0.7.0.tar.gz", kPython, "s3transfer", "0.7.0", "", ""},
      {"simple/requests/requests-2.31.0.tar.gz", kPython, "requests", "2.31.0", "", ""},
      {"packages/source/r/requests/requests-2.31.0.tar.gz", kPython, "requests", "2.31.0", "", ""},
      {"requests-2.31.0.tar.gz", kPython, "requests", "2.31.0", "", ""},
  });
}

// An archive needs "-" followed by a version to be an sdist; otherwise it is raw.
TEST(IdentifyPackageTest, ArchivesWithoutVersionAreRaw) {
  ExpectRaw({
      "packages/foo.tar.gz",
      "packages/foo-bar.tar.gz",
      "packages/foo-latest.zip",
      "packages/foo_1.0.tar.gz",
      "packages/-1.0.tar.gz",
      "packages/foo-.tar.gz",
      "packages/@foo-1.0.tar.gz",
      "packages/foo bar-1.0.tar.gz",
      "packages/.hidden-1.0.zip",
      "backup.zip",
  });
}

// Other archive extensions are not sdists.
TEST(IdentifyPackageTest, OtherArchiveExtensionsAreRaw) {
  ExpectRaw({
      "packages/requests-2.31.0.tar.bz2",
      "packages/requests-2.31.0.tar.xz",
      "packages/requests-2.31.0.tar",
      "releases/tool-1.2.3.7z",
      "releases/tool-1.2.3.TAR.GZ",
  });
}

// The example ordering listed in PEP 440's "Summary of permitted suffixes and relative
// ordering".
TEST(ComparePep440VersionsTest, SpecOrdering) {
  ExpectAscending(ComparePep440Versions, {"1.dev0",
                                          "1.0.dev456",
                                          "1.0a1",
                                          "1.0a2.dev456",
                                          "1.0a12.dev456",
                                          "1.0a12",
                                          "1.0b1.dev456",
                                          "1.0b2",
                                          "1.0b2.post345.dev456",
                                          "1.0b2.post345",
                                          "1.0rc1.dev456",
                                          "1.0rc1",
                                          "1.0",
                                          "1.0+abc.5",
                                          "1.0+abc.7",
                                          "1.0+5",
                                          "1.0.post456.dev34",
                                          "1.0.post456",
                                          "1.0.15",
                                          "1.1.dev1"});
}

// Release segments have implicit trailing zeros, and the epoch ("N!") decides first.
TEST(ComparePep440VersionsTest, ReleaseAndEpoch) {
  ExpectCases(ComparePep440Versions, {{"1.0", "1.0.0", 0},
                                      {"1", "1.0.0.0", 0},
                                      {"1.0.0.1", "1.0", 1},
                                      {"1.10", "1.9", 1},
                                      {"01.02", "1.2", 0},
                                      {"1!0.5", "2.0", 1},
                                      {"0!1.0", "1.0", 0}});
}

// PEP 440's normalisation: alternative spellings, separators, implicit numbers, case and a
// leading 'v' all denote the same version.
TEST(ComparePep440VersionsTest, NormalisedSpellingsAreEqual) {
  ExpectCases(
      ComparePep440Versions,
      {{"1.0alpha1", "1.0a1", 0},   {"1.0-a-1", "1.0a1", 0},      {"1.0_a_1", "1.0a1", 0},
       {"1.0.a.1", "1.0a1", 0},     {"1.0ALPHA1", "1.0a1", 0},    {"1.0beta2", "1.0b2", 0},
       {"1.0c1", "1.0rc1", 0},      {"1.0pre1", "1.0rc1", 0},     {"1.0preview1", "1.0rc1", 0},
       {"1.0a", "1.0a0", 0},        {"1.0-1", "1.0.post1", 0},    {"1.0-r1", "1.0.post1", 0},
       {"1.0rev1", "1.0.post1", 0}, {"1.0post1", "1.0.post1", 0}, {"1.0.post", "1.0.post0", 0},
       {"1.0.dev", "1.0.dev0", 0},  {"1.0-dev-2", "1.0.dev2", 0}, {"v1.0", "1.0", 0},
       {"V1.0", "1.0", 0},          {" 1.0 ", "1.0", 0}});
}

// Local versions sort above the public one; segments compare numbers above text, text
// case-insensitively, and a longer local after its prefix.
TEST(ComparePep440VersionsTest, LocalVersions) {
  ExpectCases(ComparePep440Versions, {{"1.0+0", "1.0", 1},
                                      {"1.0+abc", "1.0+1", -1},
                                      {"1.0+10", "1.0+9", 1},
                                      {"1.0+01", "1.0+1", 0},
                                      {"1.0+1.a", "1.0+1", 1},
                                      {"1.0+ubuntu-1", "1.0+ubuntu.1", 0},
                                      {"1.0+UBUNTU_1", "1.0+ubuntu.1", 0},
                                      {"1.0+abc", "1.0+abd", -1},
                                      {"1.0+local", "1.0.post1", -1}});
}

// Versions PEP 440 cannot parse sort below every valid one, and among themselves naturally.
TEST(ComparePep440VersionsTest, MalformedFallback) {
  ExpectCases(ComparePep440Versions, {{"latest", "0.dev0", -1},
                                      {"1.0-", "0.dev0", -1},
                                      {"1.0+", "0.dev0", -1},
                                      {"1.0.x", "0.dev0", -1},
                                      {"", "0.dev0", -1},
                                      {"build-10", "build-9", 1},
                                      {"1..0", "1..0", 0}});
}

}  // namespace
}  // namespace tollgate::formats
