// Tests of Authorization header parsing: Basic and Bearer syntax, strict base64, no leaks.
#include "http/authorization_header.h"

#include "gtest/gtest.h"

namespace tollgate::gateway {
namespace {

using Kind = PresentedCredential::Kind;

// Basic credentials decode into user name and password.
TEST(ParseAuthorizationTest, DecodesBasic) {
  // base64("token:s3cr3t-T0ken")
  const absl::StatusOr<PresentedCredential> c =
      ParseAuthorization("Basic dG9rZW46czNjcjN0LVQwa2Vu");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->kind, Kind::kBasic);
  EXPECT_EQ(c->username, "token");
  EXPECT_EQ(c->secret, "s3cr3t-T0ken");
}

// The scheme name is case-insensitive and surrounding whitespace is tolerated.
TEST(ParseAuthorizationTest, SchemeIsCaseInsensitive) {
  for (std::string_view header :
       {"basic dTpw", "BASIC dTpw", "bAsIc   dTpw", " Basic dTpw \t"}) {  // base64("u:p")
    SCOPED_TRACE(header);
    const absl::StatusOr<PresentedCredential> c = ParseAuthorization(header);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(c->username, "u");
    EXPECT_EQ(c->secret, "p");
  }
}

// Only the first ':' separates user from password; passwords may contain more of them.
TEST(ParseAuthorizationTest, SplitsAtFirstColon) {
  // base64("svc:a:b:c")
  const absl::StatusOr<PresentedCredential> c = ParseAuthorization("Basic c3ZjOmE6Yjpj");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->username, "svc");
  EXPECT_EQ(c->secret, "a:b:c");
}

// An empty user name is allowed, as `curl -u :TOKEN` sends it.
TEST(ParseAuthorizationTest, AllowsEmptyUserName) {
  // base64(":tok12345")
  const absl::StatusOr<PresentedCredential> c = ParseAuthorization("Basic OnRvazEyMzQ1");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->username, "");
  EXPECT_EQ(c->secret, "tok12345");
}

// Every padding length decodes, so user:password of any length works.
TEST(ParseAuthorizationTest, DecodesAllPaddingLengths) {
  const struct {
    std::string_view header;
    std::string_view secret;
  } cases[] = {
      {"Basic dTpwcQ==", "pq"},          // "u:pq"
      {"Basic dTpwcXI=", "pqr"},         // "u:pqr"
      {"Basic dTpwcXJz", "pqrs"},        // "u:pqrs"
      {"Basic dTo+Pj5+", ">>>~"},        // "u:>>>~" uses '+'
      {"Basic dTphPmI/Y34=", "a>b?c~"},  // "u:a>b?c~" uses '/'
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.header);
    const absl::StatusOr<PresentedCredential> parsed = ParseAuthorization(c.header);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->secret, c.secret);
  }
}

// Bearer tokens (npm) are taken verbatim, token68 syntax including trailing '='.
TEST(ParseAuthorizationTest, AcceptsBearer) {
  for (std::string_view token : {"tok12345", "a-b.c_d~e+f/g", "abc=="}) {
    SCOPED_TRACE(token);
    const absl::StatusOr<PresentedCredential> c =
        ParseAuthorization(std::string("bearer ") + std::string(token));
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(c->kind, Kind::kBearer);
    EXPECT_EQ(c->username, "");
    EXPECT_EQ(c->secret, token);
  }
}

// The token-only forms: `Token …`, a bare token (Cargo), and pip's token as the Basic user
// name with an empty password. None of them may carry an API key.
TEST(ParseAuthorizationTest, TokenOnlyForms) {
  const std::string token = "tok_12345.abc-XYZ";
  for (const std::string& header :
       {"Token " + token, "token  " + token, token, "  " + token + " ",
        std::string("Basic dG9rXzEyMzQ1LmFiYy1YWVo6") /* base64("tok_12345.abc-XYZ:") */}) {
    SCOPED_TRACE(header);
    const absl::StatusOr<PresentedCredential> c = ParseAuthorization(header);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(c->kind, PresentedCredential::Kind::kToken);
    EXPECT_EQ(c->username, "");
    EXPECT_EQ(c->secret, token);
  }
}

// Anything that is not well-formed Basic or Bearer is InvalidArgument.
TEST(ParseAuthorizationTest, RefusesMalformedHeaders) {
  for (std::string_view header : {
           "",
           "Basic",
           "Basic ",
           "Digest username=\"u\"",
           "Negotiate abc",
           "Basicc dTpw",
           "dTpw",
           "Basic dTpw dTpw",         // two params
           "Basic dTp",               // length not a multiple of 4
           "Basic dTpw=",             // length not a multiple of 4
           "Basic dTp=",              // non-zero bits under the padding
           "Basic dQ=x",              // '=' inside the data
           "Basic =Tpw",              // '=' at the start
           "Basic dT*w",              // not a base64 character
           "Basic dTpw====",          // too much padding
           "Basic dXNlcg==",          // "user": no colon
           "Basic dTo=",              // "u:": empty password, and "u" is no token
           "Basic Og==",              // ":": both empty
           "Token",                   // no token
           "Token short",             // not the token syntax
           "Token tok12345 x",        // two params
           "-tok12345",               // bare, but not the token syntax
           "tok1234",                 // bare, too short
           "Basic dToKcA==",          // "u:\np": control character
           "Basic c3ZjOmE6YjpjAA==",  // "svc:a:b:c\0": NUL
           "Bearer",                  // no token
           "Bearer ",                 // no token
           "Bearer a b",              // space inside
           "Bearer a=b",              // '=' only at the end
           "Bearer ===",              // padding only
           "Bearer tok\x01",          // control character
           "Bearer \"tok12345\"",     // quoted
       }) {
    SCOPED_TRACE(header);
    const absl::StatusOr<PresentedCredential> c = ParseAuthorization(header);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

// No error message repeats the secret or its encoding.
TEST(ParseAuthorizationTest, ErrorsDoNotContainSecret) {
  // "Bearer" with an invalid character, and base64("s3cr3t") without a colon.
  for (std::string_view header : {"Bearer s3cr3t!", "Basic czNjcjN0", "Token s3cr3t"}) {
    SCOPED_TRACE(header);
    const absl::StatusOr<PresentedCredential> c = ParseAuthorization(header);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().message().find("s3cr3t"), std::string_view::npos);
    EXPECT_EQ(c.status().message().find("czNjcjN0"), std::string_view::npos);
  }
}

}  // namespace
}  // namespace tollgate::gateway
