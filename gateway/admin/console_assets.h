// The web console on the admin listener: `GET /` and `/ui/{asset}` answered from the table of
// files embedded at build time, with the console's security headers.
#pragma once

#include <string_view>

#include "admin/api_response.h"

namespace tollgate::gateway::admin {

// True for the targets the console owns: "/" and everything under "/ui/". Such a request is
// answered by ServeConsole, never by the API, whatever follows "/ui/".
bool IsConsolePath(std::string_view path);

// Answers a console request for the decoded `path`: "/" is index.html, "/ui/{name}" the
// embedded file `name` (an exact lookup in a fixed table, so no file outside it can be named).
// GET and HEAD only (405 otherwise); an unknown asset is 404 `not_found` as in the API; a
// matching `if_none_match` answers 304. Every answer carries the Content-Security-Policy and
// the other headers of the console. Never fails.
ApiResponse ServeConsole(std::string_view method, std::string_view path,
                         std::string_view if_none_match);

}  // namespace tollgate::gateway::admin
