#include "trialmill/store/withdrawal.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <optional>
#include <set>
#include <vector>

#include "trialmill/error.hpp"
#include "trialmill/io.hpp"

namespace trialmill {
namespace {

struct Mark {
  std::string nct_id;
  std::optional<std::string> at;  // null: cleared
};

std::vector<Mark> trial_marks_to_change(SQLite::Database& db, std::string_view format,
                                        const std::string& now) {
  // Trials with a record of this format: withdrawn when none of their records is present.
  SQLite::Statement select(
      db,
      "SELECT t.nct_id, t.withdrawn_from_source_at IS NOT NULL AS marked, "
      "       EXISTS (SELECT 1 FROM sources p WHERE p.nct_id = t.nct_id AND p.vanished_at IS NULL) "
      "         AS present "
      "FROM trials t WHERE t.nct_id IN (SELECT nct_id FROM sources WHERE format = ?)");
  select.bind(1, std::string(format));
  std::vector<Mark> changes;
  while (select.executeStep()) {
    bool marked = select.getColumn(1).getInt() != 0;
    bool present = select.getColumn(2).getInt() != 0;
    if (marked == !present) continue;
    changes.push_back({select.getColumn(0).getString(),
                       present ? std::nullopt : std::optional<std::string>(now)});
  }
  return changes;
}

// Marks or clears trials.withdrawn_from_source_at of the trials with a record of `format` to
// match their source records, with a trial_changes row for each trial whose mark changed.
void update_trial_marks(SQLite::Database& db, std::string_view format, const std::string& now,
                        WithdrawalCounts& counts) {
  SQLite::Statement mark_trial(db,
                               "UPDATE trials SET withdrawn_from_source_at = ? WHERE nct_id = ?");
  SQLite::Statement change(
      db,
      "INSERT INTO trial_changes (nct_id, field, old_value, new_value, source_id, changed_at) "
      "SELECT nct_id, 'withdrawn_from_source_at', json_quote(withdrawn_from_source_at), "
      "       json_quote(?), NULL, ? FROM trials WHERE nct_id = ?");
  for (const Mark& mark : trial_marks_to_change(db, format, now)) {
    change.reset();
    if (mark.at)
      change.bind(1, *mark.at);
    else
      change.bind(1);
    change.bind(2, now);
    change.bind(3, mark.nct_id);
    change.exec();
    mark_trial.reset();
    if (mark.at)
      mark_trial.bind(1, *mark.at);
    else
      mark_trial.bind(1);
    mark_trial.bind(2, mark.nct_id);
    mark_trial.exec();
    ++(mark.at ? counts.trials_withdrawn : counts.trials_returned);
  }
}

// Upserts a confirmation time (bound first) for the source records the WHERE clause picks.
constexpr std::string_view kConfirm =
    "INSERT INTO source_confirmations (source_id, confirmed_at) SELECT id, ?1 FROM sources ";
constexpr std::string_view kConfirmed =
    " ON CONFLICT (source_id) DO UPDATE SET confirmed_at = excluded.confirmed_at";

}  // namespace

WithdrawalCounts sweep_vanished(SQLite::Database& db, std::string_view format,
                                const ListedPages& listed, const std::string& now) {
  WithdrawalCounts counts;
  std::vector<std::pair<int64_t, bool>> source_changes;  // id, vanished
  {
    SQLite::Statement select(db,
                             "SELECT id, nct_id, ifnull(url, ''), vanished_at IS NOT NULL FROM "
                             "sources WHERE format = ?");
    select.bind(1, std::string(format));
    while (select.executeStep()) {
      bool seen = listed.nct_ids.count(select.getColumn(1).getString()) ||
                  listed.urls.count(select.getColumn(2).getString());
      bool vanished = select.getColumn(3).getInt() != 0;
      if (seen == vanished) source_changes.emplace_back(select.getColumn(0).getInt64(), !seen);
    }
  }
  SQLite::Statement mark_source(db, "UPDATE sources SET vanished_at = ? WHERE id = ?");
  for (const auto& [id, vanished] : source_changes) {
    mark_source.reset();
    if (vanished) {
      mark_source.bind(1, now);
      ++counts.sources_vanished;
    } else {
      mark_source.bind(1);
      ++counts.sources_returned;
    }
    mark_source.bind(2, id);
    mark_source.exec();
  }

  update_trial_marks(db, format, now, counts);
  return counts;
}

void confirm_listed(SQLite::Database& db, std::string_view format, const ListedPages& listed,
                    const std::string& now) {
  SQLite::Statement by_id(db, str_cat(kConfirm, "WHERE format = ? AND nct_id = ?", kConfirmed));
  for (const auto& id : listed.nct_ids) {
    by_id.reset();
    by_id.bind(1, now);
    by_id.bind(2, std::string(format));
    by_id.bind(3, id);
    by_id.exec();
  }
  SQLite::Statement by_url(db, str_cat(kConfirm, "WHERE format = ? AND url = ?", kConfirmed));
  for (const auto& url : listed.urls) {
    by_url.reset();
    by_url.bind(1, now);
    by_url.bind(2, std::string(format));
    by_url.bind(3, url);
    by_url.exec();
  }
}

std::vector<std::string> least_recently_confirmed(SQLite::Database& db, std::string_view format,
                                                  size_t limit) {
  // Never confirmed first (''), then the oldest confirmation; vanished records are asked about
  // too, so that a trial that returns is unmarked.
  SQLite::Statement select(db,
                           "SELECT s.nct_id FROM sources s "
                           "LEFT JOIN source_confirmations c ON c.source_id = s.id "
                           "WHERE s.format = ? GROUP BY s.nct_id "
                           "ORDER BY min(ifnull(c.confirmed_at, '')), s.nct_id LIMIT ?");
  select.bind(1, std::string(format));
  select.bind(2, static_cast<int64_t>(limit));
  std::vector<std::string> ids;
  while (select.executeStep()) ids.push_back(select.getColumn(0).getString());
  return ids;
}

WithdrawalCounts apply_id_sweep(SQLite::Database& db, std::string_view format,
                                const std::set<std::string>& found,
                                const std::set<std::string>& not_found, const std::string& now) {
  WithdrawalCounts counts;
  SQLite::Statement confirm(db, str_cat(kConfirm, "WHERE format = ? AND nct_id = ?", kConfirmed));
  auto confirm_id = [&](const std::string& id) {
    confirm.reset();
    confirm.bind(1, now);
    confirm.bind(2, std::string(format));
    confirm.bind(3, id);
    confirm.exec();
  };
  SQLite::Statement returned(db,
                             "UPDATE sources SET vanished_at = NULL "
                             "WHERE format = ? AND nct_id = ? AND vanished_at IS NOT NULL");
  for (const auto& id : found) {
    returned.reset();
    returned.bind(1, std::string(format));
    returned.bind(2, id);
    counts.sources_returned += static_cast<size_t>(returned.exec());
    confirm_id(id);
  }
  // Asked and answered "no such trial": vanished, kept, and asked about again in later sweeps.
  SQLite::Statement gone(db,
                         "UPDATE sources SET vanished_at = ? "
                         "WHERE format = ? AND nct_id = ? AND vanished_at IS NULL");
  for (const auto& id : not_found) {
    gone.reset();
    gone.bind(1, now);
    gone.bind(2, std::string(format));
    gone.bind(3, id);
    counts.sources_vanished += static_cast<size_t>(gone.exec());
    confirm_id(id);
  }
  update_trial_marks(db, format, now, counts);
  return counts;
}

std::map<std::string, WithdrawalCounts> sweep_vanished_formats(
    SQLite::Database& db, const std::map<std::string, ListedPages>& listed) {
  std::map<std::string, WithdrawalCounts> counts;
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  const std::string now = utc_now_iso8601();
  for (const auto& [format, pages] : listed)
    counts[format] = sweep_vanished(db, format, pages, now);
  transaction.commit();
  return counts;
}

}  // namespace trialmill
