// The live progress line on stderr: once per second, rewritten in place (carriage return) on
// a terminal, one plain line per second otherwise (logs, CI).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "load/load_run.h"

namespace tollgate::gateway::load {

class ProgressLine {
 public:
  ProgressLine(std::ostream& err, bool terminal) : err_(err), terminal_(terminal) {}

  // Prints the line for `progress`: elapsed seconds, totals, and the last second's rates.
  void Update(const LoadProgress& progress);
  // Ends the line on a terminal so that what follows starts on its own line.
  void Finish();

  // The text of one line (without \r or \n): the totals and the rates since `previous`.
  static std::string Format(const LoadProgress& progress, const LoadProgress& previous);

 private:
  std::ostream& err_;
  const bool terminal_;
  LoadProgress previous_;
  bool printed_ = false;
};

}  // namespace tollgate::gateway::load
