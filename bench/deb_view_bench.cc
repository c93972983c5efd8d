// The apt view's costs: rendering Packages, Packages.gz and Release for a repository of 1,000
// .debs (what a first InRelease after a change renders), and the signature InRelease adds,
// with the Ed25519 key tollgate makes and with an uploaded RSA-3072 key.
// Usage: build/bench/tollgate_deb_view_bench
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "tollgate/formats/package_view.h"
#include "tollgate/storage/openpgp/openpgp_key.h"
#include "tollgate/storage/openpgp/repository_signer.h"

namespace tollgate {
namespace {

std::vector<formats::PackageFile> Debs(int count) {
  std::vector<formats::PackageFile> files(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    const std::string version = std::to_string(i / 100) + "." + std::to_string(i % 100);
    formats::PackageFile& file = files[static_cast<size_t>(i)];
    file.path = "pool/main/a/acme-agent/acme-agent_" + version + "_amd64.deb";
    file.identity = {formats::PackageFormat::kDeb, "acme-agent", version, "amd64", ""};
    file.size = 1'500'000;
    file.sha1 = std::string(40, 'a');
    file.sha256 = std::string(64, 'b');
    file.sha512 = std::string(128, 'c');
    file.metadata = R"({"control":"Package: acme-agent\nVersion: )" + version +
                    R"(\nArchitecture: amd64\nMaintainer: Acme Ops <ops@acme.example>\n)"
                    R"(Installed-Size: 4096\nDepends: libc6 (>= 2.36), libssl3 (>= 3.0.0)\n)"
                    R"(Section: admin\nPriority: optional\nDescription: the Acme agent\n)"
                    R"( Reports to the Acme console.\n .\n Second paragraph.\n"})";
  }
  return files;
}

std::string Answer(std::string_view rest, const std::vector<const formats::PackageFile*>& files,
                   const formats::ViewSigner* signer) {
  const formats::ViewRequest request{.rest = rest,
                                     .is_folder = false,
                                     .variant = "",
                                     .view_url = "https://dl.example/basic/acme/agents/-/deb/",
                                     .files_url = "https://dl.example/basic/acme/agents/",
                                     .files = files,
                                     .files_as_of_unix_micros = 1'796'500'800'000'000,
                                     .signer = signer};
  absl::StatusOr<formats::ViewAnswer> answer = formats::FindView("deb")->Answer(request);
  return answer.ok() ? answer->body : "";
}

void BM_Render(benchmark::State& state, std::string_view rest) {
  const std::vector<formats::PackageFile> debs = Debs(static_cast<int>(state.range(0)));
  std::vector<const formats::PackageFile*> files;
  for (const formats::PackageFile& file : debs) files.push_back(&file);
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string body = Answer(rest, files, nullptr);
    bytes = body.size();
    benchmark::DoNotOptimize(body.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK_CAPTURE(BM_Render, Packages, "Packages")->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Render, PackagesGz, "Packages.gz")->Arg(1000)->Unit(benchmark::kMillisecond);
// Release renders Packages and Packages.gz to hash them.
BENCHMARK_CAPTURE(BM_Render, Release, "Release")->Arg(1000)->Unit(benchmark::kMillisecond);

// One signature of a Release text (what InRelease adds to Release).
void BM_ClearSign(benchmark::State& state, const storage::SigningKeyMaterial& key) {
  const storage::RepositorySigner signer(key);
  const std::string release(600, 'r');
  for (auto _ : state) {
    absl::StatusOr<std::string> signed_text = signer.ClearSign(release);
    if (!signed_text.ok()) state.SkipWithError("the key did not sign");
    benchmark::DoNotOptimize(signed_text);
  }
}

storage::SigningKeyMaterial Ed25519Key() {
  return storage::GenerateSigningKey("bench <noreply@tollgate.invalid>").value();
}

storage::SigningKeyMaterial RsaKey() {
  std::ifstream in(std::string(TOLLGATE_TESTDATA) + "/openpgp/rsa_secret.asc");
  std::stringstream armored;
  armored << in.rdbuf();
  return storage::ImportSigningKey(armored.str()).value();
}

BENCHMARK_CAPTURE(BM_ClearSign, Ed25519, Ed25519Key())->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ClearSign, Rsa3072, RsaKey())->Unit(benchmark::kMillisecond)->Iterations(10);

}  // namespace
}  // namespace tollgate

BENCHMARK_MAIN();
