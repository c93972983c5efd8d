// The Python view: a PEP 503 simple repository (HTML), and PEP 691's JSON form of it when the
// client asks for `application/vnd.pypi.simple.v1+json`.
#pragma once

#include "tollgate/formats/package_view.h"

namespace tollgate::formats {

const PackageView& PythonView();

}  // namespace tollgate::formats
