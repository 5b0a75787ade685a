#include "trialmill/store/run_sources.hpp"

#include <SQLiteCpp/Statement.h>

namespace trialmill {

void save_run_sources(SQLite::Database& db, int64_t run_id, const RunFigures& figures) {
  SQLite::Statement insert(
      db,
      "INSERT INTO run_sources (run_id, source, format, pages, pages_unchanged, fetch_failed, "
      "parse_failed, records, records_compared, records_lost_fields, trials, discovery_complete, "
      "held, held_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (run_id, source) DO NOTHING");
  for (const auto& [name, f] : figures) {
    insert.reset();
    insert.bind(1, run_id);
    insert.bind(2, name);
    insert.bind(3, f.format);
    int index = 4;
    for (size_t value : {f.pages, f.pages_unchanged, f.fetch_failed, f.parse_failed, f.records,
                         f.records_compared, f.records_lost_fields, f.trials})
      insert.bind(index++, static_cast<int64_t>(value));
    insert.bind(index++, f.discovery_complete ? 1 : 0);
    insert.bind(index++, f.held ? 1 : 0);
    if (f.held_reason)
      insert.bind(index, *f.held_reason);
    else
      insert.bind(index);
    insert.exec();
  }
}

RunFigures previous_applied_figures(SQLite::Database& db, int64_t before_run_id) {
  SQLite::Statement select(
      db,
      "SELECT source, format, pages, pages_unchanged, fetch_failed, parse_failed, records, "
      "records_compared, records_lost_fields, trials, discovery_complete "
      "FROM run_sources r "
      "WHERE held = 0 AND run_id = (SELECT max(run_id) FROM run_sources p "
      "                             WHERE p.source = r.source AND p.held = 0 AND p.run_id < ?)");
  select.bind(1, before_run_id);
  RunFigures out;
  while (select.executeStep()) {
    SourceRunFigures f;
    f.format = select.getColumn(1).getString();
    size_t* fields[] = {&f.pages,   &f.pages_unchanged,  &f.fetch_failed,        &f.parse_failed,
                        &f.records, &f.records_compared, &f.records_lost_fields, &f.trials};
    for (int i = 0; i < 8; ++i) *fields[i] = static_cast<size_t>(select.getColumn(2 + i).getInt64());
    f.discovery_complete = select.getColumn(10).getInt() != 0;
    out[select.getColumn(0).getString()] = std::move(f);
  }
  return out;
}

}  // namespace trialmill
