// The registry's past: ClinicalTrials.gov Archive version pages (HTML and visible text) against
// records written by reading the pages; history lists and the error page refused; a ZIP of the
// legacy XML loaded without unpacking; `trialmill history import` giving one change row per
// field that changed between two versions (rows checked by hand against the pages).
#include <doctest/doctest.h>
#include <zip.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <set>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/parse/page_lines.hpp"
#include "trialmill/parse/page_parser.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/text.hpp"
#include "trialmill/zip_reader.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

fs::path archive_dir() {
  return corpus_dir() / "ctgov-archive-html";
}

PageInput named(const std::string& name) {
  PageInput input;
  input.name = name;
  return input;
}

// The page's visible text as the HTML->text path gives it (short cells share their label's line).
std::string text_via_lines(const std::string& html) {
  std::string out;
  for (const auto& line : lines_from_html(html))
    out += std::string(line.indent, ' ') + line.text + "\n";
  return out;
}

// The page's visible text with every table cell on its own line, as a browser's saved text of
// the page has it: tags dropped, the page's entities decoded.
std::string text_cell_per_line(std::string html) {
  for (const char* tag : {"script", "style"}) {
    size_t at;
    while ((at = html.find(str_cat("<", tag))) != std::string::npos) {
      size_t end = html.find(str_cat("</", tag, ">"), at);
      html.erase(at,
                 end == std::string::npos ? std::string::npos : end - at + std::strlen(tag) + 3);
    }
  }
  std::string out;
  bool in_tag = false;
  for (char c : html) {
    if (c == '<')
      in_tag = true;
    else if (c == '>') {
      in_tag = false;
      out += '\n';
    } else if (!in_tag)
      out += c;
  }
  static const std::map<std::string, std::string> kEntities = {
      {"&nbsp;", " "},      {"&#160;", " "},       {"&#8592;", "\u2190"}, {"&#8593;", "\u2191"},
      {"&bull;", "\u2022"}, {"&ge;", "\u2265"},    {"&le;", "\u2264"},    {"&gt;", ">"},
      {"&lt;", "<"},        {"&mdash;", "\u2014"}, {"&reg;", "\u00ae"},   {"&rsquo;", "\u2019"},
      {"&amp;", "&"}};
  for (const auto& [entity, text] : kEntities) out = replace_all(out, entity, text);
  std::string lines;
  for (auto line : split(out, '\n'))
    if (!trim(line).empty()) lines += std::string(trim(line)) + "\n";
  return lines;
}

// A field's value with line layout and white space folded (the text forms lay out long text
// differently; the words must be the same).
std::string folded(const JsonValue& record, std::string_view field) {
  const JsonValue* v = find_member(record, field);
  std::string s = v ? to_json(*v) : "null";
  s = replace_all(std::move(s), "\\n", " ");
  return collapse_whitespace(s);
}

JsonDocument parse_one(const std::string& bytes, const std::string& name) {
  auto records = parse_page(bytes, named(name));
  REQUIRE(records.size() == 1);
  return std::move(records.front());
}

// The change rows of a study as "version_date|field|old|new".
std::vector<std::string> change_rows(const fs::path& db, const std::string& nct) {
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  return rows(
      d, "SELECT version_date, field, old_value, new_value FROM trial_changes WHERE nct_id = '" +
             nct + "' AND version_date IS NOT NULL ORDER BY version_date, id");
}

std::vector<std::string> version_files(const std::string& nct) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(archive_dir()))
    if (e.path().filename().string().starts_with("archive_version__" + nct + "_"))
      out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE(
    "ctgov-archive: every version page gives its study's record as of its date, as HTML and as "
    "text") {
  if (!have_corpus()) {
    MESSAGE("corpus not found at ", corpus_dir().string(), "; skipped");
    return;
  }
  size_t pages = 0;
  for (const auto& e : fs::directory_iterator(archive_dir())) {
    std::string name = e.path().filename().string();
    if (!name.starts_with("archive_version__")) continue;
    INFO("page ", name);
    // archive_version__NCT00000122_20050623.html: the study and the version's date.
    std::string nct = name.substr(17, 11);
    std::string date = name.substr(29, 4) + "-" + name.substr(33, 2) + "-" + name.substr(35, 2);
    std::string html = read_text(e.path());
    JsonDocument from_html = parse_one(html, e.path().string());
    CHECK(get_string(from_html, "nct_id") == nct);
    CHECK(get_string(from_html["source"], "format") == std::optional<std::string>("ctgov-archive"));
    CHECK(get_string(from_html["source"], "version_date") == date);
    CHECK(get_string(from_html, "brief_title"));
    CHECK(get_string(from_html, "overall_status"));
    CHECK(get_string_list(from_html, "parse_warnings").empty());
    // Normalize takes every value these pages show.
    JsonDocument normalized = normalize_record(from_html);
    CHECK(get_string_list(normalized, "normalize_warnings").empty());
    CHECK(validate_trial_record(normalized).empty());
    for (const std::string& text : {text_via_lines(html), text_cell_per_line(html)}) {
      JsonDocument from_text = parse_one(text, e.path().string() + ".txt");
      CHECK(get_string(from_text["source"], "version_date") == date);
      for (const auto& spec : trial_fields()) {
        if (spec.name == "min_age_years" || spec.name == "max_age_years") continue;
        CHECK_MESSAGE(folded(from_text, spec.name) == folded(from_html, spec.name), spec.name);
      }
    }
    ++pages;
  }
  CHECK(pages == 60);
}

TEST_CASE("ctgov-archive: two version pages equal the records written by reading them") {
  if (!have_corpus()) {
    MESSAGE("corpus not found; skipped");
    return;
  }
  for (const char* version : {"NCT00000193_20130926", "NCT00181896_20050915"}) {
    INFO("version ", version);
    std::string html = read_text(archive_dir() / str_cat("archive_version__", version, ".html"));
    JsonDocument got = parse_one(html, version);
    JsonDocument expected = parse_json(
        read_text(fixtures_dir() / "archive-expected" / str_cat(version, ".json")), version);
    set_string(expected["source"], "sha256", sha256_hex(html), expected.GetAllocator());
    for (auto& m : expected.GetObject()) {
      std::string_view field(m.name.GetString(), m.name.GetStringLength());
      const JsonValue* g = find_member(got, field);
      REQUIRE_MESSAGE(g, field);
      CHECK_MESSAGE(to_json(*g) == to_json(m.value), field);
    }
  }
}

TEST_CASE("ctgov-archive: history lists and the error page are refused with their reason") {
  if (!have_corpus()) {
    MESSAGE("corpus not found; skipped");
    return;
  }
  size_t lists = 0;
  for (const auto& e : fs::directory_iterator(archive_dir())) {
    std::string name = e.path().filename().string();
    if (!name.starts_with("archive_history__")) continue;
    INFO("page ", name);
    std::string html = read_text(e.path());
    for (const std::string& bytes : {html, text_via_lines(html)})
      CHECK_THROWS_WITH_AS(parse_page(bytes, named(name)),
                           doctest::Contains("Archive history list"), Error);
    ++lists;
  }
  CHECK(lists == 10);
  std::string error_page = read_text(archive_dir() / "ctgov_invalid_nct_id_error_page.html");
  CHECK_THROWS_WITH_AS(parse_page(error_page, named("error")), doctest::Contains("error page"),
                       Error);
  // The command line names the file and the reason, and stores nothing.
  TempDir dir;
  auto r =
      run_tool("trialmill", {"load", "--db", (dir / "t.db").string(),
                             (archive_dir() / "archive_history__NCT00000122.html").string(),
                             (archive_dir() / "ctgov_invalid_nct_id_error_page.html").string()});
  CHECK(r.exit_code == 1);
  CHECK(
      r.err.find(
          "archive_history__NCT00000122.html: ClinicalTrials.gov Archive history list (6 versions, "
          "2005-06-23 to 2014-03-14)") != std::string::npos);
  CHECK(r.err.find("ctgov_invalid_nct_id_error_page.html: ClinicalTrials.gov error page") !=
        std::string::npos);
}

TEST_CASE("load: a ZIP of the legacy XML files, read without unpacking, stores every study") {
  if (!have_corpus()) {
    MESSAGE("corpus not found; skipped");
    return;
  }
  TempDir dir;
  const fs::path zip_path = dir / "AllPublicXML.zip";
  std::set<std::string> ids;
  size_t files = 0;
  {
    int error = 0;
    zip_t* zip = zip_open(zip_path.string().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    REQUIRE(zip);
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(corpus_dir() / "ctgov-xml"))
      names.push_back(e.path().string());
    std::sort(names.begin(), names.end());
    for (const auto& path : names) {
      // Entries under a folder, as the registry's archive has them (NCT0000xxxx/NCT00000102.xml).
      std::string entry = "NCT0000xxxx/" + fs::path(path).filename().string();
      zip_source_t* source = zip_source_file(zip, path.c_str(), 0, -1);
      REQUIRE(source);
      REQUIRE(zip_file_add(zip, entry.c_str(), source, ZIP_FL_ENC_UTF_8) >= 0);
      std::string bytes = read_text(path);
      size_t at = bytes.find("<nct_id>");
      ids.insert(bytes.substr(at + 8, 11));
      ++files;
    }
    zip_dir_add(zip, "empty-folder/", ZIP_FL_ENC_UTF_8);
    REQUIRE(zip_close(zip) == 0);
  }
  REQUIRE(files == 60);

  // The reader: every file entry, folders skipped, the bytes as stored.
  ZipReader reader(zip_path.string());
  ZipEntry entry;
  size_t entries = 0;
  while (reader.next(entry)) {
    CHECK(entry.name.starts_with("NCT0000xxxx/"));
    CHECK(entry.bytes == read_text(corpus_dir() / "ctgov-xml" / entry.name.substr(12)));
    ++entries;
  }
  CHECK(entries == 60);

  auto r = run_tool("trialmill", {"load", "--threads", "1", "--db", (dir / "zip.db").string(),
                                  zip_path.string()});
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  // 60 files: two are the same trial twice (a re-download, and a record filed under its alias
  // NCT00980226 whose <nct_id> is NCT00081588), so 60 studies give 58 trials.
  CHECK(r.err.find("loaded 60 studies: 58 new, 2 changed, 0 unchanged, 0 failed") !=
        std::string::npos);
  SQLite::Database db((dir / "zip.db").string(), SQLite::OPEN_READONLY);
  std::vector<std::string> stored = rows(db, "SELECT nct_id FROM trials ORDER BY nct_id");
  CHECK(stored == std::vector<std::string>(ids.begin(), ids.end()));
  CHECK(rows(db, "SELECT DISTINCT format FROM sources") == std::vector<std::string>{"ctgov-xml"});

  // The same files as a folder give the same trials (one worker: of a trial given twice, the
  // later file's record is kept, so the order must be the same).
  auto folder =
      run_tool("trialmill", {"load", "--threads", "1", "--db", (dir / "folder.db").string(),
                             (corpus_dir() / "ctgov-xml").string()});
  CHECK_MESSAGE(folder.exit_code == 0, folder.err);
  SQLite::Database fdb((dir / "folder.db").string(), SQLite::OPEN_READONLY);
  CHECK(rows(fdb, "SELECT nct_id, content_hash FROM trials ORDER BY nct_id") ==
        rows(db, "SELECT nct_id, content_hash FROM trials ORDER BY nct_id"));

  // A damaged archive is named with its reason.
  write_text(dir / "broken.zip", "PK\x03\x04 not really a zip");
  auto broken = run_tool("trialmill",
                         {"load", "--db", (dir / "b.db").string(), (dir / "broken.zip").string()});
  CHECK(broken.exit_code == 1);
  CHECK(broken.err.find("cannot open ZIP archive") != std::string::npos);
}

TEST_CASE(
    "history import: one change row per field that changed between two versions, dated by the "
    "version") {
  if (!have_corpus()) {
    MESSAGE("corpus not found; skipped");
    return;
  }
  TempDir dir;
  const fs::path db = dir / "h.db";
  std::vector<std::string> files = version_files("NCT00000193");
  for (const auto& f : version_files("NCT00181896")) files.push_back(f);
  std::reverse(files.begin(), files.end());  // file order does not matter: versions go by date
  std::vector<std::string> args = {"history", "import", "--db", db.string()};
  args.insert(args.end(), files.begin(), files.end());
  auto r = run_tool("trialmill", args);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.err.find("10 versions of 2 studies (10 new), 15 change rows") != std::string::npos);

  // Checked by hand against the pages (their visible text, version to version).
  // NCT00000193: 2005-06-23, 2005-06-30 and 2005-12-08 show the same record; 2013-09-26 shows
  // status Withdrawn, start 1993-01, "Primary completion date 1998-01 (Actual)", no "Expected
  // enrollment 0", Yale University as sponsor and NIDA as collaborator (it was the reverse), and
  // a new "Secondary ID K20DA000191 (US NIH Grant Number)" before K20-00191-2. (Its "Study design
  // Placebo Control" and "N/A" ages that went are no record values.)
  CHECK(
      change_rows(db, "NCT00000193") ==
      std::vector<std::string>{
          R"x(2013-09-26|secondary_ids|["K20-00191-2"]|["K20DA000191","K20-00191-2"])x",
          R"x(2013-09-26|overall_status|"COMPLETED"|"WITHDRAWN")x",
          R"x(2013-09-26|enrollment|{"count":0,"type":"ESTIMATED"}|null)x",
          R"x(2013-09-26|start_date|{"date":"1996-01","type":null}|{"date":"1993-01","type":null})x",
          R"x(2013-09-26|primary_completion_date|null|{"date":"1998-01","type":"ACTUAL"})x",
          R"x(2013-09-26|lead_sponsor|{"class":null,"name":"National Institute on Drug Abuse (NIDA)"}|{"class":null,"name":"Yale University"})x",
          R"x(2013-09-26|collaborators|[{"class":null,"name":"Yale University"}]|[{"class":null,"name":"National Institute on Drug Abuse (NIDA)"},{"class":null,"name":"Yale University"}])x",
      });
  // NCT00181896: 2005-12-08 writes "with" as "With" in both titles; 2007-04-23 the status goes
  // from Recruiting to Terminated; 2010-06-21 drops "Expected enrollment 20" and writes the
  // typographic apostrophe (’) as ' in a primary outcome and in two criteria (one inclusion,
  // one exclusion). 2005-09-15 -> 2005-12-08 -> 2006-03-10 -> 2006-10-02 change nothing else.
  std::vector<std::string> b = change_rows(db, "NCT00181896");
  std::vector<std::string> fields;
  for (const auto& row : b) fields.push_back(row.substr(0, row.find('|', 11)));
  CHECK(fields ==
        std::vector<std::string>{"2005-12-08|brief_title", "2005-12-08|official_title",
                                 "2007-04-23|overall_status", "2010-06-21|enrollment",
                                 "2010-06-21|primary_outcomes", "2010-06-21|eligibility_criteria",
                                 "2010-06-21|inclusion_criteria", "2010-06-21|exclusion_criteria"});
  REQUIRE(b.size() == 8);
  CHECK(
      b[0] ==
      "2005-12-08|brief_title|\"Bupropion SR for Major Depression and Depression NOS in Children "
      "and Adolescents "
      "with Bipolar Disorder\"|\"Bupropion SR for Major Depression and Depression NOS in Children "
      "and "
      "Adolescents With Bipolar Disorder\"");
  CHECK(b[2] == R"(2007-04-23|overall_status|"RECRUITING"|"TERMINATED")");
  CHECK(b[3] == R"(2010-06-21|enrollment|{"count":20,"type":"ESTIMATED"}|null)");
  CHECK(b[4].find("Children\u2019s Depression Rating Scale") != std::string::npos);
  CHECK(b[4].find("Children's Depression Rating Scale") != std::string::npos);

  // The current record is the newest version; changed_at is the version's date, not today.
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  CHECK(rows(d, "SELECT overall_status FROM trials ORDER BY nct_id") ==
        std::vector<std::string>{"WITHDRAWN", "TERMINATED"});
  CHECK(rows(d, "SELECT count(*) FROM trial_changes WHERE changed_at <> version_date") ==
        std::vector<std::string>{"0"});

  // Importing again changes nothing.
  std::string before = dump_database(db);
  auto again = run_tool("trialmill", args);
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("(0 new), 15 change rows; current record changed for 0") !=
        std::string::npos);
  CHECK(dump_database(db) == before);

  // The listing: JSON Lines when not a terminal.
  auto listed = run_tool("trialmill", {"history", "--db", db.string(), "NCT00181896"});
  CHECK(listed.exit_code == 0);
  auto lines = split_trimmed(listed.out, "\n");
  lines.erase(std::remove(lines.begin(), lines.end(), std::string()), lines.end());
  REQUIRE(lines.size() == 8);
  JsonDocument first = parse_json(lines[0], "line");
  CHECK(get_string(first, "field") == std::optional<std::string>("brief_title"));
  CHECK(get_string(first, "version_date") == std::optional<std::string>("2005-12-08"));
  CHECK(first["new_value"].IsString());
  auto table =
      run_tool("trialmill", {"history", "--db", db.string(), "--format", "table", "NCT00000193"});
  CHECK(table.out.find("2013-09-26  overall_status") != std::string::npos);
  CHECK(run_tool("trialmill", {"history", "--db", db.string(), "NCT99999999"}).exit_code == 1);
}

TEST_CASE("history import: versions older than the stored record leave it unchanged") {
  if (!have_corpus()) {
    MESSAGE("corpus not found; skipped");
    return;
  }
  TempDir dir;
  const fs::path db = dir / "h.db";
  std::vector<std::string> files = version_files("NCT00181896");
  // The newest version first (the current record), then the older ones.
  auto r1 = run_tool("trialmill", {"history", "import", "--db", db.string(), files.back()});
  REQUIRE_MESSAGE(r1.exit_code == 0, r1.err);
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  auto current = rows(d, "SELECT content_hash, record_json FROM trials");
  std::vector<std::string> args = {"history", "import", "--db", db.string()};
  args.insert(args.end(), files.begin(), files.end() - 1);
  auto r2 = run_tool("trialmill", args);
  REQUIRE_MESSAGE(r2.exit_code == 0, r2.err);
  CHECK(r2.err.find("current record changed for 0") != std::string::npos);
  CHECK(rows(d, "SELECT content_hash, record_json FROM trials") == current);
  // The past is complete all the same: the same 8 rows as an import of all versions at once.
  CHECK(change_rows(db, "NCT00181896").size() == 8);
}
