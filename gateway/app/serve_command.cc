// Wiring of stores, handlers and listeners for `serve`; org creation for `init`.
#include "app/serve_command.h"

#include <sys/resource.h>

#include <iostream>

#include "absl/time/clock.h"
#include "admin/admin_api.h"
#include "admin/admin_session.h"
#include "app/bootstrap.h"
#include "app/config.h"
#include "app/config_reload.h"
#include "app/store_setup.h"
#include "boost/asio/as_tuple.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "download/download_pipeline.h"
#include "download/download_session.h"
#include "edge/server.h"
#include "observe/log.h"
#include "observe/log_sink.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/files/filesystem_artifact_source.h"
#include "tollgate/storage/files/leftover_uploads.h"
#include "tollgate/storage/files/open_file_cache.h"
#include "tollgate/storage/openpgp/repository_signers.h"
#include "tollgate/storage/origin/pooled_http_origin_client.h"

namespace tollgate::gateway {
namespace asio = boost::asio;

namespace {

// How long a stopping server may spend writing batched usage: long enough for a store that
// answers, short enough that one that does not cannot hold up the exit.
constexpr absl::Duration kExitFlushTimeout = absl::Seconds(5);
// Upload temporaries untouched for this long belong to no live upload: one under way writes
// at least once a minute (the admin connection's progress deadline), also on another
// instance sharing the artifacts folder.
constexpr absl::Duration kLeftoverUploadAge = absl::Minutes(10);

int Fail(int code, std::string_view message) {
  std::cerr << "tollgate: " << message << "\n";
  return code;
}

// Every connection is a descriptor, and --max-connections applies per listener: the soft
// limit (often 1024) would refuse connections long before it, so take the hard limit.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Closes the cached files nobody downloads any more, so one removed by hand does not keep its
// disk space while the server is idle.
asio::awaitable<void> SweepOpenFiles(std::shared_ptr<const storage::OpenFileCache> open_files) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(std::chrono::seconds(1));
    [[maybe_unused]] auto [ignored] =
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    open_files->Sweep();
  }
}

std::string Describe(const asio::ip::tcp::endpoint& endpoint) {
  const asio::ip::address address = endpoint.address();
  return address.is_v6() ? Concat("[", address.to_string(), "]:", endpoint.port())
                         : Concat(address.to_string(), ":", endpoint.port());
}

}  // namespace

int RunServe(const std::vector<std::string>& args) {
  // First only: anywhere else it may be another option's value.
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << ServeHelp();
    return 0;
  }
  absl::StatusOr<ServeConfig> config = ParseServeConfig(args, ProcessEnvironment());
  if (!config.ok()) return Fail(2, ToStd(config.status().message()));
  SetLogFormat(config->log_format);
  // Declared first, so every thread that logs has stopped when it writes its last lines out.
  const BufferedLogging buffered_logging;
  RaiseOpenFileLimit();

  // Declared before the stores so it is destroyed after them: the Redis ledger closes its
  // clients while their event loops still exist.
  Server server(config->threads, config->drain_timeout);
  absl::StatusOr<OpenedStores> opened =
      OpenConfiguredStores(config->redis, config->data_dir, AuthLimitsOf(*config));
  if (!opened.ok()) return Fail(1, ToStd(opened.status().message()));
  const storage::Stores* stores = &opened->stores;
  if (opened->redis_usage) opened->redis_usage->StartFlushing(server.executor());
  absl::StatusOr<std::shared_ptr<storage::ArtifactSource>> files =
      storage::FilesystemArtifactSource::Create(config->artifacts);
  if (!files.ok()) return Fail(1, Concat("--artifacts: ", ToStd(files.status().message())));
  // Downloads and the admin API share one open-file cache, so an upload or a removal through
  // the API is seen by the next download at once. The catalog reads each package file once
  // and goes to the folder itself, leaving the cache to the files customers download.
  const auto open_files = std::make_shared<storage::OpenFileCache>(*files);
  asio::co_spawn(server.executor(), SweepOpenFiles(open_files), asio::detached);
  // Uploads cut short by a crash left their temporaries; they only take disk space, so a
  // failure here is reported and serving goes on.
  absl::StatusOr<size_t> leftovers =
      storage::RemoveLeftoverUploads(config->artifacts, absl::Now() - kLeftoverUploadAge);
  if (!leftovers.ok()) {
    LogEvent("warning", "leftover_uploads_not_removed",
             {{"error", ToStd(leftovers.status().message())}});
  } else if (*leftovers > 0) {
    LogEvent("info", "leftover_uploads_removed", {{"files", Concat(*leftovers)}});
  }

  absl::StatusOr<std::optional<std::filesystem::path>> bootstrapped =
      BootstrapIfEmpty(*stores, config->data_dir, absl::Now());
  if (!bootstrapped.ok()) return Fail(1, ToStd(bootstrapped.status().message()));
  if (*bootstrapped) {
    LogEvent("info", "bootstrapped",
             {{"org", "default"}, {"user", "admin"}, {"api_key_file", (*bootstrapped)->string()}});
  }

  // What SIGHUP changes while serving, shared by both listeners, downloads and the admin API.
  const auto settings = std::make_shared<LiveSettings>(ReloadableSettingsOf(*config));
  ConfigReloader reloader(args, *config, settings, opened->auth_failures);

  // Declared after the server, so its pooled origin connections close before the event
  // loops that own them are destroyed.
  const auto origins = std::make_shared<storage::PooledHttpOriginClient>(
      storage::OriginAddressRule(config->origin_allow));
  const DownloadPipeline downloads(
      DownloadServices{.stores = *stores,
                       .files = open_files,
                       .origins = origins,
                       .auth_failures = opened->auth_failures,
                       .catalog = std::make_shared<storage::PackageCatalog>(*stores, *files),
                       .views = std::make_shared<ViewRenderer>(),
                       .signers = std::make_shared<storage::RepositorySigners>(*stores),
                       .options = DownloadOptions{.contextual_realm = config->contextual_realm,
                                                  .settings = settings,
                                                  .client_header = config->client_header,
                                                  .public_url = config->public_url}});
  const admin::AdminApi admin_api(admin::AdminContext{.stores = *stores,
                                                      .files = open_files,
                                                      .origins = origins,
                                                      .auth_failures = opened->auth_failures,
                                                      .settings = settings,
                                                      .client_header = config->client_header});

  ListenerOptions download_options{.settings = settings,
                                   .send_timeout = absl::ToChronoSeconds(config->send_timeout),
                                   .tls = nullptr};
  ListenerOptions admin_options = download_options;
  admin_options.listener = metrics::Listener::kAdmin;
  if (!config->tls_cert.empty()) {
    absl::StatusOr<std::shared_ptr<TlsContext>> tls =
        TlsContext::Create(config->tls_cert, config->tls_key);
    if (!tls.ok()) return Fail(2, Concat("--tls-cert: ", ToStd(tls.status().message())));
    download_options.tls = *std::move(tls);
  }
  if (!config->admin_tls_cert.empty()) {
    absl::StatusOr<std::shared_ptr<TlsContext>> tls =
        TlsContext::Create(config->admin_tls_cert, config->admin_tls_key);
    if (!tls.ok()) return Fail(2, Concat("--admin-tls-cert: ", ToStd(tls.status().message())));
    admin_options.tls = *std::move(tls);
  }
  server.OnReload([&reloader, tls = std::vector{download_options.tls, admin_options.tls}] {
    reloader.Reload();
    for (const std::shared_ptr<TlsContext>& context : tls) {
      if (context == nullptr) continue;
      if (absl::Status reloaded = context->Reload(); reloaded.ok()) {
        LogEvent("info", "tls_reloaded", {{"certificate", context->cert_file()}});
      } else {
        LogEvent("error", "tls_reload_failed",
                 {{"certificate", context->cert_file()},
                  {"error", ToStd(reloaded.message())},
                  {"kept", "the previous certificate and key"}});
      }
    }
  });
  absl::StatusOr<asio::ip::tcp::endpoint> download_endpoint =
      server.Listen(config->listen, WorkerPool::kDownload, download_options,
                    [&downloads](Connection& connection) {
                      return ServeDownloadConnection(connection, downloads);
                    });
  if (!download_endpoint.ok())
    return Fail(1, Concat("--listen: ", ToStd(download_endpoint.status().message())));
  // Admin work never runs on a download loop: its store writes block (SQLite's fsync, the
  // Redis store's synchronous client) and must not stall a download.
  absl::StatusOr<asio::ip::tcp::endpoint> admin_endpoint = server.Listen(
      config->admin_listen, WorkerPool::kAdmin, admin_options,
      [&admin_api](Connection& connection) { return ServeAdminConnection(connection, admin_api); });
  if (!admin_endpoint.ok())
    return Fail(1, Concat("--admin-listen: ", ToStd(admin_endpoint.status().message())));

  LogEvent("info", "listening",
           {{"download", Describe(*download_endpoint)},
            {"download_tls", download_options.tls != nullptr ? "on" : "off"},
            {"admin", Describe(*admin_endpoint)},
            {"admin_tls", admin_options.tls != nullptr ? "on" : "off"},
            {"threads", Concat(config->threads)},
            {"store", config->redis ? Concat("redis ", config->redis->Describe())
                                    : Concat("embedded ", config->data_dir.string())},
            {"artifacts", config->artifacts.string()}});
  server.Run();
  // Usage of tokens without counted limits is batched in memory; the loops that flushed it
  // have stopped, so the last batch is written here or lost.
  if (absl::Status flushed = stores->usage->FlushAndWait(kExitFlushTimeout); !flushed.ok()) {
    LogEvent("warning", "usage_flush_failed", {{"error", ToStd(flushed.message())}});
  }
  return 0;
}

int RunInit(const std::vector<std::string>& args) {
  std::filesystem::path data_dir = "./var";
  std::optional<storage::RedisEndpoint> redis;
  std::string org;
  std::string owner = "admin";
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (i + 1 >= args.size()) return Fail(2, Concat(word, ": needs a value"));
    const std::string& value = args[++i];
    if (word == "--data-dir") {
      data_dir = value;
    } else if (word == "--redis") {
      absl::StatusOr<storage::RedisEndpoint> endpoint = storage::ParseRedisUrl(value);
      if (!endpoint.ok()) return Fail(2, Concat("--redis: ", ToStd(endpoint.status().message())));
      redis = *std::move(endpoint);
    } else if (word == "--org") {
      org = value;
    } else if (word == "--owner") {
      owner = value;
    } else {
      return Fail(2, Concat("unknown option ", word));
    }
  }
  if (org.empty()) return Fail(2, "--org: is required");
  absl::StatusOr<OpenedStores> opened = OpenConfiguredStores(redis, data_dir);
  if (!opened.ok()) {
    // The embedded store of a running server is in use; the admin API is the way then.
    return Fail(1, ToStd(opened.status().message()));
  }
  const storage::Stores* stores = &opened->stores;
  absl::StatusOr<std::string> key = CreateOrgWithOwner(*stores, org, owner, absl::Now());
  if (!key.ok()) {
    const int code = absl::IsInvalidArgument(key.status()) ? 2 : 1;
    return Fail(code, ToStd(key.status().message()));
  }
  std::cout << *key << std::endl;
  return 0;
}

}  // namespace tollgate::gateway
