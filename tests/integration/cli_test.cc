// The command-line client (SPEC §6) as a user runs it: the real tollgate binary as client
// against a real tollgate server on loopback, downloads with the real curl.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "boost/json/array.hpp"
#include "boost/json/object.hpp"
#include "boost/json/serialize.hpp"
#include "gtest/gtest.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::string_view kDebPath = "pool/agent_2.0_amd64.deb";
constexpr std::string_view kDebBytes = "agent 2.0 package bytes\n";

// The curl on PATH; "" when there is none.
// A command's output as JSON; fails the test (with the streams) when it is not.
json::value OutputJson(const CommandResult& result) {
  EXPECT_EQ(result.exit_code, 0) << result.err;
  try {
    return ParseJson(result.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what() << "\nstderr: " << result.err;
    return nullptr;
  }
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tollgate_.Start());
    ASSERT_FALSE(tollgate_.admin_key().empty());
    curl_ = FindProgram("curl");
    ASSERT_FALSE(curl_.empty()) << "curl is needed on PATH";
  }

  std::string ApiUrl() const { return Concat("http://127.0.0.1:", tollgate_.admin_port()); }

  // `tollgate ARGS…` with the API and `key` from the environment (no key when empty).
  CommandResult Cli(const std::vector<std::string>& args, const std::string& key) const {
    Environment env = {{"TOLLGATE_API", ApiUrl()}};
    if (!key.empty()) env["TOLLGATE_API_KEY"] = key;
    return RunTollgate(args, env);
  }

  // `tollgate ARGS…` as the bootstrapped admin.
  CommandResult Admin(const std::vector<std::string>& args) const {
    return Cli(args, tollgate_.admin_key());
  }

  // Writes `content` to a local file for uploads and returns its path.
  std::string LocalFile(std::string_view name, std::string_view content) const {
    const fs::path path = local_.path() / name;
    WriteFile(path, content);
    return path.string();
  }

  // The token string of a new entitlement in default/`repo`, created with `key`.
  std::string CreateToken(std::string_view repo, const std::string& key,
                          std::vector<std::string> limits = {}) const {
    std::vector<std::string> args = {
        "ents", "create", Concat("default/", repo), "--name", "customer-42", "--output", "json"};
    args.insert(args.end(), limits.begin(), limits.end());
    const json::value token = OutputJson(Cli(args, key));
    return token.is_object() ? JsonString(token, "token") : "";
  }

  // curl's result for GET /{token}/default/{repo}/{path}, the body saved to `out`.
  CommandResult CurlDownload(std::string_view token, std::string_view repo, std::string_view path,
                             const fs::path& out) const {
    return RunCommand(curl_, {"--silent", "--show-error", "--fail", "--output", out.string(),
                              Concat("http://127.0.0.1:", tollgate_.download_port(), "/", token,
                                     "/default/", repo, "/", path)});
  }

  // The entitlement usage as JSON, asked for with `key`.
  json::value Usage(std::string_view repo, std::string_view token_name, const std::string& key) {
    const json::value tokens =
        OutputJson(Cli({"ents", "list", Concat("default/", repo), "--output", "json"}, key));
    for (const json::value& token : tokens.as_array()) {
      if (JsonString(token, "name") == token_name) {
        return OutputJson(Cli({"ents", "usage", Concat("default/", repo),
                               JsonString(token, "identifier"), "--output", "json"},
                              key));
      }
    }
    ADD_FAILURE() << "no token named " << token_name << " in " << json::serialize(tokens);
    return nullptr;
  }

  TollgateProcess tollgate_;
  TempDir local_;
  std::string curl_;
};

// With the existing endpoints: create a repository, upload, create a token with limits,
// download it with curl, and see the download in `ents usage --output json`.
TEST_F(CliTest, UploadTokenDownloadAndUsage) {
  ASSERT_EQ(Admin({"repos", "create", "default", "--slug", "agents"}).exit_code, 0);
  const CommandResult upload =
      Admin({"packages", "upload", "default/agents", LocalFile("agent.deb", kDebBytes), "--path",
             std::string(kDebPath)});
  ASSERT_EQ(upload.exit_code, 0) << upload.err;
  const std::string token = CreateToken("agents", tollgate_.admin_key(),
                                        {"--limit-num-downloads", "5", "--limit-num-clients", "1",
                                         "--limit-date-range-to", "2099-01-01T00:00:00Z"});
  ASSERT_FALSE(token.empty());

  const fs::path saved = local_.path() / "downloaded.deb";
  const CommandResult download = CurlDownload(token, "agents", kDebPath, saved);
  ASSERT_EQ(download.exit_code, 0) << download.err;
  EXPECT_EQ(ReadFile(saved), kDebBytes);

  const json::value usage = Usage("agents", "customer-42", tollgate_.admin_key());
  ASSERT_TRUE(usage.is_object());
  EXPECT_EQ(usage.at("downloads").to_number<int64_t>(), 1);
  EXPECT_EQ(usage.at("bandwidth").to_number<int64_t>(), static_cast<int64_t>(kDebBytes.size()));
  ASSERT_EQ(usage.at("events").as_array().size(), 1u);
  EXPECT_EQ(JsonString(usage.at("events").as_array()[0], "path"), kDebPath);
}

// The token's limits given as options arrive as the API's fields.
TEST_F(CliTest, EntsCreateSetsLimits) {
  ASSERT_EQ(Admin({"repos", "create", "default", "--slug", "agents"}).exit_code, 0);
  const json::value token = OutputJson(Admin(
      {"ents", "create", "default/agents", "--name", "customer-7", "--limit-num-downloads", "10",
       "--limit-bandwidth", "5", "--limit-bandwidth-unit", "gigabyte", "--scheduled-reset-period",
       "monthly", "--metadata", R"({"customer_id": 7})", "--output", "json"}));
  ASSERT_TRUE(token.is_object());
  EXPECT_EQ(token.at("limit_num_downloads").to_number<int64_t>(), 10);
  EXPECT_EQ(token.at("limit_bandwidth").to_number<int64_t>(), 5);
  EXPECT_EQ(JsonString(token, "limit_bandwidth_unit"), "gigabyte");
  EXPECT_EQ(JsonString(token, "scheduled_reset_period"), "monthly");
  EXPECT_EQ(token.at("metadata").at("customer_id").to_number<int64_t>(), 7);
}

// A file of many chunks arrives intact, and its checksum is the one the client sent.
TEST_F(CliTest, UploadStreamsLargeFile) {
  ASSERT_EQ(Admin({"repos", "create", "default", "--slug", "agents"}).exit_code, 0);
  std::string bytes(5 * 1024 * 1024 + 123, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 7919) % 251);
  const CommandResult upload = Admin(
      {"packages", "upload", "default/agents", LocalFile("big.bin", bytes), "--output", "json"});
  const json::value uploaded = OutputJson(upload);
  ASSERT_TRUE(uploaded.is_object());
  EXPECT_EQ(uploaded.at("size").to_number<uint64_t>(), bytes.size());
  EXPECT_EQ(JsonString(uploaded, "path"), "big.bin");
  EXPECT_EQ(ReadFile(tollgate_.RepoDir("agents") / "big.bin"), bytes);
}

// An existing path is refused with 409 (before the body is sent), and replaced with --overwrite.
TEST_F(CliTest, UploadOverExistingNeedsOverwrite) {
  ASSERT_EQ(Admin({"repos", "create", "default", "--slug", "agents"}).exit_code, 0);
  const std::string first = LocalFile("a.txt", "first\n");
  ASSERT_EQ(Admin({"packages", "upload", "default/agents", first}).exit_code, 0);
  const std::string second = LocalFile("sub/a.txt", "second\n");
  const CommandResult refused = Admin({"packages", "upload", "default/agents", second});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err,
            "error: This path exists; add ?overwrite=true to replace it. (conflict, HTTP 409)\n");
  ASSERT_EQ(Admin({"packages", "upload", "default/agents", second, "--overwrite"}).exit_code, 0);
  EXPECT_EQ(ReadFile(tollgate_.RepoDir("agents") / "a.txt"), "second\n");
}

// Lists print aligned columns by default.
TEST_F(CliTest, TableOutputByDefault) {
  ASSERT_EQ(Admin({"repos", "create", "default", "--slug", "agents"}).exit_code, 0);
  const CommandResult list = Admin({"repos", "list", "default"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const std::vector<std::string> lines = Lines(list.out);
  ASSERT_EQ(lines.size(), 2u) << list.out;
  EXPECT_TRUE(lines[0].starts_with("SLUG    NAME    TYPE     STORAGE  CREATED")) << lines[0];
  EXPECT_TRUE(lines[1].starts_with("agents  agents  private  fs       ")) << lines[1];
}

// A deletion prints "done" and leaves nothing behind.
TEST_F(CliTest, PackagesDelete) {
  ASSERT_EQ(Admin({"repos", "create", "default", "--slug", "agents"}).exit_code, 0);
  ASSERT_EQ(Admin({"packages", "upload", "default/agents", LocalFile("a b.txt", "x"), "--path",
                   "dir/a b.txt"})
                .exit_code,
            0);
  const CommandResult deleted = Admin({"packages", "delete", "default/agents", "dir/a b.txt"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(deleted.out, "done\n");
  EXPECT_EQ(OutputJson(Admin({"packages", "list", "default/agents", "--output", "json"})),
            json::array());
}

// A 404 ends with exit code 1 and the API's detail, code and status on one line.
TEST_F(CliTest, NotFoundIsOneErrorLine) {
  ASSERT_EQ(Admin({"repos", "create", "default", "--slug", "agents"}).exit_code, 0);
  const CommandResult result = Admin({"ents", "get", "default/agents", "nosuchtoken"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "error: No such entitlement token. (not_found, HTTP 404)\n");
}

// A 422 names the field in the error line.
TEST_F(CliTest, InvalidFieldIsOneErrorLine) {
  ASSERT_EQ(Admin({"repos", "create", "default", "--slug", "agents"}).exit_code, 0);
  const CommandResult result = Admin(
      {"ents", "create", "default/agents", "--name", "x", "--limit-bandwidth-unit", "parsec"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "error: limit_bandwidth_unit: unknown value 'parsec' (invalid_field, HTTP 422)\n");
}

// Without a key the API's 401 message is shown.
TEST_F(CliTest, MissingApiKeyIs401Message) {
  const CommandResult result = Cli({"repos", "list", "default"}, "");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "error: Send an API key in X-Api-Key or Authorization. (missing_api_key, HTTP 401)\n");
}

// A wrong key is refused and never printed.
TEST_F(CliTest, WrongApiKeyIsNotPrinted) {
  const std::string wrong = "wrong-secret-key-1234567890";
  const CommandResult result =
      RunTollgate({"repos", "list", "default", "--api", ApiUrl(), "--api-key", wrong});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("(invalid_api_key, HTTP 401)"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(wrong), std::string::npos);
  EXPECT_EQ(result.out.find(wrong), std::string::npos);
}

// --api and --api-key work as well as the environment.
TEST_F(CliTest, ApiOptionsInsteadOfEnvironment) {
  const CommandResult result =
      RunTollgate({"repos", "create", "default", "--slug", "tools", "--type", "public", "--api",
                   ApiUrl(), "--api-key", tollgate_.admin_key(), "--output", "json"});
  EXPECT_EQ(JsonString(OutputJson(result), "repository_type"), "public");
}

// A usage error exits 2 with the verb's usage line, before any request.
TEST_F(CliTest, UsageErrorExits2) {
  const CommandResult result = Admin({"ents", "create", "default/agents"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(result.err.starts_with("error: missing --name\nusage: tollgate ents create "))
      << result.err;
  const CommandResult unknown = Admin({"ents", "explode", "default/agents"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(unknown.err.starts_with("error: unknown verb 'ents explode'\nusage: tollgate ents "))
      << unknown.err;
}

// --help lists the group's verbs on stdout and exits 0.
TEST_F(CliTest, GroupHelp) {
  const CommandResult result = RunTollgate({"ents", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(result.out.starts_with("usage: tollgate ents VERB")) << result.out;
  for (const std::string_view verb : {"create", "list", "get", "update", "delete", "enable",
                                      "disable", "refresh", "reset", "sync", "usage", "me"}) {
    EXPECT_NE(result.out.find(Concat("\n  ", verb, " OWNER/REPO")), std::string::npos) << verb;
  }
}

// A server that cannot be reached is exit 1 with one line naming where.
TEST_F(CliTest, UnreachableApi) {
  const std::string url = ApiUrl();
  const std::string port = std::to_string(tollgate_.admin_port());
  ASSERT_EQ(tollgate_.Stop(), 0);
  const CommandResult result = RunTollgate({"repos", "list", "default", "--api", url});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(result.err.starts_with(Concat("error: cannot connect to 127.0.0.1:", port, ": ")))
      << result.err;
}

// --- Endpoints of the accounts work (issue #6); these skip while the server answers 404. ---

// A service created by the CLI gets write through set-privileges, uploads with its own key,
// creates a token with limits; curl downloads with it and the usage lists the download.
TEST_F(CliTest, ServicePublishesAndIssuesTokens) {
  ASSERT_EQ(Admin({"repos", "create", "default", "--slug", "agents"}).exit_code, 0);
  const CommandResult created = Admin({"services", "create", "default", "--name", "CI pipeline",
                                       "--description", "builds agents", "--output", "json"});
  const json::value service = OutputJson(created);
  const std::string slug = JsonString(service, "slug");
  const std::string key = JsonString(service, "key");
  const CommandResult granted = Admin(
      {"repos", "set-privileges", "default/agents", "--grant", Concat("service:", slug, ":write")});
  ASSERT_EQ(granted.exit_code, 0) << granted.err;

  const CommandResult upload =
      Cli({"packages", "upload", "default/agents", LocalFile("agent.deb", kDebBytes), "--path",
           std::string(kDebPath)},
          key);
  ASSERT_EQ(upload.exit_code, 0) << upload.err;
  const std::string token =
      CreateToken("agents", key, {"--limit-num-downloads", "3", "--limit-num-clients", "1"});
  ASSERT_FALSE(token.empty());
  const fs::path saved = local_.path() / "downloaded.deb";
  const CommandResult download = CurlDownload(token, "agents", kDebPath, saved);
  ASSERT_EQ(download.exit_code, 0) << download.err;
  EXPECT_EQ(ReadFile(saved), kDebBytes);

  const json::value usage = Usage("agents", "customer-42", key);
  ASSERT_TRUE(usage.is_object());
  EXPECT_EQ(usage.at("downloads").to_number<int64_t>(), 1);
  ASSERT_EQ(usage.at("events").as_array().size(), 1u);
}

// The table output of services create shows the key once, clearly; lists never show it.
TEST_F(CliTest, ServiceKeyShownOnceInTable) {
  const CommandResult created = Admin({"services", "create", "default", "--name", "ci"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string notice =
      "API key (shown only this once; store it now, it cannot be shown again):\n";
  const size_t at = created.out.find(notice);
  ASSERT_NE(at, std::string::npos) << created.out;
  const std::string key = Lines(created.out.substr(at + notice.size())).at(0);
  ASSERT_GE(key.size(), 20u);
  const CommandResult list = Admin({"services", "list", "default"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("ci"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find(key), std::string::npos);
  EXPECT_EQ(Cli({"repos", "list", "default"}, key).exit_code, 0);
}

// services refresh prints a new key; the old one stops working at once.
TEST_F(CliTest, ServiceRefreshRotatesKey) {
  const CommandResult created =
      Admin({"services", "create", "default", "--name", "ci", "--output", "json"});
  const json::value service = OutputJson(created);
  const std::string old_key = JsonString(service, "key");
  const json::value refreshed = OutputJson(
      Admin({"services", "refresh", "default", JsonString(service, "slug"), "--output", "json"}));
  const std::string new_key = JsonString(refreshed, "key");
  EXPECT_NE(new_key, old_key);
  EXPECT_NE(Cli({"repos", "list", "default"}, old_key).err.find("HTTP 401)"), std::string::npos);
  EXPECT_EQ(Cli({"repos", "list", "default"}, new_key).exit_code, 0);
}

// services update and delete; a deleted service's key stops working.
TEST_F(CliTest, ServiceUpdateAndDelete) {
  const CommandResult created =
      Admin({"services", "create", "default", "--name", "ci", "--output", "json"});
  const json::value service = OutputJson(created);
  const std::string slug = JsonString(service, "slug");
  const json::value updated =
      OutputJson(Admin({"services", "update", "default", slug, "--description", "release builds",
                        "--role", "manager", "--output", "json"}));
  EXPECT_EQ(JsonString(updated, "description"), "release builds");
  EXPECT_EQ(JsonString(updated, "role"), "manager");
  EXPECT_EQ(updated.as_object().count("key"), 0u);
  const CommandResult got = Admin({"services", "get", "default", slug, "--output", "json"});
  EXPECT_EQ(JsonString(OutputJson(got), "description"), "release builds");
  ASSERT_EQ(Admin({"services", "delete", "default", slug}).exit_code, 0);
  EXPECT_NE(Cli({"repos", "list", "default"}, JsonString(service, "key")).err.find("HTTP 401)"),
            std::string::npos);
}

// members add prints the user's key; update, list and remove work; a removed user's key dies.
TEST_F(CliTest, MembersLifecycle) {
  const CommandResult added = Admin(
      {"members", "add", "default", "--name", "alice", "--role", "member", "--output", "json"});
  const std::string key = JsonString(OutputJson(added), "key");
  ASSERT_EQ(Admin({"members", "update", "default", "alice", "--role", "manager"}).exit_code, 0);
  const json::value members = OutputJson(Admin({"members", "list", "default", "--output", "json"}));
  bool listed = false;
  for (const json::value& member : members.as_array()) {
    if (JsonString(member, "name") == "alice") {
      listed = true;
      EXPECT_EQ(JsonString(member, "role"), "manager");
      EXPECT_EQ(member.as_object().count("key"), 0u);
    }
  }
  EXPECT_TRUE(listed) << json::serialize(members);
  const json::value refreshed =
      OutputJson(Admin({"members", "refresh", "default", "alice", "--output", "json"}));
  const std::string new_key = JsonString(refreshed, "key");
  EXPECT_NE(new_key, key);
  ASSERT_EQ(Admin({"members", "remove", "default", "alice"}).exit_code, 0);
  EXPECT_NE(Cli({"repos", "list", "default"}, new_key).err.find("HTTP 401)"), std::string::npos);
}

// teams create, add-member (service), list and get with members, remove-member, delete.
TEST_F(CliTest, TeamsLifecycle) {
  const CommandResult created = Admin({"teams", "create", "default", "--name", "Release",
                                       "--description", "ships", "--output", "json"});
  const std::string team = JsonString(OutputJson(created), "slug");
  const json::value service =
      OutputJson(Admin({"services", "create", "default", "--name", "ci", "--output", "json"}));
  const std::string slug = JsonString(service, "slug");
  const CommandResult added =
      Admin({"teams", "add-member", "default", team, slug, "--kind", "service"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const json::value teams = OutputJson(Admin({"teams", "list", "default", "--output", "json"}));
  ASSERT_EQ(teams.as_array().size(), 1u) << json::serialize(teams);
  const json::array& members = teams.as_array()[0].at("members").as_array();
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(JsonString(members[0], "name"), slug);
  EXPECT_EQ(JsonString(members[0], "kind"), "service");
  const json::value one = OutputJson(Admin({"teams", "get", "default", team, "--output", "json"}));
  EXPECT_EQ(JsonString(one, "description"), "ships");
  ASSERT_EQ(Admin({"teams", "remove-member", "default", team, slug}).exit_code, 0);
  ASSERT_EQ(Admin({"teams", "delete", "default", team}).exit_code, 0);
  EXPECT_EQ(OutputJson(Admin({"teams", "list", "default", "--output", "json"})), json::array());
}

// repos privileges lists what set-privileges stored.
TEST_F(CliTest, PrivilegesRoundTrip) {
  ASSERT_EQ(Admin({"repos", "create", "default", "--slug", "agents"}).exit_code, 0);
  const CommandResult added = Admin({"members", "add", "default", "--name", "bob"});
  const CommandResult set =
      Admin({"repos", "set-privileges", "default/agents", "--grant", "user:bob:read"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  const json::value privileges =
      OutputJson(Admin({"repos", "privileges", "default/agents", "--output", "json"}));
  EXPECT_EQ(privileges, json::value(json::array{json::object{
                            {"kind", "user"}, {"name", "bob"}, {"privilege", "read"}}}));
}

// repos signing-key prints the fingerprint, then the public key block as the API gave it.
TEST_F(CliTest, SigningKeyPrintsThePublicKey) {
  ASSERT_EQ(Admin({"repos", "create", "default", "--slug", "agents"}).exit_code, 0);
  const json::value key =
      OutputJson(Admin({"repos", "signing-key", "default/agents", "--output", "json"}));
  ASSERT_TRUE(key.is_object());
  const CommandResult shown = Admin({"repos", "signing-key", "default/agents"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.out, Concat("fingerprint  ", JsonString(key, "fingerprint"), "\n\npublic_key:\n",
                              JsonString(key, "public_key")));
}

// orgs update sets the quota; a token beyond it is 409 quota_exceeded.
TEST_F(CliTest, OrgQuota) {
  ASSERT_EQ(Admin({"repos", "create", "default", "--slug", "agents"}).exit_code, 0);
  const CommandResult updated =
      Admin({"orgs", "update", "default", "--max-active-entitlements", "1"});
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  const json::value org = OutputJson(Admin({"orgs", "get", "default", "--output", "json"}));
  EXPECT_EQ(org.at("max_active_entitlements").to_number<int64_t>(), 1);
  ASSERT_FALSE(CreateToken("agents", tollgate_.admin_key()).empty());
  const CommandResult second = Admin({"ents", "create", "default/agents", "--name", "customer-43"});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("(quota_exceeded, HTTP 409)"), std::string::npos) << second.err;
  EXPECT_EQ(Admin({"orgs", "update", "default", "--max-active-entitlements", "null"}).exit_code, 0);
}

// ents sync copies the tokens, whose strings then download from the target repository.
TEST_F(CliTest, EntsSync) {
  for (const std::string repo : {"agents", "agents-next"}) {
    ASSERT_EQ(Admin({"repos", "create", "default", "--slug", repo}).exit_code, 0);
    ASSERT_EQ(Admin({"packages", "upload", Concat("default/", repo),
                     LocalFile("agent.deb", kDebBytes), "--path", std::string(kDebPath)})
                  .exit_code,
              0);
  }
  const std::string token = CreateToken("agents", tollgate_.admin_key());
  const CommandResult synced = Admin({"ents", "sync", "default/agents-next", "--source", "agents"});
  ASSERT_EQ(synced.exit_code, 0) << synced.err;
  const CommandResult download =
      CurlDownload(token, "agents-next", kDebPath, local_.path() / "synced.deb");
  EXPECT_EQ(download.exit_code, 0) << download.err;
}

// ents me gives the caller a user token that downloads.
TEST_F(CliTest, EntsMe) {
  ASSERT_EQ(Admin({"repos", "create", "default", "--slug", "agents"}).exit_code, 0);
  ASSERT_EQ(Admin({"packages", "upload", "default/agents", LocalFile("agent.deb", kDebBytes),
                   "--path", std::string(kDebPath)})
                .exit_code,
            0);
  const CommandResult me = Admin({"ents", "me", "default/agents", "--output", "json"});
  const json::value token = OutputJson(me);
  EXPECT_EQ(JsonString(token, "user"), "admin");
  const CommandResult download =
      CurlDownload(JsonString(token, "token"), "agents", kDebPath, local_.path() / "me.deb");
  EXPECT_EQ(download.exit_code, 0) << download.err;
}

// orgs audit-log lists the changes just made.
TEST_F(CliTest, AuditLog) {
  ASSERT_EQ(Admin({"repos", "create", "default", "--slug", "agents"}).exit_code, 0);
  const CommandResult log = Admin({"orgs", "audit-log", "default", "--output", "json"});
  const json::value entries = OutputJson(log);
  ASSERT_TRUE(entries.is_array());
  EXPECT_FALSE(entries.as_array().empty());
  EXPECT_EQ(json::serialize(entries).find(tollgate_.admin_key()), std::string::npos);
}

}  // namespace
}  // namespace tollgate::testing
