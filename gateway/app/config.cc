// Option table and the three sources it is filled from.
#include "app/config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <functional>
#include <optional>
#include <thread>
#include <tuple>

#include "boost/url/parse.hpp"
#include "tollgate/base/concat.h"
#include "tollgate/base/text.h"

extern char** environ;

namespace tollgate::gateway {
namespace {

// Parses all of `text` as a decimal number; false on anything else.
template <typename Number>
bool ParseNumber(std::string_view text, Number& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

// Blanks around config values; '\r' too, for files written with CRLF line ends.
constexpr std::string_view kConfigWhitespace = " \t\r";

using Setter = std::function<absl::Status(ServeConfig&, std::string_view)>;

struct OptionSpec {
  std::string_view name;        // as on the command line, without "--"
  std::string_view value_name;  // for --help; empty for a flag
  std::string_view help;        // one line for --help
  bool is_flag;                 // takes no value on the command line
  Setter apply;
  // For list options, which accumulate within one source: drops what an earlier (weaker)
  // source set, so the stronger source replaces the list instead of extending it.
  std::function<void(ServeConfig&)> clear = nullptr;
};

// Applies one source's values in order, clearing each list option before its first value.
absl::Status ApplySource(ServeConfig& config,
                         const std::vector<std::pair<const OptionSpec*, std::string>>& values) {
  std::vector<const OptionSpec*> cleared;
  for (const auto& [spec, value] : values) {
    if (spec->clear && std::find(cleared.begin(), cleared.end(), spec) == cleared.end()) {
      spec->clear(config);
      cleared.push_back(spec);
    }
    if (absl::Status s = spec->apply(config, value); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status Invalid(std::string_view option, std::string_view why) {
  return absl::InvalidArgumentError(Concat("--", option, ": ", why));
}

absl::StatusOr<bool> ParseBool(std::string_view text) {
  for (std::string_view yes : {"", "1", "true", "yes", "on"}) {
    if (EqualsIgnoreCase(text, yes)) return true;
  }
  for (std::string_view no : {"0", "false", "no", "off"}) {
    if (EqualsIgnoreCase(text, no)) return false;
  }
  return absl::InvalidArgumentError("expected true or false");
}

// A file name that must not be empty.
Setter FileName(std::string_view option, std::string ServeConfig::*field) {
  return [option, field](ServeConfig& config, std::string_view value) {
    if (value.empty()) return Invalid(option, "must not be empty");
    config.*field = std::string(value);
    return absl::OkStatus();
  };
}

// A whole number from `min` to `max`: thread and replica counts.
Setter CountIn(std::string_view option, int ServeConfig::*field, int min, int max) {
  return [option, field, min, max](ServeConfig& config, std::string_view value) {
    int count = 0;
    if (!ParseNumber(value, count) || count < min || count > max) {
      return Invalid(option, Concat("must be a whole number from ", min, " to ", max));
    }
    config.*field = count;
    return absl::OkStatus();
  };
}

// A whole number of at least 1: connection counts.
Setter PositiveCount(std::string_view option, int ServeConfig::*field) {
  return [option, field](ServeConfig& config, std::string_view value) {
    int count = 0;
    if (!ParseNumber(value, count) || count < 1) {
      return Invalid(option, "must be a whole number of at least 1");
    }
    config.*field = count;
    return absl::OkStatus();
  };
}

// A duration of at least a second: zero would turn the protection it sets off.
Setter WholeSeconds(std::string_view option, absl::Duration ServeConfig::*field) {
  return [option, field](ServeConfig& config, std::string_view value) {
    absl::StatusOr<absl::Duration> duration = ParseDuration(value);
    if (!duration.ok()) return Invalid(option, ToStd(duration.status().message()));
    if (*duration < absl::Seconds(1)) return Invalid(option, "must be at least 1s");
    config.*field = *duration;
    return absl::OkStatus();
  };
}

template <typename Parsed, typename Parse, typename Store>
Setter Parsing(std::string_view option, Parse parse, Store store) {
  return [option, parse, store](ServeConfig& config, std::string_view value) -> absl::Status {
    absl::StatusOr<Parsed> parsed = parse(value);
    if (!parsed.ok()) return Invalid(option, ToStd(parsed.status().message()));
    return store(config, *std::move(parsed));
  };
}

// A repeatable CIDR option; the environment and config file may list several, comma-separated.
Setter CidrList(std::string_view option, std::vector<Cidr> ServeConfig::*list) {
  return [option, list](ServeConfig& c, std::string_view v) -> absl::Status {
    for (size_t start = 0; start <= v.size();) {
      size_t end = v.find(',', start);
      if (end == std::string_view::npos) end = v.size();
      const std::string_view item = TrimWhitespace(v.substr(start, end - start), kConfigWhitespace);
      start = end + 1;
      if (item.empty()) continue;
      absl::StatusOr<Cidr> cidr = ParseCidr(item);
      if (!cidr.ok()) return Invalid(option, ToStd(cidr.status().message()));
      (c.*list).push_back(*cidr);
    }
    return absl::OkStatus();
  };
}

// --redis-sentinel, --redis-master and --redis-wait-replicas into the Redis endpoint.
absl::Status FoldRedisOptions(ServeConfig& config) {
  if (config.redis_sentinels.empty() != config.redis_master.empty()) {
    return config.redis_master.empty() ? Invalid("redis-master", "is needed with --redis-sentinel")
                                       : Invalid("redis-sentinel", "is needed with --redis-master");
  }
  if (!config.redis_sentinels.empty()) {
    storage::RedisEndpoint endpoint = config.redis.value_or(storage::RedisEndpoint{});
    endpoint.sentinels = config.redis_sentinels;
    endpoint.master_name = config.redis_master;
    config.redis = std::move(endpoint);
  }
  if (config.redis_wait_replicas > 0) {
    if (!config.redis) {
      return Invalid("redis-wait-replicas", "needs --redis or --redis-sentinel");
    }
    config.redis->wait_replicas = config.redis_wait_replicas;
  }
  return absl::OkStatus();
}

const std::vector<OptionSpec>& Options() {
  static const auto* options = new std::vector<OptionSpec>{
      {"listen", "ADDR:PORT", "download listener (default 127.0.0.1:8080)", false,
       Parsing<ListenAddress>("listen", ParseListenAddress,
                              [](ServeConfig& c, ListenAddress a) {
                                c.listen = std::move(a);
                                return absl::OkStatus();
                              })},
      {"admin-listen", "ADDR:PORT",
       "web console at /, admin API, /healthz, /readyz, /metrics (default 127.0.0.1:8081)", false,
       Parsing<ListenAddress>("admin-listen", ParseListenAddress,
                              [](ServeConfig& c, ListenAddress a) {
                                c.admin_listen = std::move(a);
                                return absl::OkStatus();
                              })},
      {"data-dir", "DIR", "embedded store and admin-api-key (default ./var)", false,
       [](ServeConfig& c, std::string_view v) {
         if (v.empty()) return Invalid("data-dir", "must not be empty");
         c.data_dir = std::string(v);
         return absl::OkStatus();
       }},
      {"artifacts", "DIR", "files of filesystem repositories (default DATA_DIR/artifacts)", false,
       [](ServeConfig& c, std::string_view v) {
         if (v.empty()) return Invalid("artifacts", "must not be empty");
         c.artifacts = std::string(v);
         return absl::OkStatus();
       }},
      {"threads", "N", "download event loops, 1-256 (default: one per core)", false,
       CountIn("threads", &ServeConfig::threads, 1, 256)},
      {"drain-timeout", "DUR", "how long SIGTERM waits for responses in flight (default 30s)",
       false,
       Parsing<absl::Duration>("drain-timeout", ParseDuration,
                               [](ServeConfig& c, absl::Duration d) {
                                 c.drain_timeout = d;
                                 return absl::OkStatus();
                               })},
      {"redis", "URL", "redis://[:PASSWORD@]HOST:PORT[/DB]: the store shared by many instances",
       false,
       [](ServeConfig& c, std::string_view v) {
         absl::StatusOr<storage::RedisEndpoint> endpoint = storage::ParseRedisUrl(v);
         if (!endpoint.ok()) return Invalid("redis", ToStd(endpoint.status().message()));
         c.redis = *std::move(endpoint);
         return absl::OkStatus();
       }},
      {"dedupe-window", "DUR", "repeated GETs of one file by one client count once (default 10m)",
       false,
       Parsing<absl::Duration>("dedupe-window", ParseDuration,
                               [](ServeConfig& c, absl::Duration d) {
                                 c.dedupe_window = d;
                                 return absl::OkStatus();
                               })},
      {"stale-grace", "DUR", "uncounted tokens keep working while Redis is away (default 60s)",
       false,
       Parsing<absl::Duration>("stale-grace", ParseDuration,
                               [](ServeConfig& c, absl::Duration d) {
                                 c.stale_grace = d;
                                 return absl::OkStatus();
                               })},
      {"redis-sentinel", "HOST:PORT,...", "find the Redis master through these Sentinels", false,
       [](ServeConfig& c, std::string_view v) -> absl::Status {
         for (size_t start = 0; start <= v.size();) {
           size_t end = v.find(',', start);
           if (end == std::string_view::npos) end = v.size();
           const std::string_view item =
               TrimWhitespace(v.substr(start, end - start), kConfigWhitespace);
           start = end + 1;
           if (item.empty()) continue;
           absl::StatusOr<ListenAddress> address = ParseListenAddress(item);
           if (!address.ok() || address->port == 0) {
             return Invalid("redis-sentinel", Concat("'", item, "' is not HOST:PORT"));
           }
           c.redis_sentinels.push_back({address->host, address->port});
         }
         return absl::OkStatus();
       },
       [](ServeConfig& c) { c.redis_sentinels.clear(); }},
      {"redis-master", "NAME", "the master's name at the Sentinels", false,
       [](ServeConfig& c, std::string_view v) {
         if (v.empty()) return Invalid("redis-master", "needs the master's name");
         c.redis_master = std::string(v);
         return absl::OkStatus();
       }},
      {"redis-wait-replicas", "N", "a reservation waits for N replicas (WAIT; default 0)", false,
       CountIn("redis-wait-replicas", &ServeConfig::redis_wait_replicas, 0, 16)},
      {"trusted-proxy", "CIDR", "peers whose forwarding header names the client; repeatable", false,
       CidrList("trusted-proxy", &ServeConfig::trusted_proxies),
       [](ServeConfig& c) { c.trusted_proxies.clear(); }},
      {"origin-allow", "CIDR", "origin addresses allowed although private-use; repeatable", false,
       CidrList("origin-allow", &ServeConfig::origin_allow),
       [](ServeConfig& c) { c.origin_allow.clear(); }},
      {"client-header", "NAME", "x-forwarded-for (default) or forwarded", false,
       [](ServeConfig& c, std::string_view v) {
         absl::StatusOr<ClientHeader> header = ParseClientHeader(v);
         if (!header.ok()) return Invalid("client-header", "must be x-forwarded-for or forwarded");
         c.client_header = *header;
         return absl::OkStatus();
       }},
      {"contextual-realm", "", "401 answers name realm=\"{org}/{repo}\"", true,
       Parsing<bool>("contextual-realm", ParseBool,
                     [](ServeConfig& c, bool b) {
                       c.contextual_realm = b;
                       return absl::OkStatus();
                     })},
      {"public-url", "URL", "the download address customers see (default: the request's Host)",
       false,
       [](ServeConfig& c, std::string_view v) {
         absl::StatusOr<std::string> url = ParsePublicUrl(v);
         if (!url.ok()) return Invalid("public-url", ToStd(url.status().message()));
         c.public_url = *std::move(url);
         return absl::OkStatus();
       }},
      {"send-timeout", "DUR", "cut an answer that makes no progress this long (default 60s)", false,
       WholeSeconds("send-timeout", &ServeConfig::send_timeout)},
      {"max-connections", "N", "open connections per listener (default 10000)", false,
       PositiveCount("max-connections", &ServeConfig::max_connections)},
      {"max-connections-per-client", "N", "open connections per client per listener (default 256)",
       false,
       PositiveCount("max-connections-per-client", &ServeConfig::max_connections_per_client)},
      {"tls-cert", "FILE", "PEM certificate chain: TLS on the download listener", false,
       FileName("tls-cert", &ServeConfig::tls_cert)},
      {"tls-key", "FILE", "PEM private key of --tls-cert", false,
       FileName("tls-key", &ServeConfig::tls_key)},
      {"admin-tls-cert", "FILE", "PEM certificate chain: TLS on the admin listener", false,
       FileName("admin-tls-cert", &ServeConfig::admin_tls_cert)},
      {"admin-tls-key", "FILE", "PEM private key of --admin-tls-cert", false,
       FileName("admin-tls-key", &ServeConfig::admin_tls_key)},
      {"auth-fail-limit", "N", "invalid credentials a client may send per minute (default 20)",
       false, PositiveCount("auth-fail-limit", &ServeConfig::auth_fail_limit)},
      {"auth-block", "DUR", "how long a client over that limit is refused (default 60s)", false,
       WholeSeconds("auth-block", &ServeConfig::auth_block)},
      {"log-format", "json|text", "stderr log format (default text)", false,
       [](ServeConfig& c, std::string_view v) {
         if (v == "text") {
           c.log_format = LogFormat::kText;
         } else if (v == "json") {
           c.log_format = LogFormat::kJson;
         } else {
           return Invalid("log-format", "must be json or text");
         }
         return absl::OkStatus();
       }},
  };
  return *options;
}

const OptionSpec* FindOption(std::string_view name) {
  for (const OptionSpec& spec : Options()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string EnvName(std::string_view option) {
  std::string name = Concat("TOLLGATE_", option);
  for (char& c : name)
    c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

// One `name = value` assignment per line; `#` starts a comment.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReadConfigFile(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return Invalid("config", Concat("cannot read ", path));
  std::vector<std::pair<std::string, std::string>> assignments;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::string_view text = TrimWhitespace(line, kConfigWhitespace);
    if (text.empty() || text.front() == '#') continue;
    const size_t eq = text.find('=');
    if (eq == std::string_view::npos) {
      return Invalid("config", Concat(path, ":", number, ": expected name = value"));
    }
    std::string name(TrimWhitespace(text.substr(0, eq), kConfigWhitespace));
    std::string value(TrimWhitespace(text.substr(eq + 1), kConfigWhitespace));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    assignments.emplace_back(std::move(name), std::move(value));
  }
  return assignments;
}

}  // namespace

std::string ServeHelp() {
  constexpr size_t kHelpColumn = 36;
  std::string help =
      "usage: tollgate serve [OPTION]...\n"
      "Each option may also come from the environment (TOLLGATE_LISTEN for --listen, ...) or\n"
      "from the --config file (listen = 127.0.0.1:8080); the command line wins over both.\n\n";
  const auto line = [&](std::string_view option, std::string_view value, std::string_view what) {
    std::string left = Concat("  --", option, value.empty() ? "" : " ", value);
    left.resize(std::max(left.size() + 1, kHelpColumn), ' ');
    help += Concat(left, what, "\n");
  };
  line("config", "FILE", "read options from FILE (name = value lines); SIGHUP re-reads it");
  for (const OptionSpec& spec : Options()) line(spec.name, spec.value_name, spec.help);
  return help;
}

absl::StatusOr<absl::Duration> ParseDuration(std::string_view text) {
  absl::Duration duration;
  int64_t seconds = 0;
  if (ParseNumber(text, seconds) && seconds >= 0) return absl::Seconds(seconds);
  if (!absl::ParseDuration(std::string(text), &duration) || duration < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        Concat("'", text, "' is not a duration such as 30s, 10m or 1h"));
  }
  return duration;
}

absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return absl::InvalidArgumentError(Concat("'", text, "' is not HOST:PORT"));
  }
  std::string_view host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.back() != ']') return absl::InvalidArgumentError("unbalanced [ in IPv6 address");
    host = host.substr(1, host.size() - 2);
  }
  uint32_t port = 0;
  if (!ParseNumber(text.substr(colon + 1), port) || port > 65535) {
    return absl::InvalidArgumentError(Concat("'", text, "' has no valid port"));
  }
  return ListenAddress{std::string(host), static_cast<uint16_t>(port)};
}

absl::StatusOr<std::string> ParsePublicUrl(std::string_view text) {
  boost::system::result<boost::urls::url_view> url = boost::urls::parse_absolute_uri(text);
  if (!url) return absl::InvalidArgumentError(Concat("'", text, "' is not an absolute URL"));
  if (url->scheme_id() != boost::urls::scheme::http &&
      url->scheme_id() != boost::urls::scheme::https) {
    return absl::InvalidArgumentError("must start with http:// or https://");
  }
  if (!url->has_authority() || url->host().empty()) {
    return absl::InvalidArgumentError("must name a host");
  }
  if (url->has_userinfo() || url->has_query() || url->has_fragment()) {
    return absl::InvalidArgumentError("must not carry user information, a query or a fragment");
  }
  std::string normalised(text);
  while (normalised.ends_with('/')) normalised.pop_back();
  return normalised;
}

Environment ProcessEnvironment() {
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    const size_t eq = text.find('=');
    if (eq != std::string_view::npos) env.emplace(text.substr(0, eq), text.substr(eq + 1));
  }
  return env;
}

absl::StatusOr<ServeConfig> ParseServeConfig(const std::vector<std::string>& args,
                                             const Environment& env) {
  // Collect the command line first so its values can win over the other two sources.
  std::vector<std::pair<const OptionSpec*, std::string>> from_args;
  std::optional<std::string> config_path;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view word = args[i];
    if (!word.starts_with("--")) {
      return absl::InvalidArgumentError(Concat("unexpected argument '", word, "'"));
    }
    word.remove_prefix(2);
    std::optional<std::string> value;
    if (const size_t eq = word.find('='); eq != std::string_view::npos) {
      value = std::string(word.substr(eq + 1));
      word = word.substr(0, eq);
    }
    if (word == "config") {
      if (!value && i + 1 < args.size()) value = args[++i];
      if (!value) return Invalid("config", "needs a file name");
      config_path = *value;
      continue;
    }
    const OptionSpec* spec = FindOption(word);
    if (spec == nullptr) {
      return absl::InvalidArgumentError(Concat("unknown option --", word));
    }
    if (!value && !spec->is_flag) {
      if (i + 1 >= args.size()) return Invalid(spec->name, "needs a value");
      value = args[++i];
    }
    from_args.emplace_back(spec, value.value_or(""));
  }
  if (!config_path) {
    if (auto it = env.find("TOLLGATE_CONFIG"); it != env.end()) config_path = it->second;
  }

  ServeConfig config;
  if (config_path) {
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> assignments =
        ReadConfigFile(*config_path);
    if (!assignments.ok()) return assignments.status();
    std::vector<std::pair<const OptionSpec*, std::string>> from_file;
    for (const auto& [name, value] : *assignments) {
      const OptionSpec* spec = FindOption(name);
      if (spec == nullptr) {
        return absl::InvalidArgumentError(Concat(*config_path, ": unknown option '", name, "'"));
      }
      from_file.emplace_back(spec, value);
    }
    if (absl::Status s = ApplySource(config, from_file); !s.ok()) return s;
  }
  for (const OptionSpec& spec : Options()) {
    if (auto it = env.find(EnvName(spec.name)); it != env.end()) {
      if (absl::Status s = ApplySource(config, {{&spec, it->second}}); !s.ok()) {
        return absl::InvalidArgumentError(Concat(EnvName(spec.name), ": ", s.message()));
      }
    }
  }
  if (absl::Status s = ApplySource(config, from_args); !s.ok()) return s;

  for (const auto& [cert, key, cert_option, key_option] :
       {std::tuple(&config.tls_cert, &config.tls_key, "tls-cert", "tls-key"),
        std::tuple(&config.admin_tls_cert, &config.admin_tls_key, "admin-tls-cert",
                   "admin-tls-key")}) {
    if (cert->empty() != key->empty()) {
      return cert->empty() ? Invalid(cert_option, Concat("is needed with --", key_option))
                           : Invalid(key_option, Concat("is needed with --", cert_option));
    }
  }
  if (absl::Status redis = FoldRedisOptions(config); !redis.ok()) return redis;
  if (config.artifacts.empty()) config.artifacts = config.data_dir / "artifacts";
  if (config.threads == 0) {
    config.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  return config;
}

}  // namespace tollgate::gateway
