// A table of options, each with its parser; --help is generated from the same table.
#include "load/load_options.h"

#include <charconv>
#include <cmath>
#include <functional>
#include <set>
#include <string_view>

#include "absl/time/time.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::load {
namespace {

using Setter = std::function<absl::Status(LoadOptions&, std::string_view)>;

struct OptionSpec {
  std::string_view name;   // without the leading --
  std::string_view value;  // "" for a flag
  std::string_view help;
  Setter set;
};

absl::Status Invalid(std::string_view option, std::string_view why) {
  return absl::InvalidArgumentError(Concat("--", option, ": ", why));
}

bool ParseWhole(std::string_view text, uint64_t& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

Setter Whole(std::string_view option, uint64_t low, uint64_t high,
             std::function<void(LoadOptions&, uint64_t)> store) {
  return [=](LoadOptions& o, std::string_view v) {
    uint64_t n = 0;
    if (!ParseWhole(v, n) || n < low || n > high) {
      return Invalid(option, Concat("must be a whole number from ", low, " to ", high));
    }
    store(o, n);
    return absl::OkStatus();
  };
}

// A duration: whole seconds ("30"), or Go-style text such as 500ms, 10s, 2m, 1h30m.
Setter Duration(std::string_view option, std::function<void(LoadOptions&, absl::Duration)> store) {
  return [=](LoadOptions& o, std::string_view v) {
    absl::Duration d;
    uint64_t seconds = 0;
    if (ParseWhole(v, seconds) && seconds <= 86400) {
      d = absl::Seconds(static_cast<int64_t>(seconds));
    } else if (!absl::ParseDuration(std::string(v), &d)) {
      return Invalid(option, "not a duration such as 500ms, 10s, 2m or 1h");
    }
    if (d < absl::Milliseconds(1) || d > absl::Hours(24)) {
      return Invalid(option, "must be from 1ms to 24h");
    }
    store(o, d);
    return absl::OkStatus();
  };
}

Setter Text(std::function<void(LoadOptions&, std::string)> store) {
  return [=](LoadOptions& o, std::string_view v) {
    store(o, std::string(v));
    return absl::OkStatus();
  };
}

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> options = {
      {"urls", "FILE", "read the URLs from FILE, one per line ('#' starts a comment)",
       Text([](LoadOptions& o, std::string v) { o.urls_file = std::move(v); })},
      {"connections", "N", "keep-alive connections, spread over the threads (default 16)",
       Whole("connections", 1, 100000,
             [](LoadOptions& o, uint64_t n) { o.connections = static_cast<int>(n); })},
      {"threads", "N", "threads, each with its own event loop (default 1)",
       Whole("threads", 1, 256,
             [](LoadOptions& o, uint64_t n) { o.threads = static_cast<int>(n); })},
      {"duration", "DUR", "stop sending after DUR, e.g. 30s or 2m (default 10s)",
       Duration("duration", [](LoadOptions& o,
                               absl::Duration d) { o.duration = absl::ToChronoNanoseconds(d); })},
      {"requests", "N", "stop after N requests instead of after a duration",
       Whole("requests", 1, uint64_t{1} << 40, [](LoadOptions& o, uint64_t n) { o.requests = n; })},
      {"rate", "R",
       "open loop: send R requests/s on a fixed schedule, latency counted from each request's "
       "scheduled time (default: closed loop, each connection sends when its last answer is in)",
       [](LoadOptions& o, std::string_view v) {
         double rate = 0;
         const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), rate);
         if (v.empty() || ec != std::errc() || end != v.data() + v.size() || !std::isfinite(rate) ||
             rate <= 0 || rate > 1e7) {
           return Invalid("rate", "must be a number of requests/s above 0 and at most 10000000");
         }
         o.rate = rate;
         return absl::OkStatus();
       }},
      {"source-addresses", "A-B",
       "bind each connection to the next client address of this range, e.g. "
       "127.0.0.2-127.0.0.40 (at most 65536 addresses)",
       Text([](LoadOptions& o, std::string v) { o.source_addresses = std::move(v); })},
      {"cacert", "FILE",
       "check https servers against the CA certificates in FILE (default: the "
       "system's); the certificate must name the URL's host",
       Text([](LoadOptions& o, std::string v) { o.cacert = std::move(v); })},
      {"insecure", "", "https without checking the server's certificate",
       [](LoadOptions& o, std::string_view) {
         o.insecure = true;
         return absl::OkStatus();
       }},
      {"report", "FILE.html",
       "write a self-contained HTML report: throughput over time, latency percentiles, statuses",
       Text([](LoadOptions& o, std::string v) { o.report = std::move(v); })},
      {"json", "FILE", "write the results as JSON",
       Text([](LoadOptions& o, std::string v) { o.json = std::move(v); })},
      {"timeout", "DUR",
       "a request (with connecting) not answered within DUR counts as an error (default 10s)",
       Duration("timeout", [](LoadOptions& o,
                              absl::Duration d) { o.timeout = absl::ToChronoNanoseconds(d); })},
      {"quiet", "", "no progress line on stderr",
       [](LoadOptions& o, std::string_view) {
         o.quiet = true;
         return absl::OkStatus();
       }},
      {"help", "", "print this help",
       [](LoadOptions& o, std::string_view) {
         o.help = true;
         return absl::OkStatus();
       }},
  };
  return options;
}

const OptionSpec* Find(std::string_view name) {
  for (const OptionSpec& spec : Options()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<LoadOptions> ParseLoadOptions(const std::vector<std::string>& words) {
  LoadOptions options;
  std::set<std::string_view> seen;
  absl::Status first_error;
  bool options_ended = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string_view word = words[i];
    if (options_ended || word.size() < 2 || word.substr(0, 2) != "--") {
      if (!options_ended && word.size() > 1 && word.front() == '-') {
        if (first_error.ok())
          first_error =
              absl::InvalidArgumentError(Concat("unknown option ", word.substr(0, word.find('='))));
        continue;
      }
      options.urls.emplace_back(word);
      continue;
    }
    if (word == "--") {
      options_ended = true;
      continue;
    }
    const size_t equals = word.find('=');
    const std::string_view name =
        word.substr(2, equals == std::string_view::npos ? word.npos : equals - 2);
    const OptionSpec* spec = Find(name);
    if (spec == nullptr) {
      if (first_error.ok()) {
        first_error = absl::InvalidArgumentError(Concat("unknown option --", name));
      }
      continue;
    }
    std::string_view value;
    if (spec->value.empty()) {
      if (equals != std::string_view::npos && first_error.ok()) {
        first_error = Invalid(name, "takes no value");
      }
    } else if (equals != std::string_view::npos) {
      value = word.substr(equals + 1);
    } else if (i + 1 < words.size()) {
      value = words[++i];
    } else {
      if (first_error.ok())
        first_error = Invalid(name, Concat("needs a value (", spec->value, ")"));
      continue;
    }
    if (!seen.insert(spec->name).second && first_error.ok()) {
      first_error = Invalid(name, "given more than once");
      continue;
    }
    if (absl::Status set = spec->set(options, value); !set.ok() && first_error.ok()) {
      first_error = set;
    }
  }
  if (options.help) return options;
  if (!first_error.ok()) return first_error;
  if (options.urls_file && !options.urls.empty()) {
    return absl::InvalidArgumentError("give URLs or --urls FILE, not both");
  }
  if (!options.urls_file && options.urls.empty()) {
    return absl::InvalidArgumentError("no URL given (URL... or --urls FILE)");
  }
  if (options.duration && options.requests) {
    return absl::InvalidArgumentError("--requests: give --duration or --requests, not both");
  }
  if (options.cacert && options.insecure) {
    return absl::InvalidArgumentError("--insecure: give --cacert or --insecure, not both");
  }
  if (options.threads > options.connections) {
    return Invalid("threads", "cannot exceed --connections");
  }
  if (!options.requests && !options.duration) options.duration = std::chrono::seconds(10);
  return options;
}

std::string LoadUsage() {
  return "usage: tollgate load URL... | --urls FILE [--connections N] [--threads N]\n"
         "                     [--duration DUR | --requests N] [--rate R] [--source-addresses "
         "A-B]\n"
         "                     [--cacert FILE | --insecure] [--report FILE.html] [--json FILE]\n";
}

std::string LoadHelp() {
  std::string help = LoadUsage();
  help +=
      "\nSends HTTP GET requests over keep-alive connections to the URLs (round-robin; all on one\n"
      "origin; credentials in a URL become Basic authentication) and prints requests/s, MB/s,\n"
      "latency percentiles and the counts by status and X-Tollgate-Reason. Only the URLs given\n"
      "are ever requested; output shows the origin, never a path or a credential.\n\nOptions:\n";
  constexpr size_t kIndent = 26;
  constexpr size_t kWidth = 100;
  for (const OptionSpec& spec : Options()) {
    std::string line = Concat("  --", spec.name, spec.value.empty() ? "" : " ", spec.value);
    if (line.size() < kIndent) {
      line.resize(kIndent, ' ');
    } else {
      AppendTo(help, line, "\n");
      line = std::string(kIndent, ' ');
    }
    // The meaning, wrapped at word boundaries to kWidth columns.
    std::string_view rest = spec.help;
    while (!rest.empty()) {
      size_t take = rest.size();
      if (line.size() + take > kWidth) {
        take = rest.rfind(' ', kWidth - line.size());
        if (take == std::string_view::npos || take == 0) take = rest.find(' ');
        if (take == std::string_view::npos) take = rest.size();
      }
      AppendTo(help, line, rest.substr(0, take), "\n");
      rest.remove_prefix(std::min(rest.size(), take + 1));
      line = std::string(kIndent, ' ');
    }
  }
  help +=
      "\nExit status: 0 when the run completed, 1 when not one response came back, 2 on a usage\n"
      "error.\n";
  return help;
}

}  // namespace tollgate::gateway::load
