// The client's human output: API answers as aligned text tables.
#pragma once

#include <string>
#include <vector>

#include "boost/json/value.hpp"
#include "cli/verb_table.h"

namespace tollgate::gateway::cli {

// An array answer: one row per item under `columns` (every field of the items, in order of
// first appearance, when `columns` is empty); columns no item has are left out; "(none)"
// for an empty array.
// An object answer: one "field  value" line per member, each array of objects as a table of
// its own below, then each text of several lines (a PGP public key) under its field's name,
// line by line; a new API key (`key`) last, on its own with a notice that it is shown only
// this once.
// Any other answer: its JSON text. Control characters in values are shown as '?', so text
// from the server cannot move the cursor or rewrite the terminal. Ends with a newline.
std::string RenderTable(const boost::json::value& answer, const std::vector<ColumnSpec>& columns);

// The text of one value in a cell: "-" for null and [], strings as they are, arrays joined by ", ",
// objects as "field=value" pairs joined by spaces.
std::string CellText(const boost::json::value& value);

}  // namespace tollgate::gateway::cli
