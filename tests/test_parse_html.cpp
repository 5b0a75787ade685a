// A page's HTML and its visible text reduce to the same line stream, so they give the same record.
#include <doctest/doctest.h>

#include "support.hpp"
#include "trialmill/normalize/normalize_record.hpp"
#include "trialmill/parse/page_lines.hpp"
#include "trialmill/parse/page_parser.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

JsonDocument record_of(const fs::path& path) {
  PageInput input;
  input.name = path.filename().string();
  auto records = parse_page(read_text(path), input);
  REQUIRE(records.size() == 1);
  JsonDocument record = normalize_record(records.front());
  record["source"].RemoveMember("sha256");  // the bytes differ, by design
  return record;
}

}  // namespace

TEST_CASE("html: each seed's HTML and text give identical records") {
  size_t compared = 0;
  for (const auto& entry : fs::directory_iterator(fixtures_dir() / "pages")) {
    fs::path html = fixtures_dir() / "html" / (entry.path().stem().string() + ".html");
    CAPTURE(html.filename().string());
    REQUIRE(fs::exists(html));
    JsonDocument from_text = record_of(entry.path());
    JsonDocument from_html = record_of(html);
    for (auto& member : from_text.GetObject()) {
      std::string field(member.name.GetString());
      CAPTURE(field);
      REQUIRE(from_html.HasMember(member.name));
      CHECK(to_pretty_json(from_html[member.name]) == to_pretty_json(member.value));
    }
    CHECK(from_html.MemberCount() == from_text.MemberCount());
    ++compared;
  }
  CHECK(compared == 5);
}

TEST_CASE("html: scripts, styles, templates, comments, hidden elements and navigation are not content") {
  std::string page = read_text(fixtures_dir() / "html" / "veeva_NCT04433169.html");
  std::string all;
  for (const auto& line : lines_from_html(page)) all += line.text + "\n";
  for (const char* decoy : {"Not the title", "Decoy title", "Withdrawn", "NCT99999999", "Phase 4",
                            "enable JavaScript", "not text", "About us", "track("}) {
    std::string shown(decoy);
    CAPTURE(shown);
    CHECK(all.find(decoy) == std::string::npos);
  }
  CHECK(all.find("HB ≥ 90 g/L;") != std::string::npos);  // entities decoded
}
