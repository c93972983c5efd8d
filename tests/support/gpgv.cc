#include "gpgv.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace tollgate::testing {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

}  // namespace

Gpgv::Gpgv(std::string_view armored_public_key)
    : gpg_(FindProgram("gpg")), gpgv_(FindProgram("gpgv")) {
  ::mkdir(home().c_str(), 0700);
  Write(dir_.path() / "key.asc", armored_public_key);
  dearmored_ = RunCommand(gpg_, {"--homedir", home().string(), "--batch", "--dearmor", "--output",
                                 keyring().string(), (dir_.path() / "key.asc").string()});
}

::testing::AssertionResult Gpgv::Ready() const {
  if (gpg_.empty() || gpgv_.empty()) return ::testing::AssertionFailure() << "no gpg or gpgv";
  if (dearmored_.exit_code != 0) {
    return ::testing::AssertionFailure() << "gpg --dearmor failed: " << dearmored_.err;
  }
  return ::testing::AssertionSuccess();
}

CommandResult Gpgv::VerifyClearsigned(std::string_view signed_text) const {
  Write(dir_.path() / "InRelease", signed_text);
  return Run({(dir_.path() / "InRelease").string()});
}

CommandResult Gpgv::VerifyDetached(std::string_view signature, std::string_view data) const {
  Write(dir_.path() / "Release.gpg", signature);
  Write(dir_.path() / "Release", data);
  return Run({(dir_.path() / "Release.gpg").string(), (dir_.path() / "Release").string()});
}

CommandResult Gpgv::Run(std::vector<std::string> files) const {
  std::vector<std::string> args = {"--homedir", home().string(), "--status-fd",
                                   "1",         "--keyring",     keyring().string()};
  args.insert(args.end(), files.begin(), files.end());
  return RunCommand(gpgv_, args);
}

::testing::AssertionResult GoodSignature(const CommandResult& result,
                                         std::string_view fingerprint) {
  if (result.exit_code != 0) {
    return ::testing::AssertionFailure()
           << "gpgv exited " << result.exit_code << ": " << result.err << result.out;
  }
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("[GNUPG:] VALIDSIG ")) continue;
    std::istringstream words(line);
    std::vector<std::string> fields;
    for (std::string word; words >> word;) fields.push_back(word);
    if (fields.size() < 12) break;
    if (fields[9] != "10") return ::testing::AssertionFailure() << "not SHA-512: " << line;
    if (fields[11] != fingerprint) return ::testing::AssertionFailure() << "other key: " << line;
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no VALIDSIG in: " << result.out;
}

}  // namespace tollgate::testing
