// Records the files of a repository folder that the catalog does not know as they are: files
// placed by hand, changed by hand, or recorded by a version that kept less (no sha512, no
// metadata); and forgets records whose file is gone.
#pragma once

#include "absl/status/statusor.h"
#include "tollgate/storage/artifact_catalog.h"
#include "tollgate/storage/artifact_source.h"
#include "tollgate/storage/catalog/package_catalog.h"

namespace tollgate::storage {

// Compares the folder of `repository` with `known` (nullptr: nothing known yet, the store's
// records are read) and writes the differences to `catalog`. Returns how many records it
// changed. Files under the reserved "-/" folder are never recorded.
absl::StatusOr<size_t> IndexFolder(const Repository& repository, const ArtifactSource& files,
                                   ArtifactCatalog& catalog, const CatalogSnapshot* known);

}  // namespace tollgate::storage
