// EntitlementStore on SQLite: rows are written durably first, then the immutable in-memory
// copies are swapped, so readers see either the old token or the new one, never a mix.
#include "tollgate/storage/embedded/embedded_entitlement_store.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "sqlite_database.h"
#include "tollgate/storage/index/entitlement_checks.h"

namespace tollgate::storage {
namespace {

using policy::Entitlement;

// Parameters ?1 … ?21 of BindRow, in this order.
constexpr char kColumns[] =
    "identifier, org, repo, name, token, token_hash, is_active, user, limit_date_range_from, "
    "limit_date_range_to, limit_num_downloads, limit_num_clients, limit_bandwidth, "
    "limit_bandwidth_unit, limit_package_query, limit_path_query, scheduled_reset_period, "
    "usage_reset_at, metadata_json, created_at, updated_at";

void BindRow(SqliteStatement& statement, const Entitlement& e, const std::string& token_hash) {
  statement.Bind(1, e.identifier);
  statement.Bind(2, e.org);
  statement.Bind(3, e.repo);
  statement.Bind(4, e.name);
  statement.Bind(5, e.token);
  statement.Bind(6, token_hash);
  statement.Bind(7, int64_t{e.is_active});
  statement.Bind(8, e.user);
  statement.Bind(9, e.limit_date_range_from);
  statement.Bind(10, e.limit_date_range_to);
  statement.Bind(11, e.limit_num_downloads);
  statement.Bind(12, e.limit_num_clients);
  statement.Bind(13, e.limit_bandwidth);
  statement.Bind(14, policy::BandwidthUnitName(e.limit_bandwidth_unit));
  statement.Bind(15, e.limit_package_query);
  statement.Bind(16, e.limit_path_query);
  statement.Bind(17, policy::ResetPeriodName(e.scheduled_reset_period));
  statement.Bind(18, e.usage_reset_at);
  statement.Bind(19, e.metadata_json);
  statement.Bind(20, e.created_at);
  statement.Bind(21, e.updated_at);
}

// Reads a row selected with kColumns; DataLoss on an enumeration value this version lacks.
absl::StatusOr<Entitlement> ReadRow(const SqliteStatement& row) {
  Entitlement e;
  e.identifier = row.ColumnText(0);
  e.org = row.ColumnText(1);
  e.repo = row.ColumnText(2);
  e.name = row.ColumnText(3);
  e.token = row.ColumnText(4);
  e.is_active = row.ColumnInt(6) != 0;
  e.user = row.ColumnOptionalText(7);
  e.limit_date_range_from = row.ColumnOptionalTime(8);
  e.limit_date_range_to = row.ColumnOptionalTime(9);
  e.limit_num_downloads = row.ColumnOptionalInt(10);
  e.limit_num_clients = row.ColumnOptionalInt(11);
  e.limit_bandwidth = row.ColumnOptionalInt(12);
  const std::string unit = row.ColumnText(13);
  std::optional<policy::BandwidthUnit> parsed_unit = policy::ParseBandwidthUnit(unit);
  if (!parsed_unit) {
    return absl::DataLossError(absl::StrCat("entitlement ", e.identifier,
                                            " has unknown limit_bandwidth_unit \"", unit, "\""));
  }
  e.limit_bandwidth_unit = *parsed_unit;
  e.limit_package_query = row.ColumnOptionalText(14);
  e.limit_path_query = row.ColumnOptionalText(15);
  const std::string period = row.ColumnText(16);
  std::optional<policy::ResetPeriod> parsed_period = policy::ParseResetPeriod(period);
  if (!parsed_period) {
    return absl::DataLossError(absl::StrCat(
        "entitlement ", e.identifier, " has unknown scheduled_reset_period \"", period, "\""));
  }
  e.scheduled_reset_period = *parsed_period;
  e.usage_reset_at = row.ColumnOptionalTime(17);
  e.metadata_json = row.ColumnText(18);
  e.created_at = row.ColumnTime(19);
  e.updated_at = row.ColumnTime(20);
  // A stored query this version cannot parse stays uncompiled, which makes the token admit
  // nothing (fail closed) instead of refusing to start.
  policy::CompileScopes(e).IgnoreError();
  return e;
}

// The immutable copy the index holds, with its scope queries compiled. InvalidArgument
// naming the query when one does not parse.
absl::StatusOr<EntitlementPtr> Prepare(const Entitlement& entitlement) {
  Entitlement copy = entitlement;
  if (absl::Status s = policy::CompileScopes(copy); !s.ok()) return s;
  return std::make_shared<const Entitlement>(std::move(copy));
}

absl::Status TokenTaken(const std::string& org, const std::string& repo) {
  return absl::AlreadyExistsError(
      absl::StrCat("the token string is already used in ", org, "/", repo));
}

absl::Status IdentifierTaken(const std::string& identifier) {
  return absl::AlreadyExistsError(absl::StrCat("entitlement identifier ", identifier, " is taken"));
}

absl::Status NoSuchRepository(const std::string& org, const std::string& repo) {
  return absl::NotFoundError(absl::StrCat("repository ", org, "/", repo, " does not exist"));
}

// Inserts `e` as a new row. AlreadyExists when its identifier or token string is taken,
// NotFound when its repository does not exist.
absl::Status InsertRow(SqliteSession& session, const Entitlement& e,
                       const std::string& token_hash) {
  absl::StatusOr<SqliteStatement> insert = session.Prepare(absl::StrCat(
      "INSERT INTO entitlements (", kColumns,
      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
      "?18, ?19, ?20, ?21)"));
  if (!insert.ok()) return insert.status();
  BindRow(*insert, e, token_hash);
  return insert->Run();
}

absl::Status NoSuchToken(const std::string& org, const std::string& repo,
                         const std::string& identifier) {
  return absl::NotFoundError(
      absl::StrCat("entitlement ", identifier, " does not exist in ", org, "/", repo));
}

}  // namespace

EmbeddedEntitlementStore::EmbeddedEntitlementStore(std::shared_ptr<SqliteDatabase> db)
    : db_(std::move(db)), index_(db_->token_hash_key()) {}

absl::StatusOr<std::unique_ptr<EmbeddedEntitlementStore>> EmbeddedEntitlementStore::Load(
    std::shared_ptr<SqliteDatabase> db) {
  std::unique_ptr<EmbeddedEntitlementStore> store(new EmbeddedEntitlementStore(db));
  absl::Status status = db->Read([&store](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> select =
        session.Prepare(absl::StrCat("SELECT ", kColumns, " FROM entitlements"));
    if (!select.ok()) return select.status();
    for (;;) {
      absl::StatusOr<bool> row = select->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      absl::StatusOr<Entitlement> entitlement = ReadRow(*select);
      if (!entitlement.ok()) return entitlement.status();
      store->index_.Put(*entitlement);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return store;
}

absl::Status EmbeddedEntitlementStore::Create(const Entitlement& entitlement) {
  absl::StatusOr<EntitlementPtr> prepared = Prepare(entitlement);
  if (!prepared.ok()) return prepared.status();
  std::lock_guard write_lock(write_mu_);
  // Under write_mu_ memory equals the database, so this check is exact; it tells an
  // identifier collision from a token collision, which SQLite reports alike.
  if (index_.ContainsIdentifier(entitlement.identifier)) {
    return IdentifierTaken(entitlement.identifier);
  }
  const std::string token_hash = index_.HashToken(entitlement.token);
  absl::Status status = db_->Write([&](SqliteSession& session) -> absl::Status {
    return InsertRow(session, entitlement, token_hash);
  });
  if (absl::IsAlreadyExists(status)) return TokenTaken(entitlement.org, entitlement.repo);
  if (absl::IsNotFound(status)) return NoSuchRepository(entitlement.org, entitlement.repo);
  if (!status.ok()) return status;
  index_.Put(**prepared);
  return absl::OkStatus();
}

absl::Status EmbeddedEntitlementStore::Update(const Entitlement& entitlement,
                                              absl::Time expected_updated_at) {
  if (absl::Status s = CheckLaterUpdate(entitlement, expected_updated_at); !s.ok()) return s;
  absl::StatusOr<EntitlementPtr> prepared = Prepare(entitlement);
  if (!prepared.ok()) return prepared.status();
  std::lock_guard write_lock(write_mu_);
  if (index_.Get(entitlement.org, entitlement.repo, entitlement.identifier) == nullptr) {
    return NoSuchToken(entitlement.org, entitlement.repo, entitlement.identifier);
  }
  const std::string token_hash = index_.HashToken(entitlement.token);
  absl::Status status = db_->Write([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> update = session.Prepare(
        "UPDATE entitlements SET name = ?4, token = ?5, token_hash = ?6, is_active = ?7, "
        "user = ?8, limit_date_range_from = ?9, limit_date_range_to = ?10, "
        "limit_num_downloads = ?11, limit_num_clients = ?12, limit_bandwidth = ?13, "
        "limit_bandwidth_unit = ?14, limit_package_query = ?15, limit_path_query = ?16, "
        "scheduled_reset_period = ?17, usage_reset_at = ?18, metadata_json = ?19, "
        "created_at = ?20, updated_at = ?21 "
        "WHERE identifier = ?1 AND org = ?2 AND repo = ?3 AND updated_at = ?22");
    if (!update.ok()) return update.status();
    BindRow(*update, entitlement, token_hash);
    update->Bind(22, expected_updated_at);
    if (absl::Status updated = update->Run(); !updated.ok()) return updated;
    if (session.changes() == 0) {
      return absl::AbortedError(absl::StrCat("entitlement ", entitlement.identifier,
                                             " changed since it was read; read it again"));
    }
    return absl::OkStatus();
  });
  if (absl::IsAlreadyExists(status)) return TokenTaken(entitlement.org, entitlement.repo);
  if (!status.ok()) return status;
  // Replaces the previous token, since the identifier is the same.
  index_.Put(**prepared);
  return absl::OkStatus();
}

absl::Status EmbeddedEntitlementStore::ReplaceStandardTokens(
    const std::string& org, const std::string& repo, const std::vector<Entitlement>& tokens) {
  if (absl::Status s = CheckStandardTokens(org, repo, tokens); !s.ok()) return s;
  std::vector<CompactEntitlementPtr> prepared;
  prepared.reserve(tokens.size());
  for (const Entitlement& token : tokens) {
    absl::StatusOr<EntitlementPtr> copy = Prepare(token);
    if (!copy.ok()) return copy.status();
    prepared.push_back(std::make_shared<const CompactEntitlement>(**copy));
  }
  std::lock_guard write_lock(write_mu_);
  // Exact under write_mu_, as in Create. The tokens about to go count as taken too, as they
  // do on Redis.
  for (const Entitlement& token : tokens) {
    if (index_.ContainsIdentifier(token.identifier)) return IdentifierTaken(token.identifier);
  }
  absl::Status status = db_->Write([&](SqliteSession& session) -> absl::Status {
    {
      // Scoped: the statement stays on its row until it goes.
      absl::StatusOr<SqliteStatement> repository =
          session.Prepare("SELECT 1 FROM repositories WHERE org = ?1 AND slug = ?2");
      if (!repository.ok()) return repository.status();
      repository->Bind(1, org);
      repository->Bind(2, repo);
      absl::StatusOr<bool> found = repository->Step();
      if (!found.ok()) return found.status();
      if (!*found) return NoSuchRepository(org, repo);
    }
    absl::StatusOr<SqliteStatement> remove =
        session.Prepare("DELETE FROM entitlements WHERE org = ?1 AND repo = ?2 AND user IS NULL");
    if (!remove.ok()) return remove.status();
    remove->Bind(1, org);
    remove->Bind(2, repo);
    if (absl::Status removed = remove->Run(); !removed.ok()) return removed;
    for (const Entitlement& token : tokens) {
      absl::Status inserted = InsertRow(session, token, index_.HashToken(token.token));
      if (absl::IsAlreadyExists(inserted)) return TokenTaken(org, repo);
      if (!inserted.ok()) return inserted;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  index_.ReplaceStandardTokens(org, repo, std::move(prepared));
  return absl::OkStatus();
}

absl::Status EmbeddedEntitlementStore::Delete(const std::string& org, const std::string& repo,
                                              const std::string& identifier) {
  std::lock_guard write_lock(write_mu_);
  if (index_.Get(org, repo, identifier) == nullptr) return NoSuchToken(org, repo, identifier);
  absl::Status status = db_->Write([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> remove = session.Prepare(
        "DELETE FROM entitlements WHERE identifier = ?1 AND org = ?2 AND repo = ?3");
    if (!remove.ok()) return remove.status();
    remove->Bind(1, identifier);
    remove->Bind(2, org);
    remove->Bind(3, repo);
    return remove->Run();
  });
  if (!status.ok()) return status;
  index_.Remove(identifier);
  return absl::OkStatus();
}

EntitlementPtr EmbeddedEntitlementStore::Get(const std::string& org, const std::string& repo,
                                             const std::string& identifier) const {
  return index_.Get(org, repo, identifier);
}

EntitlementPtr EmbeddedEntitlementStore::FindByToken(const std::string& org,
                                                     const std::string& repo,
                                                     std::string_view token) const {
  return index_.FindByToken(org, repo, token);
}

bool EmbeddedEntitlementStore::ContainsToken(std::string_view token) const {
  return index_.ContainsToken(token);
}

std::vector<EntitlementPtr> EmbeddedEntitlementStore::List(const std::string& org,
                                                           const std::string& repo) const {
  return index_.List(org, repo);
}

int64_t EmbeddedEntitlementStore::CountActiveStandardTokens(const std::string& org,
                                                            const std::string& repo) const {
  return index_.CountActiveStandard(org, repo);
}

void EmbeddedEntitlementStore::ForgetRepository(const std::string& org, const std::string& repo) {
  std::lock_guard write_lock(write_mu_);
  index_.ReplaceRepository(org, repo, {});
}

}  // namespace tollgate::storage
