#include "trialmill/store/withdrawal.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <optional>
#include <vector>

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
