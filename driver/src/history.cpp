// `trialmill history import FILE…` stores dated versions of studies (ClinicalTrials.gov Archive
// pages, older exports) so that trial_changes tell each study's past; `trialmill history NCT…`
// prints a study's changes, as a table on a terminal, else as JSON Lines.
#include "trialmill/driver/history.hpp"

#include <unistd.h>

#include <cstdio>
#include <map>

#include "trialmill/cli.hpp"
#include "trialmill/driver/input_pages.hpp"
#include "trialmill/driver/subcommand.hpp"
#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/log.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/store/history.hpp"
#include "trialmill/store/schema.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

std::vector<OptionSpec> history_option_specs() {
  auto specs = std::vector<OptionSpec>{
      {"db", 0, true, "the SQLite database (required)", "PATH"},
      {"format", 0, true, "listing: table or jsonl (default: table on a terminal, else jsonl)",
       "FORMAT"},
  };
  for (auto& spec : common_options()) specs.push_back(spec);
  return specs;
}

// The date a record is a version of: the Archive page's version date, else (an older export
// of the study) the date it was last updated on the registry.
std::optional<std::string> version_date_of(const JsonValue& record) {
  if (const JsonValue* source = find_member(record, "source"))
    if (auto d = get_string(*source, "version_date")) return d;
  return get_string(record, "last_update_posted");
}

int import_versions(const std::string& db, const std::vector<std::string>& files) {
  if (files.empty()) throw UsageError("no FILE to import");
  std::map<std::string, std::vector<TrialVersion>> studies;
  size_t failed = 0;
  PageSource next = input_pages(files);
  while (true) {
    LoadPage page;
    try {
      if (!next(page)) break;
    } catch (const std::exception& e) {
      log_error(page.name, e.what());
      ++failed;
      continue;
    }
    PageInput input{page.name, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
    try {
      parse_page_records(
          page.bytes, input,
          [&](JsonDocument&& parsed) {
            JsonDocument record = normalize_record(parsed);
            auto nct = get_string(record, "nct_id");
            auto date = version_date_of(record);
            if (!nct || !date) {
              log_error(page.name,
                        "not a dated version of a study (no version date, no last update date)");
              ++failed;
              return;
            }
            studies[*nct].push_back(TrialVersion{*date, page.name, std::move(record)});
          },
          [&](std::string&& message) {
            log_error(page.name, message);
            ++failed;
          });
    } catch (const std::exception& e) {
      log_error(page.name, e.what());
      ++failed;
    }
  }
  TrialStore store(db);
  size_t versions = 0, new_versions = 0, changes = 0, current = 0;
  for (auto& [nct_id, list] : studies) {
    try {
      HistoryImportResult r = import_trial_versions(store, nct_id, list);
      versions += r.versions;
      new_versions += r.new_versions;
      changes += r.changes;
      current += r.current_changed ? 1 : 0;
    } catch (const DatabaseError&) {
      throw;
    } catch (const std::exception& e) {
      log_error(nct_id, e.what());
      ++failed;
    }
  }
  std::fprintf(stderr,
               "trialmill history import: %zu versions of %zu studies (%zu new), %zu change rows; "
               "current record changed for %zu; %zu failed\n",
               versions, studies.size(), new_versions, changes, current, failed);
  if (failed && studies.empty()) return kExitUsage;
  return failed ? kExitInputsFailed : kExitOk;
}

// A canonical JSON value shown in a table cell: strings without quotes, long values cut.
std::string cell(const std::optional<std::string>& json, size_t width) {
  if (!json) return "";
  std::string s = *json;
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    JsonDocument d = parse_json(s, "value");
    if (d.IsString()) s.assign(d.GetString(), d.GetStringLength());
  }
  s = collapse_whitespace(s);
  if (s.size() > width) s = s.substr(0, width - 3) + "...";
  return s;
}

void print_jsonl(const TrialChangeRow& row) {
  JsonDocument out;
  out.SetObject();
  auto& a = out.GetAllocator();
  set_string(out, "nct_id", row.nct_id, a);
  set_string(out, "field", row.field, a);
  for (auto [key, value] :
       {std::pair{"old_value", &row.old_value}, std::pair{"new_value", &row.new_value}}) {
    JsonValue v;
    if (*value) {
      JsonDocument d = parse_json(**value, key);
      v.CopyFrom(d, a);
    }
    set_member(out, key, std::move(v), a);
  }
  set_string(out, "changed_at", row.changed_at, a);
  set_optional_string(out, "version_date", row.version_date, a);
  set_optional_string(out, "source_format", row.source_format, a);
  std::string line = to_json(out);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stdout);
}

int list_changes(const std::string& db_path, const std::vector<std::string>& ids,
                 std::optional<std::string> format) {
  if (ids.empty()) throw UsageError("no NCT ID to show");
  if (!format) format = isatty(STDOUT_FILENO) ? "table" : "jsonl";
  if (*format != "table" && *format != "jsonl")
    throw UsageError(str_cat("--format must be table or jsonl, not '", *format, "'"));
  TrialStore store(db_path);
  size_t unknown = 0;
  for (const auto& id : ids) {
    std::string nct = to_upper(id);
    if (!is_nct_id(nct)) throw UsageError(str_cat("not an NCT ID: '", id, "'"));
    std::vector<TrialChangeRow> rows = trial_change_rows(store.database(), nct);
    if (rows.empty()) {
      log_error(nct, "no recorded changes (not stored, or never changed)");
      ++unknown;
      continue;
    }
    if (*format == "jsonl") {
      for (const auto& row : rows) print_jsonl(row);
      continue;
    }
    std::printf("%s: %zu changes\n%-10s  %-24s  %-36s  %s\n", nct.c_str(), rows.size(), "date",
                "field", "old", "new");
    for (const auto& row : rows) {
      std::string date = row.version_date ? *row.version_date : row.changed_at.substr(0, 10);
      std::printf("%-10s  %-24s  %-36s  %s\n", date.c_str(), row.field.c_str(),
                  cell(row.old_value, 36).c_str(), cell(row.new_value, 60).c_str());
    }
  }
  return unknown ? kExitInputsFailed : kExitOk;
}

}  // namespace

std::string history_usage() {
  return "Usage: trialmill history import --db PATH FILE|FOLDER|ZIP...\n"
         "       trialmill history --db PATH [--format table|jsonl] NCT...\n"
         "\n"
         "'history import' stores past versions of studies - ClinicalTrials.gov Archive pages\n"
         "(one dated version each; their history list pages are refused) or older exports of\n"
         "a study, dated by their last update - and writes the changes between consecutive\n"
         "versions to trial_changes, each dated by its version (version_date), not by the\n"
         "import. Versions are taken in date order whatever the order of the files; importing\n"
         "them again changes nothing. The current record is changed only for a study not yet\n"
         "stored, or when the newest version is newer than what is stored.\n"
         "\n"
         "'history NCT...' prints each study's changes, oldest first: a table on a terminal,\n"
         "else JSON Lines ({nct_id, field, old_value, new_value, changed_at, version_date,\n"
         "source_format}).\n"
         "\n"
         "Options:\n" +
         format_options_help(history_option_specs()) +
         "\n"
         "Exit status:\n"
         "  0  every file was imported / every study shown\n"
         "  1  some files or studies failed (each named on stderr); the others were processed\n"
         "  2  usage error, the database cannot be opened, or nothing could be imported\n";
}

int history_main(const std::vector<std::string>& args) {
  const bool import = !args.empty() && args.front() == "import";
  std::vector<std::string> rest(args.begin() + (import ? 1 : 0), args.end());
  return run_subcommand(rest, import ? "trialmill history import" : "trialmill history",
                        history_option_specs(), history_usage, [import](const ParsedArgs& parsed) {
                          auto db = parsed.value("db");
                          if (!db || db->empty()) throw UsageError("--db PATH is required");
                          if (import) return import_versions(*db, parsed.positional);
                          return list_changes(*db, parsed.positional, parsed.value("format"));
                        });
}

}  // namespace trialmill
