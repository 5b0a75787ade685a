#include "trialmill/publish/publish.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include "trialmill/io.hpp"
#include "trialmill/log.hpp"
#include "trialmill/publish/pg.hpp"
#include "trialmill/publish/target_schema.hpp"
#include "trialmill/store/publish_source.hpp"

namespace trialmill {
namespace {

// Serializes publishers into one target (a session lock: released when a killed publish's
// connection goes).
constexpr const char* kPublishLock = "SELECT pg_advisory_lock(7234002)";

// Test-only fault hook: TRIALMILL_PUBLISH_FAULT=<moment>:<n> kills the process (SIGKILL, as an
// operator's kill -9 would) the n-th time it passes <moment>. Moments: schema, delete, copy,
// commit, state.
void fault_point(const char* moment, size_t n) {
  static const char* spec = std::getenv("TRIALMILL_PUBLISH_FAULT");
  if (spec && str_cat(moment, ":", n) == spec) std::raise(SIGKILL);
}

// The COPY text of one row (values typed for the target; warnings counted in the report).
std::string copy_line(const TargetTable& table, const SourceRow& row, PublishReport& report) {
  return copy_row_text(table, row, &report.warnings);
}

std::string column_list(const TargetTable& table) {
  std::string out;
  for (const TargetColumn& column : table.columns) {
    if (!out.empty()) out += ", ";
    out += pg_ident(column.name);
  }
  return out;
}

// Rows of one key (a trial, or a run) across tables: COPY text per table.
struct Group {
  std::vector<std::string> per_table;
  uint64_t rows = 0;
  std::string digest() const {
    std::string all;
    for (size_t i = 0; i < per_table.size(); ++i) all += str_cat(i, "\x1f", per_table[i], "\x1e");
    return sha256_hex(all);
  }
};

class Publisher {
 public:
  Publisher(const PublishOptions& options, const PublishProgress& progress, PublishReport& report)
      : options_(options),
        progress_(progress),
        report_(report),
        source_(options.db),
        pg_(options.to) {
    for (const SourceTable& table : source_.tables()) targets_.push_back(target_table(table));
  }

  void run() {
    pg_.exec(kPublishLock);
    const TargetSchema schema = ensure_target_schema(pg_, targets_);
    const std::string& target_sql = schema.digest;
    fault_point("schema", 1);

    std::string since;
    int64_t from_run = 1;
    PgResult state =
        pg_.query("SELECT since, next_run_id FROM trialmill.publish_state WHERE id = 1");
    report_.first = state.rows() == 0;
    if (!report_.first) {
      since = state.text(0, 0);
      from_run = std::stoll(state.text(0, 1));
    }
    // Columns or tables new to the target (a newer schema, e.g. thresholds columns): every trial
    // is compared again, and those whose rows now have more to say are sent.
    if (schema.changed) {
      since.clear();
      from_run = 1;
    }
    const std::string next_since = source_.next_watermark();
    const int64_t next_run = source_.first_open_run_id();

    PgResult digests = pg_.query("SELECT key, digest FROM trialmill.publish_digests");
    for (int i = 0; i < digests.rows(); ++i) digests_[digests.text(i, 0)] = digests.text(i, 1);

    std::vector<std::string> ids = source_.changed_trials(since);
    if (!since.empty()) {
      // A source listed again clears its vanished_at without a timestamp of its own.
      PgResult vanished =
          pg_.query("SELECT DISTINCT nct_id FROM trialmill.sources WHERE vanished_at IS NOT NULL");
      for (int i = 0; i < vanished.rows(); ++i) ids.push_back(vanished.text(i, 0));
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    report_.trials_considered = ids.size();

    size_t batch_number = 0;
    for (size_t start = 0; start < ids.size(); start += options_.batch) {
      std::vector<std::string> slice(
          ids.begin() + static_cast<std::ptrdiff_t>(start),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), start + options_.batch)));
      std::map<std::string, Group> groups;
      for (size_t t = 0; t < targets_.size(); ++t) {
        const TargetTable& table = targets_[t];
        if (!table.keyed_by_trial) continue;
        source_.trial_rows(source_.tables()[t], slice, [&](const SourceRow& row) {
          add_row(groups, t, *row[static_cast<size_t>(table.key_column)], row);
        });
      }
      if (send(groups, "", ++batch_number)) report_.trials_sent += last_sent_;
      if (progress_) progress_(std::min(ids.size(), start + options_.batch), ids.size());
    }

    // Runs, and the watermark, in the last transaction.
    std::map<std::string, Group> runs;
    for (size_t t = 0; t < targets_.size(); ++t) {
      const TargetTable& table = targets_[t];
      if (table.keyed_by_trial) continue;
      source_.run_rows(source_.tables()[t], from_run, [&](const SourceRow& row) {
        add_row(runs, t, *row[static_cast<size_t>(table.key_column)], row);
      });
    }
    pg_.exec("BEGIN");
    send_in_transaction(runs, "run:", "run_id");
    report_.runs_sent = last_sent_;
    pg_.query(
        "INSERT INTO trialmill.publish_state (id, since, next_run_id, published_at, target_sql) "
        "VALUES (1, $1, $2, now(), $3) ON CONFLICT (id) DO UPDATE SET since = excluded.since, "
        "next_run_id = excluded.next_run_id, published_at = excluded.published_at, "
        "target_sql = excluded.target_sql",
        {next_since, std::to_string(next_run), target_sql});
    fault_point("state", 1);
    pg_.exec("COMMIT");
  }

 private:
  void add_row(std::map<std::string, Group>& groups, size_t table_index, const std::string& key,
               const SourceRow& row) {
    Group& group = groups[key];
    if (group.per_table.empty()) group.per_table.resize(targets_.size());
    group.per_table[table_index] += copy_line(targets_[table_index], row, report_);
    ++group.rows;
  }

  // One batch of trials in its own transaction; false when nothing differed.
  bool send(const std::map<std::string, Group>& groups, const std::string& prefix,
            size_t batch_number) {
    last_sent_ = 0;
    bool any = false;
    for (const auto& [key, group] : groups)
      if (differs(prefix + key, group)) any = true;
    if (!any) return false;
    pg_.exec("BEGIN");
    send_in_transaction(groups, prefix, "nct_id", batch_number);
    pg_.exec("COMMIT");
    fault_point("commit", batch_number);
    return true;
  }

  bool differs(const std::string& key, const Group& group) {
    auto found = digests_.find(key);
    return found == digests_.end() || found->second != group.digest();
  }

  // Replaces the rows of every group whose digest differs from the target's: delete the old
  // rows (of keys the target has), COPY the new ones, record the digests.
  void send_in_transaction(const std::map<std::string, Group>& groups, const std::string& prefix,
                           const std::string& key_column, size_t batch_number = 0) {
    std::vector<std::string> changed, known, changed_keys, known_keys;
    std::map<std::string, std::string> new_digests;
    for (const auto& [key, group] : groups) {
      std::string digest = group.digest();
      auto found = digests_.find(prefix + key);
      if (found != digests_.end() && found->second == digest) continue;
      changed.push_back(key);
      changed_keys.push_back(prefix + key);
      new_digests[prefix + key] = digest;
      if (found != digests_.end()) {
        known.push_back(key);
        known_keys.push_back(prefix + key);
      }
    }
    last_sent_ = changed.size();
    if (changed.empty()) return;
    bool by_trial = key_column == "nct_id";
    if (!known.empty()) {
      for (const TargetTable& table : targets_) {
        if (table.keyed_by_trial != by_trial) continue;
        const std::string column = by_trial ? "nct_id" : table.name == "runs" ? "id" : "run_id";
        pg_.query(
            str_cat("DELETE FROM trialmill.", pg_ident(table.name), " WHERE ", pg_ident(column),
                    by_trial ? " = ANY($1::text[])" : " = ANY($1::bigint[])"),
            {pg_text_array(known)});
      }
      pg_.query("DELETE FROM trialmill.publish_digests WHERE key = ANY($1::text[])",
                {pg_text_array(known_keys)});
    }
    if (by_trial) fault_point("delete", batch_number);
    bool first_table = true;
    for (size_t t = 0; t < targets_.size(); ++t) {
      const TargetTable& table = targets_[t];
      if (table.keyed_by_trial != by_trial) continue;
      PgCopyIn copy(pg_, str_cat("COPY trialmill.", pg_ident(table.name), " (", column_list(table),
                                 ") FROM STDIN"));
      for (const std::string& key : changed) {
        const Group& group = groups.at(key);
        copy.write(group.per_table[t]);
      }
      copy.finish();
      report_.bytes_sent += copy.bytes_sent();
      if (by_trial && first_table) fault_point("copy", batch_number);
      first_table = false;
    }
    PgCopyIn digests(pg_, "COPY trialmill.publish_digests (key, digest) FROM STDIN");
    std::string text;
    for (const auto& [key, digest] : new_digests) text += str_cat(key, "\t", digest, "\n");
    digests.write(text);
    digests.finish();
    for (const std::string& key : changed) report_.rows_sent += groups.at(key).rows;
    for (auto& [key, digest] : new_digests) digests_[key] = digest;
  }

  const PublishOptions& options_;
  const PublishProgress& progress_;
  PublishReport& report_;
  PublishSource source_;
  PgConnection pg_;
  std::vector<TargetTable> targets_;
  std::unordered_map<std::string, std::string> digests_;
  size_t last_sent_ = 0;
};

}  // namespace

PublishReport publish(const PublishOptions& options, const PublishProgress& progress) {
  const auto started = std::chrono::steady_clock::now();
  PublishReport report;
  Publisher publisher(options, progress, report);
  publisher.run();
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace trialmill
