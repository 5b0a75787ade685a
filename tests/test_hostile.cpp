// Hostile inputs through the real executables (issue 7): each one is refused or repaired with one
// clear stderr line naming the input and the reason, the good inputs beside it are still
// processed, the exit status says so, and the database never loses a good record to a bad one.
// The big inputs are generated here, at test time, never committed.
#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include <random>
#include <sstream>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

constexpr size_t kHundredMb = 100u * 1024u * 1024u;

fs::path seed_page() { return fixtures_dir() / "pages" / "ctgov_NCT03792542.txt"; }
constexpr const char* kSeedId = "NCT03792542";

std::vector<std::string> lines_of(const std::string& text) { return split_trimmed(text, "\n"); }

// The stderr lines at level error (the stages log "<program>: error: <input>: <reason>").
std::vector<std::string> error_lines(const std::string& err) {
  std::vector<std::string> out;
  for (auto& line : lines_of(err))
    if (line.find(": error: ") != std::string::npos) out.push_back(line);
  return out;
}

// Exactly one error line, and it names the input and the reason.
void check_one_error(const CommandResult& r, const std::string& input, const std::string& reason) {
  auto errors = error_lines(r.err);
  CAPTURE(r.err.substr(0, 2000));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find(input) != std::string::npos);
  CHECK(icontains(errors[0], reason));
  CHECK(errors[0].size() < 4096);  // a reason, not the input echoed back
}

// Every stdout line is a JSON object in valid UTF-8 (checked by rapidjson, not by our code).
bool valid_json_lines(const std::string& out) {
  for (auto& line : lines_of(out)) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(line.data(), line.size());
    if (doc.HasParseError() || !doc.IsObject() || !is_valid_utf8(line)) return false;
  }
  return true;
}

// The NCT IDs of the output records, in order.
std::vector<std::string> ids_of(const std::string& out) {
  std::vector<std::string> ids;
  for (auto& line : lines_of(out)) ids.push_back(get_string_or(parse_json(line, "output"), "nct_id", "?"));
  return ids;
}

// Runs parse on the hostile file with the good seed page after it.
CommandResult parse_with_seed(const fs::path& hostile) {
  return run_tool("trialmill-parse", {hostile.string(), seed_page().string()});
}

// Parse refused the hostile page by name and reason, and still parsed the seed.
void check_parse_refused(const fs::path& hostile, const std::string& reason) {
  auto r = parse_with_seed(hostile);
  CHECK(r.exit_code == 1);
  check_one_error(r, hostile.filename().string(), reason);
  CHECK(ids_of(r.out) == std::vector<std::string>{kSeedId});
}

// A small API v2 study; the placeholders are raw JSON text put in place as given.
std::string api_study(const std::string& nct_id_json, const std::string& title_json = "\"A study\"",
                      const std::string& extra_design = "") {
  return R"({"protocolSection":{"identificationModule":{"nctId":)" + nct_id_json +
         R"(,"briefTitle":)" + title_json +
         R"(},"statusModule":{"overallStatus":"RECRUITING"},"conditionsModule":{"conditions":["Asthma"]},)"
         R"("designModule":{"studyType":"INTERVENTIONAL","phases":["PHASE2"])" +
         extra_design + R"(}}})";
}

std::string seed_records() {
  auto parsed = run_tool("trialmill-parse", {seed_page().string()});
  REQUIRE_MESSAGE(parsed.exit_code == 0, parsed.err);
  return parsed.out;
}

std::string normalized_seed() {
  auto normalized = run_tool("trialmill-normalize", {"--quiet"}, seed_records());
  REQUIRE_MESSAGE(normalized.exit_code == 0, normalized.err);
  REQUIRE(lines_of(normalized.out).size() == 1);
  return lines_of(normalized.out).front();
}

std::string nested_arrays(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// The seed's normalized record with one member replaced by raw JSON text.
std::string with_member(const std::string& record, const std::string& key, const std::string& raw) {
  JsonDocument doc = parse_json(record, "seed");
  JsonDocument value;
  value.Parse<rapidjson::kParseIterativeFlag>(raw.data(), raw.size());
  REQUIRE_FALSE(value.HasParseError());
  if (raw.size() < 100000) {  // deep values are written by hand: the rapidjson writer recurses
    set_member(doc, key, JsonValue(value, doc.GetAllocator()), doc.GetAllocator());
    return to_json(doc);
  }
  doc.RemoveMember(key.c_str());
  std::string text = to_json(doc);
  text.pop_back();
  return text + "," + json_quote(key) + ":" + raw + "}";
}

std::string without_member(const std::string& record, const std::string& key) {
  JsonDocument doc = parse_json(record, "seed");
  doc.RemoveMember(key.c_str());
  return to_json(doc);
}

// A database holding the seed trial, for the store cases.
struct SeededStore {
  TempDir dir;
  fs::path db = dir / "trials.db";
  std::string good = normalized_seed();
  SeededStore() {
    auto stored = run_tool("trialmill-store", {"--db", db.string()}, good + "\n");
    REQUIRE_MESSAGE(stored.exit_code == 0, stored.err);
  }
  std::string trial_rows() const {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    auto r = rows(d, "SELECT nct_id, record_json FROM trials ORDER BY nct_id");
    std::string all;
    for (auto& row : r) all += row + "\n";
    return all;
  }
};

}  // namespace

// ---- parse: deep, huge --------------------------------------------------------------------------

TEST_CASE("hostile: HTML nested 100,000 deep is refused by name, the next page still parsed") {
  TempDir dir;
  std::string html = "<!DOCTYPE html><html><body>";
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "NCT04433169 Status and phase</body></html>";
  write_text(dir / "deep.html", html);
  check_parse_refused(dir / "deep.html", "nested too deeply");
}

TEST_CASE("hostile: 100 MB HTML and text pages are refused by size") {
  TempDir dir;
  std::string big;
  big.reserve(kHundredMb + 64);
  big = "<!DOCTYPE html><html><body><p>NCT04433169</p>";
  while (big.size() < kHundredMb) big += "<p>Inclusion criteria: age over 18 years</p>\n";
  write_text(dir / "big.html", big);
  check_parse_refused(dir / "big.html", "page too large");
  big = "ClinicalTrials.gov\nNCT04433169\n";
  while (big.size() < kHundredMb) big += "Inclusion criteria: age over 18 years\n";
  write_text(dir / "big.txt", big);
  check_parse_refused(dir / "big.txt", "page too large");
}

TEST_CASE("hostile: a 100 MB API page of junk is refused as invalid JSON") {
  TempDir dir;
  std::string junk = R"({"studies":[{"protocolSection":)";
  std::mt19937 rng(7);
  junk.reserve(kHundredMb + 64);
  while (junk.size() < kHundredMb) junk.push_back(static_cast<char>('a' + rng() % 26));
  write_text(dir / "junk.json", junk);
  auto r = parse_with_seed(dir / "junk.json");
  CHECK(r.exit_code == 1);
  check_one_error(r, "junk.json", "invalid JSON at offset");
  CHECK(ids_of(r.out) == std::vector<std::string>{kSeedId});
}

TEST_CASE("hostile: a 100 MB string in an API study is refused by size, its page's other studies kept") {
  TempDir dir;
  std::string page = R"({"studies":[)" + api_study("\"NCT00000001\"") + ",";
  page.reserve(kHundredMb + 1024);
  std::string head = api_study("\"NCT00000002\"", "\"");
  size_t title = head.find("\"briefTitle\":\"") + 13;  // at the title's opening quote
  page += head.substr(0, title + 1);
  page.append(kHundredMb, 'x');
  page += head.substr(title);
  page += "," + api_study("\"NCT00000003\"") + "]}";
  write_text(dir / "huge-string.json", page);
  auto r = parse_with_seed(dir / "huge-string.json");
  CHECK(r.exit_code == 1);
  check_one_error(r, "huge-string.json", "study 2");
  CHECK(icontains(r.err, "too large"));
  CHECK(ids_of(r.out) == std::vector<std::string>{"NCT00000001", "NCT00000003", kSeedId});
}

// ---- normalize and store: a 100 MB line -----------------------------------------------------------

TEST_CASE("hostile: a 100 MB line on normalize's stdin is skipped by line number, the next line done") {
  std::string good = seed_records();
  std::string input = good;
  input.reserve(kHundredMb + 2 * good.size() + 16);
  input += "{\"nct_id\":\"";
  input.append(kHundredMb, 'a');
  input += "\"}\n";
  input += good;
  auto r = run_tool("trialmill-normalize", {"--quiet"}, input);
  CHECK(r.exit_code == 1);
  check_one_error(r, "stdin:2", "line too long");
  CHECK(ids_of(r.out) == std::vector<std::string>{kSeedId, kSeedId});
}

// The store's line: skipped, counted as failed, nothing it held changed, the next line stored.
std::string store_with_long_line(SeededStore& store, CommandResult& r) {
  std::string input = "{\"nct_id\":\"" + std::string(kSeedId) + "\",\"brief_title\":\"";
  input.reserve(kHundredMb + store.good.size() + 64);
  input.append(kHundredMb, 'a');
  input += "\"}\n" + store.good + "\n";
  std::string before = dump_database(store.db);
  r = run_tool("trialmill-store", {"--db", store.db.string()}, input);
  return before;
}

TEST_CASE("hostile: a 100 MB line on store's stdin is skipped by line number, the good record kept") {
  SeededStore store;
  CommandResult r;
  std::string before = store_with_long_line(store, r);
  CAPTURE(r.err.substr(0, 2000));
  CHECK(r.exit_code == 1);
  auto errors = error_lines(r.err);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("stdin:1:") != std::string::npos);
  CHECK(r.err.find("1 unchanged, 1 failed") != std::string::npos);  // the next line was read
  CHECK(dump_database(store.db) == before);
}

TEST_CASE("hostile: store names a 100 MB line as too long") {
  SeededStore store;
  CommandResult r;
  store_with_long_line(store, r);
  check_one_error(r, "stdin:1", "line too long");
}

TEST_CASE("hostile: JsonLineReader skips a line over its limit by number and reads on") {
  std::string chunky(200000, 'x');  // longer than the reader's read chunk, under the limit
  std::istringstream in("{\"a\":1}\r\n\n   \n" + std::string(11, 'y') + "\n" + std::string(10, 'z') + "\n" +
                        chunky + "\n" + std::string(300000, 'w') + "\n{\"last\":true}");
  JsonLineReader reader(in, 200000);
  JsonLineReader::Line line;
  std::vector<std::string> seen;
  while (reader.next(line))
    seen.push_back(str_cat(line.number, ":", line.text.size() > 20 ? str_cat(line.text.size(), " bytes") : line.text,
                           line.error.empty() ? "" : " ERROR " + line.error));
  CHECK(seen == std::vector<std::string>{"1:{\"a\":1}", "4:yyyyyyyyyyy", "5:zzzzzzzzzz", "6:200000 bytes",
                                         "7: ERROR line too long: 300000 bytes (limit 200000), skipped",
                                         "8:{\"last\":true}"});
}

// ---- invalid UTF-8 and NUL --------------------------------------------------------------------

TEST_CASE("hostile: invalid UTF-8 in every field of an HTML and a text page is replaced, never passed on") {
  TempDir dir;
  // Bad, overlong and surrogate-coded bytes at the end of every paragraph or line (but the NCT
  // ID's own, which must stay findable).
  const std::string bad = " \xC3\x28 \xFF \xC0\xAF \xED\xA0\x80";
  std::string html = read_text(fixtures_dir() / "html" / "veeva_NCT04433169.html");
  html = replace_all(html, "</p>", bad + "</p>");
  write_text(dir / "bad-utf8.html", html);
  std::string text, clean = read_text(fixtures_dir() / "pages" / "veeva_NCT04433169.txt");
  for (auto line : split(clean, '\n')) {
    text += std::string(line);
    if (!trim(line).empty() && line.find("NCT") == std::string_view::npos) text += bad;
    text += "\n";
  }
  write_text(dir / "bad-utf8.txt", text);
  for (const char* name : {"bad-utf8.html", "bad-utf8.txt"}) {
    CAPTURE(name);
    auto r = parse_with_seed(dir / name);
    CAPTURE(r.err);
    CHECK(r.exit_code == 0);
    CHECK(error_lines(r.err).empty());
    CHECK(valid_json_lines(r.out));
    CHECK(ids_of(r.out) == std::vector<std::string>{"NCT04433169", kSeedId});
    CHECK(r.out.find("\xEF\xBF\xBD") != std::string::npos);  // U+FFFD where the bytes were
    auto normalized = run_tool("trialmill-normalize", {"--quiet"}, r.out);
    CHECK(normalized.exit_code == 0);
    CHECK(valid_json_lines(normalized.out));
  }
}

TEST_CASE("hostile: invalid UTF-8 and lone surrogates in an API study never reach the output") {
  TempDir dir;
  // Raw bad bytes in a string: replaced with U+FFFD, the study kept with a warning.
  std::string raw_bad = api_study("\"NCT00000001\"", "\"bad \xC3\x28 \xFF \xC0\xAF bytes\"");
  // Escaped lone surrogates decode to no character: replaced, or the study refused.
  std::string high = api_study("\"NCT00000002\"", "\"high \\uD800 alone\"");
  std::string low = api_study("\"NCT00000003\"", "\"low \\uDC00 alone\"");
  std::string good = api_study("\"NCT00000004\"");
  write_text(dir / "bad-utf8.json", R"({"studies":[)" + raw_bad + "," + high + "," + low + "," + good + "]}");
  auto r = parse_with_seed(dir / "bad-utf8.json");
  CAPTURE(r.err);
  CHECK(valid_json_lines(r.out));
  auto ids = ids_of(r.out);
  CHECK(std::find(ids.begin(), ids.end(), "NCT00000001") != ids.end());
  CHECK(std::find(ids.begin(), ids.end(), "NCT00000004") != ids.end());
  CHECK(ids.back() == kSeedId);
  // Each study either came out or was named on stderr, never lost silently.
  for (const char* id : {"NCT00000002", "NCT00000003"}) {
    CAPTURE(id);
    bool out = std::find(ids.begin(), ids.end(), id) != ids.end();
    bool named = r.err.find(id == std::string("NCT00000002") ? "study 2" : "study 3") != std::string::npos;
    CHECK(out != named);
  }
  CHECK(r.exit_code == (ids.size() == 5 ? 0 : 1));
  auto normalized = run_tool("trialmill-normalize", {"--quiet"}, r.out);
  CHECK(normalized.exit_code == 0);
  CHECK(valid_json_lines(normalized.out));
}

TEST_CASE("hostile: invalid UTF-8 and escaped lone surrogates on normalize's and store's input") {
  std::string good = seed_records();
  std::string raw_bad = replace_all(lines_of(good).front(), "Soft Tissue Sarcoma", "Soft \xC3\x28 \xFF \xC0\xAF Sarcoma");
  std::string escaped = replace_all(lines_of(good).front(), "Soft Tissue Sarcoma", "Soft \\uDC00 \\uD800 Sarcoma");
  REQUIRE(raw_bad != lines_of(good).front());
  auto r = run_tool("trialmill-normalize", {"--quiet"}, raw_bad + "\n" + escaped + "\n" + good);
  CAPTURE(r.err);
  CHECK(valid_json_lines(r.out));
  auto errors = error_lines(r.err);
  CHECK(ids_of(r.out).size() + errors.size() == 3);
  CHECK(ids_of(r.out).back() == kSeedId);
  for (auto& e : errors) CHECK((e.find("stdin:1") != std::string::npos || e.find("stdin:2") != std::string::npos));
  CHECK(r.exit_code == (errors.empty() ? 0 : 1));
  // Were they output, the bad bytes are replaced, not passed on: here both lines are refused.
  REQUIRE(errors.size() == 2);
  CHECK(icontains(errors[0], "Invalid encoding"));
  CHECK(icontains(errors[1], "surrogate"));

  SeededStore store;
  std::string before = store.trial_rows();
  std::string bad_record = replace_all(store.good, "Soft Tissue Sarcoma", "Soft \xC3\x28 \xFF Sarcoma");
  std::string bad_escape = replace_all(store.good, "Soft Tissue Sarcoma", "Soft \\uDC00 Sarcoma");
  REQUIRE(bad_record != store.good);
  auto s = run_tool("trialmill-store", {"--db", store.db.string()}, bad_record + "\n" + bad_escape + "\n");
  CAPTURE(s.err);
  CHECK(s.exit_code == 1);
  CHECK(error_lines(s.err).size() == 2);
  CHECK(store.trial_rows() == before);
  CHECK(is_valid_utf8(before));
}

TEST_CASE("hostile: NUL bytes in a page are refused, NUL escapes in JSON strings never truncate") {
  TempDir dir;
  std::string text = read_text(fixtures_dir() / "pages" / "veeva_NCT04433169.txt");
  write_text(dir / "nul.txt", replace_all(text, "Shanghai", std::string("Shang\0hai", 9)));
  check_parse_refused(dir / "nul.txt", "binary content");

  write_text(dir / "nul-escape.json",
             api_study("\"NCT00000001\"", "\"before \\u0000 after\"", R"(,"keywords":["a\u0000b"])"));
  auto r = parse_with_seed(dir / "nul-escape.json");
  CAPTURE(r.err);
  CHECK(r.exit_code == 0);
  CHECK(valid_json_lines(r.out));
  REQUIRE(ids_of(r.out) == std::vector<std::string>{"NCT00000001", kSeedId});
  // Kept escaped or dropped, but the text after the NUL is there.
  JsonDocument record = parse_json(lines_of(r.out).front(), "record");
  CHECK(get_string_or(record, "brief_title", "").find("after") != std::string::npos);

  // A raw NUL byte inside a JSON string is malformed JSON: that study is refused by name.
  std::string raw_nul = api_study("\"NCT00000002\"", std::string("\"a\0b\"", 5));
  write_text(dir / "raw-nul.json", R"({"studies":[)" + raw_nul + "," + api_study("\"NCT00000003\"") + "]}");
  auto raw = parse_with_seed(dir / "raw-nul.json");
  CHECK(raw.exit_code == 1);
  check_one_error(raw, "raw-nul.json", "study 1");
  CHECK(ids_of(raw.out) == std::vector<std::string>{"NCT00000003", kSeedId});

  // On normalize's input, where values are read as C strings: refused by line, never cut short.
  std::string good = lines_of(seed_records()).front();
  std::string line = replace_all(good, "Soft Tissue Sarcoma", "Soft \\u0000 Sarcoma");
  auto n = run_tool("trialmill-normalize", {"--quiet"}, line + "\n" + good + "\n");
  CHECK(n.exit_code == 1);
  check_one_error(n, "stdin:1", "NUL character");
  CHECK(ids_of(n.out) == std::vector<std::string>{kSeedId});
  CHECK(valid_json_lines(n.out));
  // An escaped backslash before "u0000" is no NUL.
  std::string not_nul = replace_all(good, "Soft Tissue Sarcoma", "Soft \\\\u0000 Sarcoma");
  auto m = run_tool("trialmill-normalize", {"--quiet"}, not_nul + "\n");
  CHECK(m.exit_code == 0);
  CHECK(m.out.find("Soft \\\\u0000 Sarcoma") != std::string::npos);
}

// ---- wrong types ----------------------------------------------------------------------------------

TEST_CASE("hostile: parsed records of wrong types on normalize's input are each named, the others done") {
  std::string good = lines_of(seed_records()).front();
  JsonDocument seed = parse_json(good, "seed");
  std::vector<std::string> bad = {
      "[1,2,3]",
      "\"just a string\"",
      with_member(good, "nct_id", "3792542"),
      nested_arrays(100000),
      "{\"nct_id\":" + nested_arrays(100000) + "}",
  };
  // Wrong types of single fields: normalize warns and nulls them (never invents), the record goes on.
  std::vector<std::string> mistyped = {
      with_member(good, "conditions", "\"Soft Tissue Sarcoma\""),
      with_member(good, "enrollment", "{\"count\":{\"n\":44}}"),
      with_member(good, "phases", "[1,2]"),
      with_member(good, "conditions", "[1,2,[3]]"),
      with_member(good, "arms", "\"Experimental\""),
      with_member(good, "locations", nested_arrays(100000)),
      without_member(good, "source"),
  };
  std::string input;
  for (auto& line : bad) input += line + "\n";
  for (auto& line : mistyped) input += line + "\n";
  input += good + "\n";
  auto r = run_tool("trialmill-normalize", {"--quiet"}, input);
  CAPTURE(r.err.substr(0, 3000));
  CHECK(r.exit_code == 1);
  auto errors = error_lines(r.err);
  REQUIRE(errors.size() >= bad.size());
  for (size_t i = 0; i < bad.size(); ++i) CHECK(errors[i].find(str_cat("stdin:", i + 1, ":")) != std::string::npos);
  CHECK(valid_json_lines(r.out));
  auto ids = ids_of(r.out);
  REQUIRE_FALSE(ids.empty());
  CHECK(ids.back() == kSeedId);
  CHECK(ids.size() + errors.size() == bad.size() + mistyped.size() + 1);
  // A record that came out has no value taken from a mistyped field.
  for (auto& line : lines_of(r.out)) {
    JsonDocument out = parse_json(line, "normalized");
    if (const JsonValue* phases = find_member(out, "phases"); phases && phases->IsArray())
      for (auto& p : phases->GetArray()) CHECK(p.IsString());
  }
}

TEST_CASE("hostile: trial records of wrong types never overwrite the stored good record") {
  SeededStore store;
  std::string before = store.trial_rows();
  std::string dump_before = dump_database(store.db);
  std::vector<std::string> bad = {
      with_member(store.good, "nct_id", "3792542"),
      with_member(store.good, "conditions", "\"Soft Tissue Sarcoma\""),
      with_member(store.good, "enrollment", "{\"count\":{\"n\":44}}"),
      without_member(store.good, "source"),
      with_member(store.good, "phases", "[1,2]"),
      with_member(store.good, "brief_title", "[\"a\",\"b\"]"),
      with_member(store.good, "locations", nested_arrays(100000)),
      nested_arrays(100000),
      "[]",
      "null",
  };
  std::string input;
  for (auto& line : bad) input += line + "\n";
  auto r = run_tool("trialmill-store", {"--db", store.db.string()}, input);
  CAPTURE(r.err.substr(0, 3000));
  CHECK(r.exit_code == 1);
  auto errors = error_lines(r.err);
  REQUIRE(errors.size() == bad.size());
  for (size_t i = 0; i < bad.size(); ++i) CHECK(errors[i].find(str_cat("stdin:", i + 1, ":")) != std::string::npos);
  CHECK(store.trial_rows() == before);
  CHECK(dump_database(store.db) == dump_before);
}

TEST_CASE("hostile: API v2 studies of wrong types are mapped with warnings or refused, never invented") {
  TempDir dir;
  std::vector<std::string> studies = {
      R"({"protocolSection":"a string"})",
      R"({"protocolSection":{"identificationModule":{"nctId":12345678}}})",
      replace_all(api_study("\"NCT00000003\"", "\"Phases object\""), R"("phases":["PHASE2"])", R"("phases":{"a":"PHASE2"})"),
      api_study("\"NCT00000004\"", "\"Count abc\"", R"(,"enrollmentInfo":{"count":"abc","type":"ACTUAL"})"),
      api_study("\"NCT00000005\"", "[\"title\",\"array\"]", R"(,"enrollmentInfo":{"count":{"n":1}})"),
      api_study("[\"NCT00000007\"]"),
      api_study("\"NCT00000008\""),
  };
  std::string page = R"({"studies":[)";
  for (size_t i = 0; i < studies.size(); ++i) page += (i ? "," : "") + studies[i];
  page += "]}";
  write_text(dir / "types.json", page);
  auto r = parse_with_seed(dir / "types.json");
  CAPTURE(r.err.substr(0, 3000));
  CHECK(r.exit_code == 1);
  CHECK(valid_json_lines(r.out));
  auto ids = ids_of(r.out);
  CHECK(ids == std::vector<std::string>{"NCT00000003", "NCT00000004", "NCT00000005", "NCT00000008", kSeedId});
  auto errors = error_lines(r.err);
  REQUIRE(errors.size() == 3);
  for (const char* study : {"study 1 ", "study 2 ", "study 6 "}) {
    bool named = false;
    for (auto& e : errors) named = named || (e.find("types.json") != std::string::npos && e.find(study) != std::string::npos);
    CHECK_MESSAGE(named, study);
  }
  for (auto& line : lines_of(r.out)) {
    JsonDocument record = parse_json(line, "record");
    std::string id = get_string_or(record, "nct_id", "");
    CAPTURE(id);
    if (id == "NCT00000003") {
      CHECK(is_empty_value(record["phases"]));  // null or [], never the object's value
      CHECK(record["parse_warnings"].Size() >= 1);
    }
    if (id == "NCT00000004") CHECK(get_string_or(record["enrollment"], "count", "") == "abc");
    if (id == "NCT00000005") {
      CHECK(get_string_or(record, "brief_title", "<null>") == "<null>");
      CHECK(record["parse_warnings"].Size() >= 2);
    }
  }
  // Nested 100,000 deep inside a study: the page is refused before rapidjson recurses.
  write_text(dir / "deep.json", R"({"studies":[)" + api_study("\"NCT00000006\"", "\"Deep\"",
                                                               R"(,"keywords":)" + nested_arrays(100000)) + "]}");
  check_parse_refused(dir / "deep.json", "nested too deeply");

  // normalize turns the "abc" count into null with a warning, never a number.
  auto n = run_tool("trialmill-normalize", {"--quiet"}, r.out);
  CHECK(n.exit_code == 0);
  for (auto& line : lines_of(n.out)) {
    JsonDocument record = parse_json(line, "normalized");
    if (get_string_or(record, "nct_id", "") == "NCT00000004") {
      const JsonValue* count = find_member(record["enrollment"], "count");
      CHECK((count == nullptr || count->IsNull()));
    }
  }
}

// ---- entities and scripts -------------------------------------------------------------------------

TEST_CASE("hostile: entities, scripts, styles and on* attributes in every field of an HTML page") {
  TempDir dir;
  std::string html = read_text(fixtures_dir() / "html" / "veeva_NCT04433169.html");
  const std::string markup = R"x(<script>alert("xss-script")</script><style>.xss-style{color:red}</style>)x"
                             R"x(<span onclick="xss_onclick()" onmouseover='xss_over()'></span>)x"
                             R"x(<img src=x onerror="xss_onerror()"><iframe src="javascript:xss_iframe()"></iframe>)x";
  html = replace_all(html, "<p>", "<p>" + markup);
  html = replace_all(html, "<br>", markup + "<br>");
  html = replace_all(html, "</p>", markup + "</p>");
  // Entities in the title: named, numeric, and the ones that must not decode to what they say.
  const std::string title = "Adenoid Cystic Carcinoma of the Head and Neck (Aplus)";
  REQUIRE(html.find(title) != std::string::npos);
  html = replace_all(html, title,
                     "Adenoid Cystic Carcinoma &amp; Friends &lt;b&gt;bold&lt;/b&gt; &#233;t&eacute; "
                     "[&#0;|&#xD800;|&#x110000;] of the Head and Neck (Aplus)");
  write_text(dir / "entities.html", html);
  auto r = parse_with_seed(dir / "entities.html");
  CAPTURE(r.err);
  CHECK(r.exit_code == 0);
  CHECK(valid_json_lines(r.out));
  REQUIRE(ids_of(r.out) == std::vector<std::string>{"NCT04433169", kSeedId});
  std::string record_line = lines_of(r.out).front();
  for (const char* leak : {"xss", "alert(", "<script", "<style", "onclick", "onerror", "javascript:", "<span", "<img"}) {
    CAPTURE(leak);
    CHECK(record_line.find(leak) == std::string::npos);
  }
  CHECK(record_line.find("\\u0000") == std::string::npos);
  JsonDocument record = parse_json(record_line, "record");
  std::string brief = get_string_or(record, "brief_title", "");
  CAPTURE(brief);
  CHECK(brief.find("Adenoid Cystic Carcinoma & Friends <b>bold</b> été") != std::string::npos);
  CHECK(brief.find("[\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xBF\xBD]") != std::string::npos);
  // The other fields are the same as from the clean page.
  auto clean = run_tool("trialmill-parse", {(fixtures_dir() / "html" / "veeva_NCT04433169.html").string()});
  REQUIRE(clean.exit_code == 0);
  JsonDocument expected = parse_json(lines_of(clean.out).front(), "clean");
  for (const char* field : {"overall_status", "phases", "masking", "inclusion_criteria", "exclusion_criteria",
                            "arms", "interventions", "central_contacts", "lead_sponsor", "enrollment"}) {
    CAPTURE(field);
    CHECK(to_json(record[field]) == to_json(expected[field]));
  }
}

// ---- empty, blank, binary, interstitial, truncated ------------------------------------------------

TEST_CASE("hostile: empty, blank, binary, interstitial and truncated pages are each named with the reason") {
  TempDir dir;
  std::mt19937 rng(20261122);
  std::string random_bytes(64 * 1024, '\0');
  for (auto& c : random_bytes) c = static_cast<char>(rng() & 0xFF);
  std::string html = read_text(fixtures_dir() / "html" / "veeva_NCT04433169.html");
  std::string api = read_text(fixtures_dir() / "registry" / "api" / "v2" / "studies" / "NCT04433169.json");
  struct Case {
    const char* name;
    std::string bytes;
    const char* reason;
  };
  std::vector<Case> cases = {
      {"empty.html", "", "empty page"},
      {"blank.txt", " \n\t\r\n   \n", "empty page"},
      {"random.bin", random_bytes, "binary content"},
      {"working.html", "<!DOCTYPE html><html><body><div class=spinner>Working...</div></body></html>", "interstitial"},
      {"working.txt", "Working...\n", "interstitial"},
      {"truncated-head.html", html.substr(0, 300), "no visible text"},
      {"truncated.json", api.substr(0, api.size() / 2), "invalid JSON at offset"},
      {"truncated-after-value.json", api.substr(0, api.find("\"statusModule\"")), "page ends"},
      {"empty.json", "{}", "neither an API v2 study"},
  };
  for (auto& c : cases) {
    CAPTURE(c.name);
    write_text(dir / c.name, c.bytes);
    check_parse_refused(dir / c.name, c.reason);
  }
  // Not a page at all: a directory, a missing file.
  fs::create_directory(dir / "a-directory.html");
  check_parse_refused(dir / "a-directory.html", "cannot open");
  check_parse_refused(dir / "missing.html", "cannot open");

  // Truncated after the ID: what is there is kept, with a warning, nothing invented after the cut.
  write_text(dir / "truncated.html", html.substr(0, html.find("Details and patient eligib")));
  auto r = parse_with_seed(dir / "truncated.html");
  CHECK(r.exit_code == 0);
  REQUIRE(ids_of(r.out) == std::vector<std::string>{"NCT04433169", kSeedId});
  JsonDocument record = parse_json(lines_of(r.out).front(), "record");
  CHECK(record["arms"].Empty());
  CHECK(get_string_or(record, "inclusion_criteria", "<null>") == "<null>");
}

TEST_CASE("hostile: empty, blank and binary input on normalize's and store's stdin") {
  std::mt19937 rng(7);
  std::string random_bytes(4096, '\0');
  for (auto& c : random_bytes) c = static_cast<char>(rng() & 0xFF);
  random_bytes = replace_all(random_bytes, "\n", " ");  // one line
  for (const char* tool : {"trialmill-normalize", "trialmill-store"}) {
    CAPTURE(tool);
    TempDir dir;
    std::vector<std::string> args = {"--quiet"};
    if (std::string(tool) == "trialmill-store") args = {"--quiet", "--db", (dir / "t.db").string()};
    auto empty = run_tool(tool, args, "");
    CHECK(empty.exit_code == 0);
    CHECK(error_lines(empty.err).empty());
    auto blank = run_tool(tool, args, "\n  \n\t\n");
    CHECK(blank.exit_code == 0);
    CHECK(error_lines(blank.err).empty());
    auto binary = run_tool(tool, args, random_bytes + "\n");
    CHECK(binary.exit_code == 1);
    check_one_error(binary, "stdin:1", "invalid JSON");
    auto truncated = run_tool(tool, args, lines_of(seed_records()).front().substr(0, 200) + "\n");
    CHECK(truncated.exit_code == 1);
    check_one_error(truncated, "stdin:1", "invalid JSON");
  }
}

TEST_CASE("hostile: zero significands with exponents (RapidJSON 1.1.0 undefined behaviour) parse exactly") {
  // Found by fuzz_normalize: "0E89[" took rapidjson's full-precision conversion into
  // __builtin_clzll(0). Such texts are parsed at normal precision, exact for a zero.
  CHECK(has_zero_significand_exponent("0E89["));
  CHECK(has_zero_significand_exponent(R"({"a":-0.000e-40})"));
  CHECK(has_zero_significand_exponent(R"({"a":"x", "b":[1, 00e5]})"));
  CHECK_FALSE(has_zero_significand_exponent(R"({"a":1e89, "b":10E5, "c":"some text", "d":0.5})"));
  CHECK_THROWS_AS(parse_json("0E89[", "t"), Error);
  for (std::string zero : {"0E89", "0e-400", "-0.000E+308", "[0e300]"}) {
    CAPTURE(zero);
    JsonDocument doc = parse_json(zero, "t");
    const JsonValue& v = doc.IsArray() ? doc[0] : doc;
    CHECK(v.GetDouble() == 0.0);
  }
  // Other numbers keep full precision (the shortest text that round-trips reads back the same).
  JsonDocument doc = parse_json(R"([450.5, 0.1, 2.2250738585072014e-308, 9007199254740993, 1.7976931348623157e308])", "t");
  CHECK(to_json(doc) == "[450.5,0.1,2.2250738585072014e-308,9007199254740993,1.7976931348623157e308]");
  // And an API page with such a number beside a study is read, the study mapped.
  TempDir dir;
  write_text(dir / "zero.json", R"({"totalCount":0E89,"studies":[)" + api_study("\"NCT00000009\"", "\"Zero\"",
                                                                               R"(,"x":-0.0e-99)") + "]}");
  auto r = run_tool("trialmill-parse", {(dir / "zero.json").string()});
  CHECK(r.exit_code == 0);
  CHECK(ids_of(r.out) == std::vector<std::string>{"NCT00000009"});
}
