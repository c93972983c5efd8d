// The tollgate binary: server and command-line client in one.
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "app/serve_command.h"
#include "cli/client_command.h"
#include "cli/help_text.h"
#include "load/load_command.h"

namespace {

constexpr std::string_view kServerUsage =
    "usage: tollgate serve [OPTION]...   (see 'tollgate serve --help')\n"
    "       tollgate init  [--data-dir DIR | --redis URL] --org ORG [--owner NAME]\n"
    "       tollgate load  URL... | --urls FILE [OPTION]...   (see 'tollgate load --help')\n";

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
    if (command == "load") {
      return tollgate::gateway::load::RunLoadCommand(args, std::cout, std::cerr,
                                                     ::isatty(STDERR_FILENO) == 1);
    }
    if (tollgate::gateway::cli::IsClientGroup(command)) {
      return tollgate::gateway::cli::RunClient(command, args, std::cout, std::cerr);
    }
  } catch (const std::exception& e) {
    // Start-up failures from libraries that throw (Asio, Boost.JSON) end here as one line.
    std::cerr << "tollgate: " << e.what() << "\n";
    return 1;
  }
  const std::string usage = std::string(kServerUsage) + tollgate::gateway::cli::ClientUsageLines();
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << usage;
    return 0;
  }
  std::cerr << (command.empty() ? "tollgate: missing command\n"
                                : "tollgate: unknown command '" + command + "'\n")
            << usage;
  return 2;
}
