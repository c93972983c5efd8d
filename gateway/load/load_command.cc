// Options → plan → run → summary and report files.
#include "load/load_command.h"

#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <fstream>

#include "load/html_report.h"
#include "load/json_report.h"
#include "load/load_options.h"
#include "load/load_plan.h"
#include "load/load_report.h"
#include "load/load_run.h"
#include "load/progress_line.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::load {
namespace {

std::atomic<bool> interrupted{false};

extern "C" void OnInterrupt(int) { interrupted.store(true); }

// Installs OnInterrupt for SIGINT and SIGTERM for the life of this object.
class InterruptHandler {
 public:
  InterruptHandler() {
    interrupted.store(false);
    struct sigaction action {};
    action.sa_handler = OnInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~InterruptHandler() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  InterruptHandler(const InterruptHandler&) = delete;
  InterruptHandler& operator=(const InterruptHandler&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// Each connection is a descriptor: raise the soft limit towards the hard one when needed.
void MakeRoomForConnections(int connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(connections) + 64;
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  setrlimit(RLIMIT_NOFILE, &limit);
}

bool WriteFile(const std::string& path, const std::string& content) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << content;
  file.close();
  return static_cast<bool>(file);
}

}  // namespace

int RunLoadCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err,
                   bool err_is_terminal) {
  absl::StatusOr<LoadOptions> options = ParseLoadOptions(words);
  if (!options.ok()) {
    err << "tollgate load: " << options.status().message() << " (see 'tollgate load --help')\n";
    return 2;
  }
  if (options->help) {
    out << LoadHelp();
    return 0;
  }
  absl::StatusOr<LoadPlan> plan = MakePlan(*options);
  if (!plan.ok()) {
    err << "tollgate load: " << plan.status().message() << "\n";
    return plan.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  MakeRoomForConnections(plan->connections);

  LoadReport report;
  {
    err << "tollgate load: " << plan->targets.Display() << " (" << plan->targets.requests.size()
        << (plan->targets.requests.size() == 1 ? " URL" : " URLs") << "), " << plan->connections
        << (plan->connections == 1 ? " connection, " : " connections, ") << plan->threads
        << (plan->threads == 1 ? " thread" : " threads");
    if (plan->rate) err << ", " << *plan->rate << " requests/s";
    if (plan->requests) {
      err << ", " << *plan->requests << " requests\n";
    } else {
      err << ", " << std::chrono::duration<double>(plan->duration).count() << " s\n";
    }
    ProgressLine line(err, err_is_terminal);
    InterruptHandler handler;
    std::function<void(const LoadProgress&)> on_progress;
    if (!options->quiet) on_progress = [&line](const LoadProgress& p) { line.Update(p); };
    LoadOutcome outcome = RunLoad(*plan, on_progress, &interrupted);
    line.Finish();
    report = Summarize(outcome.tally, outcome.duration_s);
  }
  report.origin = plan->targets.Display();
  report.url_count = plan->targets.requests.size();
  report.connections = plan->connections;
  report.threads = plan->threads;
  report.rate = plan->rate;
  report.requested = plan->requests;
  if (!plan->requests)
    report.planned_duration_s = std::chrono::duration<double>(plan->duration).count();

  out << FormatSummary(report) << std::flush;
  int exit_code = report.requests > 0 ? 0 : 1;
  if (options->json && !WriteFile(*options->json, FormatJson(report))) {
    err << "tollgate load: --json: cannot write the file\n";
    exit_code = 1;
  }
  if (options->report && !WriteFile(*options->report, FormatHtml(report))) {
    err << "tollgate load: --report: cannot write the file\n";
    exit_code = 1;
  }
  return exit_code;
}

}  // namespace tollgate::gateway::load
