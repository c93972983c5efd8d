// /api/v1/repos/{org}/{repo}/signing-key/: a repository's OpenPGP signing key (SPEC §7). Only
// its public part and fingerprint are ever answered.
#pragma once

#include <string>

#include "admin/admin_context.h"
#include "admin/api_request.h"
#include "admin/api_response.h"

namespace tollgate::gateway::admin {

// GET (read on the repository): {"public_key", "fingerprint"}, making the key first for a
// repository that has none yet. PUT (admin): {"secret_key": "<armored secret key>"} replaces
// the key; 422 naming `secret_key` when the key cannot sign here; audited with both
// fingerprints. Never fails: errors are responses. Blocks on the store and, for a PUT, on
// checking the key (a trial signature).
ApiResponse HandleSigningKey(const AdminContext& context, const ApiRequest& request,
                             const std::string& org, const std::string& slug);

}  // namespace tollgate::gateway::admin
