// What the two maven-metadata.xml documents the view writes (an artifact's, and a SNAPSHOT
// version's) have in common.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tollgate::formats {

inline constexpr std::string_view kMavenMetadataFile = "maven-metadata.xml";

// Maven's own test (ArtifactUtils.isSnapshot): the suffix in any case.
bool IsMavenSnapshot(std::string_view version);

// The folder holding `path`: "com/acme/tools/agent/2.0.0" for ".../2.0.0/agent-2.0.0.jar".
std::string_view ParentFolder(std::string_view path);

// "{indent}<{name}>{value, escaped}</{name}>\n".
void AppendXmlElement(std::string& out, std::string_view indent, std::string_view name,
                      std::string_view value);

// Maven's timestamp form, in UTC: "20240305060708".
std::string MavenTimestamp(int64_t unix_micros);

}  // namespace tollgate::formats
