// The tollgate binary: server and command-line client in one (SPEC §6).
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "serve_command.h"

namespace {

constexpr std::string_view kUsage =
    "usage: tollgate serve [--config FILE] [--listen ADDR:PORT] [--admin-listen ADDR:PORT]\n"
    "                      [--data-dir DIR] [--artifacts DIR] [--redis URL] [--threads N]\n"
    "                      [--trusted-proxy CIDR]... [--dedupe-window DUR] [--stale-grace DUR]\n"
    "                      [--drain-timeout DUR] [--contextual-realm] [--log-format json|text]\n"
    "       tollgate init  [--data-dir DIR | --redis URL] --org ORG [--owner NAME]\n";

}  // namespace

int main(int argc, char** argv) {
  // Writes to a vanished peer must fail with EPIPE, not kill the process (sendfile(2) has
  // no MSG_NOSIGNAL).
  std::signal(SIGPIPE, SIG_IGN);
  const std::vector<std::string> args(argv + std::min(argc, 2), argv + argc);
  const std::string command = argc >= 2 ? argv[1] : "";
  try {
    if (command == "serve") return tollgate::gateway::RunServe(args);
    if (command == "init") return tollgate::gateway::RunInit(args);
  } catch (const std::exception& e) {
    // Start-up failures from libraries that throw (Asio, Boost.JSON) end here as one line.
    std::cerr << "tollgate: " << e.what() << "\n";
    return 1;
  }
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << (command.empty() ? "tollgate: missing command\n"
                                : "tollgate: unknown command '" + command + "'\n")
            << kUsage;
  return 2;
}
