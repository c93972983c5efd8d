// What SIGHUP does with the configuration: it is read again as at start — the command line and
// TOLLGATE_* environment the process started with (which cannot change) over the --config file
// as it is now — the options that can change while serving take their new values at once, and
// those that cannot are named in one log line and keep theirs.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "app/config.h"
#include "http/live_settings.h"
#include "tollgate/storage/auth_failures.h"

namespace tollgate::gateway {

// The brute-force limits of `config`: --auth-fail-limit invalid credentials a minute, then
// blocked for --auth-block.
storage::AuthFailureLimits AuthLimitsOf(const ServeConfig& config);

// The options of `config` that SIGHUP applies to LiveSettings.
ReloadableSettings ReloadableSettingsOf(const ServeConfig& config);

// The names of the options whose value differs between `running` and `reread` and that only
// a restart applies ("listen", "redis", "tls-cert" …), in the order of the option table.
std::vector<std::string_view> ChangesNeedingRestart(const ServeConfig& running,
                                                    const ServeConfig& reread);

class ConfigReloader {
 public:
  ConfigReloader(std::vector<std::string> args, ServeConfig running,
                 std::shared_ptr<LiveSettings> settings,
                 std::shared_ptr<storage::AuthFailures> auth_failures);

  // Reads the configuration again and applies it, logging `config_reloaded` (or
  // `config_reload_failed`, everything kept, when it no longer parses) and, when some option
  // changed that needs a restart, `config_restart_needed` naming them.
  void Reload();

 private:
  const std::vector<std::string> args_;
  const ServeConfig running_;  // what serves: restart-only options are compared with it
  const std::shared_ptr<LiveSettings> settings_;
  const std::shared_ptr<storage::AuthFailures> auth_failures_;
};

}  // namespace tollgate::gateway
