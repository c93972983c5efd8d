// The Debian view: a flat apt repository (`deb [signed-by=…] URL ./`) of the in-scope .deb
// files: Packages, Packages.gz, Release, InRelease and Release.gpg generated from their control
// paragraphs and signed with the repository's key, key.asc, and pool/{path} for the files.
#pragma once

#include "tollgate/formats/package_view.h"

namespace tollgate::formats {

const PackageView& DebView();

}  // namespace tollgate::formats
