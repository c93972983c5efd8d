// GnuPG's gpgv as apt runs it, for tests of what tollgate signs: one public key in a keyring
// of its own, set up as apt does for `signed-by` (the armored key dearmored into a keyring
// file), everything in a temporary folder.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "run_command.h"
#include "temp_dir.h"

namespace tollgate::testing {

class Gpgv {
 public:
  explicit Gpgv(std::string_view armored_public_key);

  // Whether the set-up worked; the test cannot say anything about signatures otherwise.
  ::testing::AssertionResult Ready() const;

  // gpgv on an InRelease-style clearsigned text; its status lines are in `out`.
  CommandResult VerifyClearsigned(std::string_view signed_text) const;

  // gpgv on a Release.gpg-style detached signature of `data`.
  CommandResult VerifyDetached(std::string_view signature, std::string_view data) const;

 private:
  std::filesystem::path home() const { return dir_.path() / "gnupg"; }
  std::filesystem::path keyring() const { return dir_.path() / "keyring.gpg"; }
  CommandResult Run(std::vector<std::string> files) const;

  storage::testing::TempDir dir_;
  std::string gpg_;
  std::string gpgv_;
  CommandResult dearmored_;
};

// gpgv said the signature is good, made by a key whose primary is `fingerprint`, with SHA-512
// (status VALIDSIG: … pubkey-algo hash-algo class primary-fingerprint; SHA-512 is 10).
::testing::AssertionResult GoodSignature(const CommandResult& result, std::string_view fingerprint);

}  // namespace tollgate::testing
