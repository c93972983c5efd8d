// One parsed admin API request as the endpoint handlers see it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tollgate/policy/org_directory.h"

namespace tollgate::gateway::admin {

struct ApiRequest {
  std::string method;                        // "GET", "POST", …
  std::vector<std::string> segments;         // decoded path segments after /api/v1/
  std::vector<std::string> raw_segments;     // the same, still percent-encoded
  bool trailing_slash = false;               // the path ended in '/' (not in `segments`)
  std::map<std::string, std::string> query;  // decoded query parameters
  std::string body;                          // raw JSON body (empty when none)
  policy::Principal caller;                  // the authenticated user or service
  std::string client_address;

  // The query parameter `name` or "" when absent.
  std::string Query(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
};

}  // namespace tollgate::gateway::admin
