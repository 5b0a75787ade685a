// Issue 17 in nightly runs: a source whose pages all turn "truncated" at once, and one that
// vanished whole (its sitemap or listing answers 404), are held by the publish gate (exit 3),
// not passed off as "some inputs failed" (exit 1).
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trialmill/driver/nightly.hpp"
#include "trialmill/error.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

struct OfflineRegistry {
  TempDir dir;
  fs::path root = [this] {
    fs::copy(fixtures_dir() / "registry", dir / "registry", fs::copy_options::recursive);
    return dir / "registry";
  }();
  BackgroundTool server{"trialmill-registry-server", {root.string()}};
  std::string base = server.read_line().value_or("");

  CommandResult nightly(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"nightly",
                                     "--config",
                                     (source_dir() / "config" / "offline.json").string(),
                                     "--base",
                                     base,
                                     "--db",
                                     (dir / "trials.db").string(),
                                     "--archive",
                                     (dir / "archive").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_tool("trialmill", args);
  }
};

}  // namespace

TEST_CASE("nightly faults: a source whose pages all turn truncated at once is held") {
  OfflineRegistry registry;
  REQUIRE(registry.nightly({"--quiet"}).exit_code == 0);
  const std::string before = dump_database(registry.dir / "trials.db");
  // The site stops rendering everything after the eligibility criteria: no contacts, no
  // data-source note, no footer. Every field a page still shows is unchanged.
  for (const auto& entry : fs::directory_iterator(registry.root / "veeva" / "study")) {
    std::string page = read_text(entry.path());
    size_t cut = page.find("Trial design");
    REQUIRE(cut != std::string::npos);
    write_text(entry.path(), page.substr(0, cut));
  }
  auto held = registry.nightly();
  CHECK(held.exit_code == kExitHeld);
  CHECK(held.out.find("veeva: 2 of 2 records lost fields their stored record had") !=
        std::string::npos);
  CHECK(held.err.find("(the page is truncated)") != std::string::npos);
  CHECK(dump_database(registry.dir / "trials.db") == before);
}

TEST_CASE("nightly faults: a source whose sitemap answers 404 is held, not 'some inputs failed'") {
  OfflineRegistry registry;
  REQUIRE(registry.nightly({"--quiet"}).exit_code == 0);
  fs::remove(registry.root / "veeva" / "sitemap.xml");
  auto run = registry.nightly();
  CHECK(run.exit_code == kExitHeld);
  CHECK(run.out.find("veeva: the source gave no pages: its listing failed") != std::string::npos);

  // On a first run too: a fresh database, nothing of that source.
  fs::remove(registry.dir / "trials.db");
  fs::remove_all(registry.dir / "archive");
  auto first = registry.nightly();
  CHECK(first.exit_code == kExitHeld);
  CHECK(first.err.find("veeva: held by the publish gate: the source gave no pages") !=
        std::string::npos);
}
