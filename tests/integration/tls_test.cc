// TLS on the real binary, against certificates the test makes with `openssl req`: downloads
// with curl --cacert (a small file and one larger than the bounded copy buffer), the admin
// listener and the CLI over https, plain HTTP to the TLS port answered with nothing, SIGHUP
// swapping the certificate for new connections while a slow download that began before it
// completes byte for byte, a broken new pair kept out, and bad TLS options refused at start.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "http_client.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace fs = std::filesystem;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    curl_ = FindProgram("curl");
    openssl_ = FindProgram("openssl");
    ASSERT_FALSE(curl_.empty()) << "curl is needed on PATH";
    ASSERT_FALSE(openssl_.empty()) << "openssl is needed on PATH";
    ASSERT_TRUE(MakeCertificate("first", cert_, key_));
  }

  // A self-signed certificate for 127.0.0.1 and localhost whose subject names `name`.
  bool MakeCertificate(std::string_view name, const fs::path& cert, const fs::path& key) const {
    const CommandResult made = RunCommand(
        openssl_, {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                   "-days", "2", "-keyout", key.string(), "-out", cert.string(), "-subj",
                   Concat("/CN=", name), "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"});
    EXPECT_EQ(made.exit_code, 0) << made.err;
    return made.exit_code == 0;
  }

  void Start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--tls-cert",      cert_.string(),     "--tls-key",
                                     key_.string(),     "--admin-tls-cert", cert_.string(),
                                     "--admin-tls-key", key_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    ASSERT_TRUE(tollgate_.Start(args));
  }

  std::string DownloadUrl(std::string_view path) const {
    return Concat("https://127.0.0.1:", tollgate_.download_port(), "/public/default/open/", path);
  }

  // curl over https trusting `ca`, the body saved to `out`; extra arguments before the URL.
  CommandResult Curl(const fs::path& ca, const std::string& url, const fs::path& out,
                     std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"--silent",  "--show-error", "--fail",    "--cacert",
                                     ca.string(), "--output",     out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(url);
    return RunCommand(curl_, args, {}, std::chrono::seconds(60));
  }

  // Makes the public repository `open` through the admin API over https.
  void CreateOpenRepository() {
    const fs::path answer = tollgate_.root() / "created.json";
    const CommandResult created = Curl(
        cert_, Concat("https://127.0.0.1:", tollgate_.admin_port(), "/api/v1/repos/default/"),
        answer,
        {"-H", Concat("X-Api-Key: ", tollgate_.admin_key()), "-H", "Content-Type: application/json",
         "--data", R"({"slug":"open","repository_type":"public"})"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
  }

  TollgateProcess tollgate_;
  std::string curl_;
  std::string openssl_;
  const fs::path cert_ = tollgate_.root() / "cert.pem";
  const fs::path key_ = tollgate_.root() / "key.pem";
};

// curl --cacert downloads byte for byte; a file larger than the 64 KiB copy buffer too.
TEST_F(TlsTest, CurlDownloadsOverTls) {
  Start();
  CreateOpenRepository();
  std::string big(3 * 1024 * 1024 + 17, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + i / 4096);
  tollgate_.PlaceFile("open", "small.txt", "small body");
  tollgate_.PlaceFile("open", "big.bin", big);
  const fs::path out = tollgate_.root() / "out";
  ASSERT_EQ(Curl(cert_, DownloadUrl("small.txt"), out).exit_code, 0);
  EXPECT_EQ(ReadFile(out), "small body");
  const CommandResult fetched = Curl(cert_, DownloadUrl("big.bin"), out);
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  EXPECT_TRUE(ReadFile(out) == big) << "the body differs";
  // A ranged request and keep-alive over one TLS connection.
  const CommandResult ranged = Curl(cert_, DownloadUrl("big.bin"), out, {"--range", "100-199"});
  ASSERT_EQ(ranged.exit_code, 0) << ranged.err;
  EXPECT_EQ(ReadFile(out), big.substr(100, 100));
}

// Plain HTTP on the TLS port gets no HTTP answer at all, and the connection is closed.
TEST_F(TlsTest, PlainHttpToTheTlsPortServesNothing) {
  Start();
  for (uint16_t port : {tollgate_.download_port(), tollgate_.admin_port()}) {
    const RawExchange exchange =
        HttpClient(port).SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(exchange.closed_by_server) << port;
    EXPECT_EQ(exchange.received.find("HTTP/"), std::string::npos) << exchange.received;
  }
}

// The CLI speaks https with --cacert, and refuses a server it cannot verify.
TEST_F(TlsTest, CliTalksToTheAdminApiOverHttps) {
  Start();
  const std::string api = Concat("https://127.0.0.1:", tollgate_.admin_port());
  const CommandResult listed =
      RunTollgate({"repos", "create", "default", "--slug", "agents", "--api", api, "--cacert",
                   cert_.string(), "--api-key", tollgate_.admin_key()});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  const CommandResult untrusted =
      RunTollgate({"repos", "list", "default", "--api", api, "--api-key", tollgate_.admin_key()});
  EXPECT_NE(untrusted.exit_code, 0);
  EXPECT_NE(untrusted.err.find("certificate verify failed"), std::string::npos) << untrusted.err;
  EXPECT_EQ(untrusted.err.find(tollgate_.admin_key()), std::string::npos);
}

// SIGHUP with a new pair: the next connection shows the new certificate, the old one is no
// longer served, and a slow download that began before completes byte for byte.
TEST_F(TlsTest, SighupSwapsTheCertificateWithoutDisturbingDownloads) {
  Start();
  CreateOpenRepository();
  std::string body(4 * 1024 * 1024, '\0');
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i % 251);
  tollgate_.PlaceFile("open", "slow.bin", body);
  const fs::path old_ca = tollgate_.root() / "old-cert.pem";
  fs::copy_file(cert_, old_ca);

  const fs::path slow_out = tollgate_.root() / "slow.out";
  std::future<CommandResult> slow = std::async(std::launch::async, [&] {
    return Curl(old_ca, DownloadUrl("slow.bin"), slow_out, {"--limit-rate", "1M"});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(700));  // the download is under way

  const fs::path new_cert = tollgate_.root() / "new-cert.pem";
  const fs::path new_key = tollgate_.root() / "new-key.pem";
  ASSERT_TRUE(MakeCertificate("second", new_cert, new_key));
  fs::copy_file(new_cert, cert_, fs::copy_options::overwrite_existing);
  fs::copy_file(new_key, key_, fs::copy_options::overwrite_existing);
  tollgate_.Signal(SIGHUP);
  ASSERT_TRUE(tollgate_.WaitForLog("tls_reloaded"));

  const fs::path out = tollgate_.root() / "after";
  tollgate_.PlaceFile("open", "after.txt", "after reload");
  const CommandResult with_new = Curl(new_cert, DownloadUrl("after.txt"), out);
  EXPECT_EQ(with_new.exit_code, 0) << with_new.err;
  EXPECT_NE(Curl(old_ca, DownloadUrl("after.txt"), out).exit_code, 0);

  const CommandResult finished = slow.get();
  EXPECT_EQ(finished.exit_code, 0) << finished.err;
  EXPECT_TRUE(ReadFile(slow_out) == body) << "the slow download was disturbed";
}

// A broken new pair is logged and the old one stays in use.
TEST_F(TlsTest, BrokenPairOnReloadKeepsTheOldOne) {
  Start();
  CreateOpenRepository();
  tollgate_.PlaceFile("open", "a.txt", "still served");
  const fs::path ca = tollgate_.root() / "ca.pem";
  fs::copy_file(cert_, ca);
  WriteFile(key_, "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
  tollgate_.Signal(SIGHUP);
  ASSERT_TRUE(tollgate_.WaitForLog("tls_reload_failed"));
  const fs::path out = tollgate_.root() / "out";
  ASSERT_EQ(Curl(ca, DownloadUrl("a.txt"), out).exit_code, 0);
  EXPECT_EQ(ReadFile(out), "still served");
}

// Protocol versions and ALPN: only TLS 1.2 and 1.3, and only http/1.1 are agreed.
TEST_F(TlsTest, OnlyModernProtocolsAndHttp11AreAgreed) {
  Start();
  const std::string address = Concat("127.0.0.1:", tollgate_.download_port());
  const auto client = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"s_client", "-connect", address, "-CAfile", cert_.string()});
    return RunCommand(openssl_, args);
  };
  const CommandResult old = client({"-tls1_1"});
  EXPECT_NE(old.err.find("alert protocol version"), std::string::npos) << old.err;
  const CommandResult h2_only = client({"-alpn", "h2"});
  EXPECT_NE(h2_only.err.find("no application protocol"), std::string::npos) << h2_only.err;
  const CommandResult http11 = client({"-alpn", "h2,http/1.1"});
  EXPECT_NE(http11.out.find("ALPN protocol: http/1.1"), std::string::npos) << http11.out;
  for (const std::string_view version : {"-tls1_2", "-tls1_3"}) {
    const CommandResult modern = client({std::string(version)});
    EXPECT_NE(modern.out.find("Verify return code: 0 (ok)"), std::string::npos) << modern.out;
  }
}

// Two requests sent in one write (one TLS record) are both answered: OpenSSL reads ahead, and
// the second request must not wait in its buffer for bytes the socket will never bring.
TEST_F(TlsTest, PipelinedRequestsInOneRecordAreBothAnswered) {
  Start();
  CreateOpenRepository();
  tollgate_.PlaceFile("open", "a.txt", "first body");
  tollgate_.PlaceFile("open", "b.txt", "second body");
  const std::string requests =
      Concat("GET /public/default/open/a.txt HTTP/1.1\r\nHost: x\r\n\r\n",
             "GET /public/default/open/b.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const fs::path input = tollgate_.root() / "requests";
  WriteFile(input, requests);
  const CommandResult answered = RunCommand(
      "/bin/sh",
      {"-c", Concat(openssl_, " s_client -quiet -connect 127.0.0.1:", tollgate_.download_port(),
                    " -CAfile ", cert_.string(), " < ", input.string())},
      {}, std::chrono::seconds(20));
  EXPECT_NE(answered.out.find("first body"), std::string::npos) << answered.out;
  EXPECT_NE(answered.out.find("second body"), std::string::npos) << answered.out;
}

// A session ticket from one connection resumes the next one (TLS 1.3 and 1.2). s_client's
// input stays open a second, so it reads the tickets TLS 1.3 sends after the handshake.
TEST_F(TlsTest, SessionTicketsResume) {
  Start();
  const std::string client =
      Concat("sleep 1 | ", openssl_, " s_client -connect 127.0.0.1:", tollgate_.download_port(),
             " -CAfile ", cert_.string(), " ");
  for (const std::string_view version : {"-tls1_3", "-tls1_2"}) {
    const fs::path session = tollgate_.root() / Concat("session", version);
    const CommandResult first =
        RunCommand("/bin/sh", {"-c", Concat(client, version, " -sess_out ", session.string())});
    ASSERT_NE(first.out.find("New, TLS"), std::string::npos) << first.out;
    const CommandResult second =
        RunCommand("/bin/sh", {"-c", Concat(client, version, " -sess_in ", session.string())});
    EXPECT_NE(second.out.find("Reused, TLS"), std::string::npos) << version << ": " << second.out;
  }
}

// A TLS connection that never completes its handshake is closed by the header deadline, and
// a full TLS listener closes new connections without an answer while everyone admitted is
// served.
TEST_F(TlsTest, SilentAndSurplusTlsConnectionsAreClosed) {
  Start({"--max-connections", "3"});
  CreateOpenRepository();
  tollgate_.PlaceFile("open", "a.txt", "served");
  HttpConnection silent(tollgate_.download_port(), "", std::chrono::seconds(20));
  HttpConnection second(tollgate_.download_port(), "", std::chrono::seconds(20));
  HttpConnection third(tollgate_.download_port(), "", std::chrono::seconds(20));
  const RawExchange surplus = HttpClient(tollgate_.download_port()).SendRaw("\x16\x03\x01");
  EXPECT_TRUE(surplus.closed_by_server);
  EXPECT_TRUE(surplus.received.empty()) << surplus.received;
  const auto opened = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.ReadUntilClosed().closed_by_server);
  EXPECT_LT(std::chrono::steady_clock::now() - opened, std::chrono::seconds(12));
  // The others went with it; the listener serves again.
  third.ReadUntilClosed();
  second.ReadUntilClosed();
  const fs::path out = tollgate_.root() / "out";
  const CommandResult served = Curl(cert_, DownloadUrl("a.txt"), out);
  EXPECT_EQ(served.exit_code, 0) << served.err;
}

// Bad TLS options stop tollgate at start with one line naming the option.
TEST_F(TlsTest, BadTlsOptionsExitNamingTheOption) {
  const CommandResult lone_cert = RunTollgate(
      {"serve", "--data-dir", (tollgate_.root() / "d1").string(), "--tls-cert", cert_.string()});
  EXPECT_EQ(lone_cert.exit_code, 2);
  EXPECT_NE(lone_cert.err.find("--tls-key"), std::string::npos) << lone_cert.err;
  const CommandResult missing =
      RunTollgate({"serve", "--data-dir", (tollgate_.root() / "d2").string(), "--admin-tls-cert",
                   "/nonexistent.pem", "--admin-tls-key", key_.string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--admin-tls-cert"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace tollgate::testing
