// Issue 17, case 1: a page judged truncated keeps what its cut removed, and nothing else. The
// judgement comes from the page's structure, so a footer redesign freezes nothing.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

const fs::path kPage = fixtures_dir() / "pages" / "veeva_NCT04433169.txt";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

bool truncated_warning(const JsonValue& record) {
  for (const auto& w : record["parse_warnings"].GetArray())
    if (std::string_view(w.GetString()).rfind("truncated:", 0) == 0) return true;
  return false;
}

JsonDocument parse_one(const std::string& text) {
  PageInput input;
  input.name = "page.txt";
  auto records = parse_page(text, input);
  REQUIRE(records.size() == 1);
  return std::move(records.front());
}

// parse | normalize | store of one page file; the store's exit code.
int store_page(const fs::path& db, const fs::path& page) {
  auto parsed = run_tool("trialmill-parse", {page.string()});
  REQUIRE_MESSAGE(parsed.exit_code == 0, parsed.err);
  auto normalized = run_tool("trialmill-normalize", {"--quiet"}, parsed.out);
  REQUIRE_MESSAGE(normalized.exit_code == 0, normalized.err);
  auto stored = run_tool("trialmill-store", {"--db", db.string()}, normalized.out);
  INFO(stored.err);
  return stored.exit_code;
}

std::string value(const fs::path& db_path, const std::string& sql) {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  auto r = rows(db, sql);
  return r.empty() ? "" : r.front();
}

}  // namespace

TEST_CASE("truncation: judged from the page's structure, not from its footer strings") {
  const std::string page = read_text(kPage);
  CHECK_FALSE(truncated_warning(parse_one(page)));

  // A footer redesign: both footer texts changed, the page otherwise whole.
  std::string redesigned =
      replaced(page, "© Copyright 2026 Veeva Systems", "(c) 2027 Veeva Systems Inc.");
  redesigned =
      replaced(redesigned, "Data sourced from clinicaltrials.gov", "Source: ClinicalTrials.gov");
  CHECK_FALSE(truncated_warning(parse_one(redesigned)));

  // Cut mid-way through the exclusion criteria: no closing section follows.
  std::string cut = page.substr(0, page.find("3. Confirmed hypersensitivity"));
  JsonDocument record = parse_one(cut);
  CHECK(truncated_warning(record));
  CHECK(get_string(record, "overall_status") == std::optional<std::string>("Unknown"));

  // Cut right after a section's label: that section is missing, the page is truncated.
  CHECK(truncated_warning(parse_one(page.substr(0, page.find("Exclusion criteria") + 19))));
}

TEST_CASE("truncation: a redesigned footer and a changed status update the stored record") {
  TempDir dir;
  fs::path db = dir / "trials.db";
  REQUIRE(store_page(db, kPage) == 0);
  REQUIRE(value(db, "SELECT overall_status FROM trials") == "UNKNOWN");

  std::string page = read_text(kPage);
  page = replaced(page, "© Copyright 2026 Veeva Systems", "(c) 2027 Veeva Systems Inc.");
  page = replaced(page, "Data sourced from clinicaltrials.gov", "Source: ClinicalTrials.gov");
  page = replaced(page, "\nUnknown\n", "\nCompleted\n");
  write_text(dir / "redesigned.txt", page);
  CHECK(store_page(db, dir / "redesigned.txt") == 0);
  CHECK(value(db, "SELECT overall_status FROM trials") == "COMPLETED");
  // (The renamed data-source line no longer ends the contact section: a parser matter.)
  CHECK(value(db, "SELECT count(*) FROM trial_changes WHERE field = 'overall_status'") == "1");
}

TEST_CASE("truncation: a truly cut page updates what it shows and keeps what the cut removed") {
  TempDir dir;
  fs::path db = dir / "trials.db";
  REQUIRE(store_page(db, kPage) == 0);
  const std::string exclusion =
      value(db, "SELECT json_extract(record_json, '$.exclusion_criteria') FROM trials");
  const std::string masking = value(db, "SELECT masking FROM trials");
  REQUIRE_FALSE(exclusion.empty());

  std::string page = replaced(read_text(kPage), "\nUnknown\n", "\nCompleted\n");
  page = page.substr(0, page.find("3. Confirmed hypersensitivity"));  // cut mid-list
  write_text(dir / "cut.txt", page);
  CHECK(store_page(db, dir / "cut.txt") == 0);
  CHECK(value(db, "SELECT overall_status FROM trials") == "COMPLETED");  // shown before the cut
  CHECK(value(db, "SELECT json_extract(record_json, '$.exclusion_criteria') FROM trials") ==
        exclusion);
  CHECK(value(db, "SELECT masking FROM trials") == masking);  // after the cut: kept
  CHECK(value(db, "SELECT group_concat(field) FROM trial_changes") == "overall_status");
}
