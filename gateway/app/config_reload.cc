#include "app/config_reload.h"

#include <functional>

#include "observe/log.h"
#include "tollgate/base/concat.h"
#include "tollgate/base/text.h"

namespace tollgate::gateway {
namespace {

struct RestartOnly {
  std::string_view name;
  std::function<bool(const ServeConfig&, const ServeConfig&)> same;
};

template <typename Field>
RestartOnly Compare(std::string_view name, Field ServeConfig::*field) {
  return {name,
          [field](const ServeConfig& a, const ServeConfig& b) { return a.*field == b.*field; }};
}

// Every option SIGHUP does not apply.
const std::vector<RestartOnly>& RestartOnlyOptions() {
  static const std::vector<RestartOnly> options = {
      Compare("listen", &ServeConfig::listen),
      Compare("admin-listen", &ServeConfig::admin_listen),
      Compare("data-dir", &ServeConfig::data_dir),
      Compare("artifacts", &ServeConfig::artifacts),
      Compare("threads", &ServeConfig::threads),
      Compare("drain-timeout", &ServeConfig::drain_timeout),
      Compare("redis", &ServeConfig::redis),
      Compare("origin-allow", &ServeConfig::origin_allow),
      Compare("client-header", &ServeConfig::client_header),
      Compare("contextual-realm", &ServeConfig::contextual_realm),
      Compare("public-url", &ServeConfig::public_url),
      Compare("send-timeout", &ServeConfig::send_timeout),
      Compare("tls-cert", &ServeConfig::tls_cert),
      Compare("tls-key", &ServeConfig::tls_key),
      Compare("admin-tls-cert", &ServeConfig::admin_tls_cert),
      Compare("admin-tls-key", &ServeConfig::admin_tls_key),
  };
  return options;
}

}  // namespace

storage::AuthFailureLimits AuthLimitsOf(const ServeConfig& config) {
  return {.max_failures = config.auth_fail_limit,
          .window = absl::Minutes(1),
          .block = config.auth_block};
}

ReloadableSettings ReloadableSettingsOf(const ServeConfig& config) {
  return {.trusted_proxies = config.trusted_proxies,
          .dedupe_window = config.dedupe_window,
          .stale_grace = config.stale_grace,
          .max_connections = config.max_connections,
          .max_connections_per_client = config.max_connections_per_client};
}

std::vector<std::string_view> ChangesNeedingRestart(const ServeConfig& running,
                                                    const ServeConfig& reread) {
  std::vector<std::string_view> changed;
  for (const RestartOnly& option : RestartOnlyOptions()) {
    if (!option.same(running, reread)) changed.push_back(option.name);
  }
  return changed;
}

ConfigReloader::ConfigReloader(std::vector<std::string> args, ServeConfig running,
                               std::shared_ptr<LiveSettings> settings,
                               std::shared_ptr<storage::AuthFailures> auth_failures)
    : args_(std::move(args)),
      running_(std::move(running)),
      settings_(std::move(settings)),
      auth_failures_(std::move(auth_failures)) {}

void ConfigReloader::Reload() {
  absl::StatusOr<ServeConfig> reread = ParseServeConfig(args_, ProcessEnvironment());
  if (!reread.ok()) {
    LogEvent("error", "config_reload_failed",
             {{"error", ToStd(reread.status().message())}, {"kept", "every option"}});
    return;
  }
  settings_->Apply(ReloadableSettingsOf(*reread));
  auth_failures_->SetLimits(AuthLimitsOf(*reread));
  SetLogFormat(reread->log_format);
  LogEvent("info", "config_reloaded",
           {{"applied",
             "log-format,trusted-proxy,auth-fail-limit,auth-block,max-connections,"
             "max-connections-per-client,dedupe-window,stale-grace"}});
  const std::vector<std::string_view> kept = ChangesNeedingRestart(running_, *reread);
  if (!kept.empty()) {
    std::string names;
    for (std::string_view name : kept) AppendTo(names, names.empty() ? "" : ",", name);
    LogEvent("warn", "config_restart_needed",
             {{"options", names}, {"kept", "their running values until a restart"}});
  }
}

}  // namespace tollgate::gateway
