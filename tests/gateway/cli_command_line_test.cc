// Tests of the client's command-line parsing against the verb table (SPEC §6).
#include <string>
#include <vector>

#include "cli/command_line.h"
#include "gtest/gtest.h"

namespace tollgate::gateway::cli {
namespace {

absl::StatusOr<CommandLine> Parse(std::string_view group, std::vector<std::string> words) {
  return ParseCommandLine(group, words);
}

// The usage error's message, "" when the words parsed.
std::string UsageError(std::string_view group, std::vector<std::string> words) {
  const absl::StatusOr<CommandLine> parsed = Parse(group, std::move(words));
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(parsed.status().message());
}

// Verb, arguments and options come out in order, whatever their position.
TEST(ParseCommandLineTest, ReadsVerbArgumentsAndOptions) {
  const absl::StatusOr<CommandLine> parsed =
      Parse("ents", {"--output", "json", "refresh", "acme/agents", "--token=custom-token-1",
                     "ID123", "--api", "http://127.0.0.1:9", "--api-key", "k"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->verb->name, "refresh");
  EXPECT_EQ(parsed->arguments, (std::vector<std::string>{"acme/agents", "ID123"}));
  EXPECT_EQ(parsed->Option("token"), "custom-token-1");
  EXPECT_EQ(parsed->api, "http://127.0.0.1:9");
  EXPECT_EQ(parsed->api_key, "k");
  EXPECT_EQ(parsed->output, OutputFormat::kJson);
}

// Table output is the default, and neither --api nor --api-key is required by the parser.
TEST(ParseCommandLineTest, DefaultsToTableWithoutApiOptions) {
  const absl::StatusOr<CommandLine> parsed = Parse("repos", {"list", "acme"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->output, OutputFormat::kTable);
  EXPECT_FALSE(parsed->api.has_value());
  EXPECT_FALSE(parsed->api_key.has_value());
}

// An unknown verb is a usage error naming it.
TEST(ParseCommandLineTest, RefusesUnknownVerb) {
  EXPECT_EQ(UsageError("ents", {"frobnicate", "acme/agents"}), "unknown verb 'ents frobnicate'");
}

// No verb at all is a usage error, unless help is asked for.
TEST(ParseCommandLineTest, MissingVerbIsUsageErrorButHelpIsNot) {
  EXPECT_EQ(UsageError("teams", {}), "missing verb for 'teams'");
  const absl::StatusOr<CommandLine> help = Parse("teams", {"--help"});
  ASSERT_TRUE(help.ok()) << help.status();
  EXPECT_TRUE(help->help);
  EXPECT_EQ(help->verb, nullptr);
}

// --help after a verb skips the argument checks.
TEST(ParseCommandLineTest, VerbHelpNeedsNoArguments) {
  const absl::StatusOr<CommandLine> help = Parse("ents", {"create", "--help"});
  ASSERT_TRUE(help.ok()) << help.status();
  EXPECT_TRUE(help->help);
  EXPECT_EQ(help->verb->name, "create");
}

// OWNER/REPO must have both halves and one slash.
TEST(ParseCommandLineTest, RefusesMalformedOwnerRepo) {
  EXPECT_EQ(UsageError("ents", {"list", "acme"}), "expected OWNER/REPO, got 'acme'");
  EXPECT_EQ(UsageError("ents", {"list", "acme/"}), "expected OWNER/REPO, got 'acme/'");
  EXPECT_EQ(UsageError("ents", {"list", "/agents"}), "expected OWNER/REPO, got '/agents'");
  EXPECT_EQ(UsageError("ents", {"list", "a/b/c"}), "expected OWNER/REPO, got 'a/b/c'");
}

// OWNER alone must not hold a slash.
TEST(ParseCommandLineTest, RefusesSlashInOwner) {
  EXPECT_EQ(UsageError("repos", {"list", "acme/agents"}),
            "expected OWNER (an org name, no '/'), got 'acme/agents'");
}

// Missing and extra arguments are named.
TEST(ParseCommandLineTest, CountsArguments) {
  EXPECT_EQ(UsageError("ents", {"create"}), "missing OWNER/REPO");
  EXPECT_EQ(UsageError("ents", {"usage", "acme/agents"}), "missing IDENTIFIER");
  EXPECT_EQ(UsageError("ents", {"list", "acme/agents", "extra"}), "unexpected argument 'extra'");
}

// A required option must be given.
TEST(ParseCommandLineTest, RequiresRequiredOptions) {
  EXPECT_EQ(UsageError("ents", {"create", "acme/agents"}), "missing --name");
  EXPECT_EQ(UsageError("ents", {"sync", "acme/agents"}), "missing --source");
}

// Options not in the verb's row are refused, naming the verb.
TEST(ParseCommandLineTest, RefusesUnknownOption) {
  EXPECT_EQ(UsageError("ents", {"list", "acme/agents", "--name", "x"}),
            "unknown option --name for 'ents list'");
  EXPECT_EQ(UsageError("ents", {"--name", "x", "create", "acme/agents"}),
            "unknown option --name (the verb's options come after it)");
}

// An unknown option given as --name=value is reported without its value.
TEST(ParseCommandLineTest, UnknownOptionMessageOmitsValue) {
  EXPECT_EQ(UsageError("repos", {"list", "acme", "--apikey=secret-value"}),
            "unknown option --apikey for 'repos list'");
}

// An option that takes a value needs one.
TEST(ParseCommandLineTest, RefusesOptionWithoutValue) {
  EXPECT_EQ(UsageError("ents", {"create", "acme/agents", "--name"}), "--name needs a value");
}

// Flags take no value.
TEST(ParseCommandLineTest, RefusesValueForFlag) {
  EXPECT_EQ(UsageError("ents", {"list", "acme/agents", "--show-tokens=yes"}),
            "--show-tokens takes no value");
}

// A single-valued option cannot be given twice; a list option can.
TEST(ParseCommandLineTest, RepeatsOnlyListOptions) {
  EXPECT_EQ(UsageError("ents", {"create", "acme/agents", "--name", "a", "--name", "b"}),
            "--name given twice");
  EXPECT_EQ(
      UsageError("services", {"create", "acme", "--name", "ci", "--team", "a", "--team", "b"}), "");
}

// --output accepts only table and json.
TEST(ParseCommandLineTest, RefusesUnknownOutputFormat) {
  EXPECT_EQ(UsageError("repos", {"list", "acme", "--output", "yaml"}),
            "--output must be table or json");
}

// A PATCH verb with nothing to change is refused before any request.
TEST(ParseCommandLineTest, UpdateNeedsSomethingToChange) {
  const std::string message = UsageError("repos", {"update", "acme/agents"});
  EXPECT_TRUE(message.starts_with("nothing to change: give at least one of --name")) << message;
  EXPECT_EQ(UsageError("repos", {"update", "acme/agents", "--output", "json"}), message);
  EXPECT_EQ(UsageError("repos", {"update", "acme/agents", "--type", "public"}), "");
}

// After "--" every word is an argument, even one starting with dashes.
TEST(ParseCommandLineTest, DoubleDashEndsOptions) {
  const absl::StatusOr<CommandLine> parsed =
      Parse("packages", {"delete", "acme/agents", "--", "--odd-name.deb"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->arguments.back(), "--odd-name.deb");
}

}  // namespace
}  // namespace tollgate::gateway::cli
