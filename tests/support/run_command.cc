// Programs as children of a test: fork/exec with the output in files, waits with deadlines,
// and runs to completion. Only the child started here is ever signalled, by its pid.
#include "run_command.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "child_process.h"
#include "temp_dir.h"

extern char** environ;

namespace tollgate::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(10);

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::optional<int> WaitUntil(pid_t pid, Clock::time_point deadline) {
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return ExitCode(status);
    if (done < 0 && errno != EINTR) return -1;  // not our child (any more)
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
}

namespace {

// The environment for a child: ours without TOLLGATE_*, plus `extra`.
std::vector<std::string> ChildEnvironment(const Environment& extra) {
  std::vector<std::string> entries;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (text.starts_with("TOLLGATE_")) continue;
    entries.emplace_back(text);
  }
  for (const auto& [name, value] : extra) entries.push_back(name + "=" + value);
  return entries;
}

std::vector<char*> CStrings(std::vector<std::string>& words) {
  std::vector<char*> pointers;
  pointers.reserve(words.size() + 1);
  for (std::string& word : words) pointers.push_back(word.data());
  pointers.push_back(nullptr);
  return pointers;
}

int OpenOutput(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    throw std::runtime_error("cannot create " + path.string() + ": " + std::strerror(errno));
  return fd;
}

}  // namespace

pid_t Spawn(const std::string& program, const std::vector<std::string>& args,
            const Environment& env, const std::filesystem::path& out,
            const std::filesystem::path& err) {
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<std::string> argv_words = {program};
  argv_words.insert(argv_words.end(), args.begin(), args.end());
  std::vector<std::string> env_words = ChildEnvironment(env);
  std::vector<char*> argv = CStrings(argv_words);
  std::vector<char*> envp = CStrings(env_words);
  const int out_fd = OpenOutput(out);
  const int err_fd = OpenOutput(err);
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid == 0) {
    // A crashed test runner must not leave a server behind.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::close_range(3, ~0U, 0);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  const int fork_errno = errno;
  ::close(out_fd);
  ::close(err_fd);
  if (null_fd >= 0) ::close(null_fd);
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(fork_errno));
  return pid;
}

std::string FindProgram(std::string_view name) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/bin:/bin";
  for (size_t start = 0; start <= dirs.size();) {
    const size_t colon = std::min(dirs.find(':', start), dirs.size());
    const std::filesystem::path candidate =
        std::filesystem::path(dirs.substr(start, colon - start)) / name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    start = colon + 1;
  }
  return "";
}

CommandResult RunCommand(const std::string& program, const std::vector<std::string>& args,
                         const Environment& env, std::chrono::seconds timeout) {
  storage::testing::TempDir captured;
  const std::filesystem::path out = captured.path() / "stdout";
  const std::filesystem::path err = captured.path() / "stderr";
  CommandResult result;
  const pid_t pid = Spawn(program, args, env, out, err);
  std::optional<int> code = WaitUntil(pid, Clock::now() + timeout);
  if (!code) {
    result.timed_out = true;
    ::kill(pid, SIGKILL);
    code = WaitUntil(pid, Clock::now() + std::chrono::seconds(5));
  }
  result.exit_code = code.value_or(-1);
  result.out = ReadWholeFile(out);
  result.err = ReadWholeFile(err);
  return result;
}

}  // namespace tollgate::testing
