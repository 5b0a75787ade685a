// Issue 17: faults and bad input that used to lose data, hang or mislead — a directory given as
// FILE, a kill -9 during a re-merge, a page through a pipe, another application's database, a
// full disk, read-only and locked databases.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "db_helpers.hpp"
#include "support.hpp"
#include "trial_builder.hpp"
#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/json.hpp"
#include "trialmill/store/store.hpp"
#include "trialmill/text.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

struct EnvSetting {
  EnvSetting(const char* name, const std::string& value) : name_(name) {
    setenv(name, value.c_str(), 1);
  }
  ~EnvSetting() { unsetenv(name_); }
  const char* name_;
};

std::vector<std::string> query(const fs::path& path, const std::string& sql) {
  SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
  return rows(db, sql);
}

// The canonical trials and where each field came from (no times: they differ between runs).
std::vector<std::string> trials_of(const fs::path& path) {
  auto out = query(path, "SELECT nct_id, content_hash, record_json FROM trials ORDER BY nct_id");
  for (auto& row : query(path,
                         "SELECT p.nct_id, p.field, s.format FROM field_provenance p "
                         "JOIN sources s ON s.id = p.source_id ORDER BY 1, 2"))
    out.push_back(row);
  return out;
}

std::string one_record_line(const std::string& nct_id) {
  JsonDocument r = make_record(nct_id);
  set(r, "brief_title", R"("A title")");
  return to_json(r) + "\n";
}

}  // namespace

TEST_CASE("faults: a directory given as FILE is reported, not read forever; the run ends") {
  TempDir dir;
  fs::create_directory(dir / "a-directory");
  const std::string db = (dir / "trials.db").string();
  write_text(dir / "records.jsonl", one_record_line("NCT00000001"));
  // Before the fix each of these spun at 100% CPU forever; run_tool would never return.
  auto stored = run_tool("trialmill-store", {"--db", db, (dir / "a-directory").string(),
                                             (dir / "records.jsonl").string()});
  CHECK(stored.exit_code == 1);
  CHECK(stored.err.find(str_cat((dir / "a-directory").string(), ":1")) != std::string::npos);
  CHECK(stored.err.find("Is a directory") != std::string::npos);
  CHECK(query(db, "SELECT count(*) FROM trials") == std::vector<std::string>{"1"});
  CHECK(query(db, "SELECT status FROM runs") == std::vector<std::string>{"partial"});

  auto normalized = run_tool("trialmill-normalize", {(dir / "a-directory").string()});
  CHECK(normalized.exit_code == 1);
  CHECK(normalized.err.find("Is a directory") != std::string::npos);
}

TEST_CASE("faults: killed during --precedence, the re-merge is finished by the next run") {
  TempDir dir;
  std::string lines;
  for (int i = 1; i <= 6; ++i) {
    std::string id = str_cat("NCT0000000", i);
    JsonDocument api = make_record(id, "ctgov-v2-json");
    set(api, "brief_title", R"("From the API")");
    JsonDocument page = make_record(id, "veeva", "https://veeva/" + id);
    set(page, "brief_title", R"("From Veeva")");
    lines += to_json(api) + "\n" + to_json(page) + "\n";
  }
  const std::string clean = (dir / "clean.db").string(), killed = (dir / "killed.db").string();
  for (const auto& path : {clean, killed})
    REQUIRE(run_tool("trialmill-store", {"--db", path}, lines).exit_code == 0);
  REQUIRE(run_tool("trialmill-store", {"--db", clean, "--precedence", "veeva, ctgov-v2-json"})
              .exit_code == 0);
  {
    EnvSetting kill("TRIALMILL_TEST_KILL_AT", "remerge:2");
    auto run = run_tool("trialmill-store",
                        {"--db", killed, "--batch", "1", "--precedence", "veeva, ctgov-v2-json"});
    REQUIRE(run.exit_code != 0);  // killed after two trials of six
  }
  CHECK(query(killed, "SELECT count(*) FROM trials WHERE brief_title = 'From Veeva'") ==
        std::vector<std::string>{"2"});
  // Any later run finishes it: here a store of nothing.
  auto next = run_tool("trialmill-store", {"--db", killed}, "");
  CHECK_MESSAGE(next.exit_code == 0, next.err);
  CHECK(next.err.find("finished the re-merge") != std::string::npos);
  CHECK(query(killed, "SELECT count(*) FROM trials WHERE brief_title = 'From Veeva'") ==
        std::vector<std::string>{"6"});
  CHECK(query(killed, "SELECT count(*) FROM meta WHERE key = 'remerge_after'") ==
        std::vector<std::string>{"0"});
  CHECK(trials_of(killed) == trials_of(clean));
}

TEST_CASE(
    "faults: a page through a pipe or a FIFO is read whole; a FIFO with no writer is refused") {
  const std::string page = read_text(fixtures_dir() / "pages" / "veeva_NCT04433169.txt");
  auto through_stdin = run_tool("trialmill-parse", {"/dev/stdin"}, page);
  CHECK_MESSAGE(through_stdin.exit_code == 0, through_stdin.err);
  CHECK(through_stdin.out.find("\"nct_id\":\"NCT04433169\"") != std::string::npos);
  CHECK(through_stdin.out.find("as judged by the investigator") != std::string::npos);

  TempDir dir;
  const fs::path fifo = dir / "page.fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the reader opens first
    int fd = ::open(fifo.c_str(), O_WRONLY);
    if (fd < 0) return;
    for (size_t at = 0; at < page.size(); at += 1000) {  // in pieces, with pauses
      if (::write(fd, page.data() + at, std::min<size_t>(1000, page.size() - at)) < 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::close(fd);
  });
  auto through_fifo = run_tool("trialmill-parse", {fifo.string()});
  writer.join();
  CHECK_MESSAGE(through_fifo.exit_code == 0, through_fifo.err);
  CHECK(through_fifo.out.find("\"nct_id\":\"NCT04433169\"") != std::string::npos);
  CHECK(through_fifo.out.find("as judged by the investigator") != std::string::npos);  // the end

  // Nobody writes: refused after the bounded wait, naming the input and the reason.
  auto start = std::chrono::steady_clock::now();
  auto unwritten = run_tool("trialmill-parse", {fifo.string()});
  CHECK(unwritten.exit_code == 1);
  CHECK(unwritten.err.find(fifo.string()) != std::string::npos);
  CHECK(unwritten.err.find("no data within") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(60));
}

TEST_CASE("faults: another application's database is refused byte for byte untouched") {
  TempDir dir;
  auto make_foreign = [&](const std::string& name, const std::string& sql) {
    fs::path path = dir / name;
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    if (!sql.empty())
      db.exec(sql);
    else
      db.exec("PRAGMA user_version = 0; VACUUM");  // an existing, empty SQLite file
    return path;
  };
  const std::vector<fs::path> foreign = {
      make_foreign("trials-of-others.db",
                   "CREATE TABLE trials (id INTEGER PRIMARY KEY, patient TEXT, dose REAL);"
                   "INSERT INTO trials VALUES (1, 'x', 2.5)"),
      make_foreign("unrelated.db",
                   "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')"),
      make_foreign("versioned.db",
                   "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); PRAGMA user_version = 3"),
      make_foreign("empty.db", "")};
  const std::string record = one_record_line("NCT00000001");
  for (const auto& path : foreign) {
    CAPTURE(path.filename().string());
    REQUIRE(fs::file_size(path) > 0);
    const std::string before = read_text(path);
    auto stored = run_tool("trialmill-store", {"--db", path.string()}, record);
    CHECK(stored.exit_code == 2);
    CHECK(stored.err.find(path.string()) != std::string::npos);
    CHECK(stored.err.find("left untouched") != std::string::npos);
    auto loaded =
        run_tool("trialmill", {"load", "--db", path.string(), "--quiet",
                               (fixtures_dir() / "registry/api/v2/studies/page-1.json").string()});
    CHECK(loaded.exit_code == 2);
    CHECK(read_text(path) == before);  // byte for byte: no WAL switch, no schema objects
    CHECK_FALSE(fs::exists(path.string() + "-wal"));
  }

  // Asked to, trialmill adopts the empty one, and only that one.
  auto adopted =
      run_tool("trialmill-store", {"--db", (dir / "empty.db").string(), "--adopt-empty"}, record);
  CHECK_MESSAGE(adopted.exit_code == 0, adopted.err);
  CHECK(query(dir / "empty.db", "SELECT count(*) FROM trials") == std::vector<std::string>{"1"});
  const std::string unrelated = read_text(dir / "unrelated.db");
  CHECK(run_tool("trialmill-store", {"--db", (dir / "unrelated.db").string(), "--adopt-empty"},
                 record)
            .exit_code == 2);
  CHECK(read_text(dir / "unrelated.db") == unrelated);

  // Its own databases, new or empty files, are of course opened as before.
  write_text(dir / "zero.db", "");
  CHECK(run_tool("trialmill-store", {"--db", (dir / "zero.db").string()}, record).exit_code == 0);
  CHECK(run_tool("trialmill-store", {"--db", (dir / "zero.db").string()}, record).exit_code == 0);
}

namespace {

// Runs a tool with files limited to `kib` KiB (bash counts ulimit -f in KiB) (RLIMIT_FSIZE, SIGXFSZ
// ignored so that writes fail with EFBIG as on a full disk); a machine where bash or ulimit is
// missing skips.
CommandResult run_with_file_limit(size_t kib, const std::string& tool,
                                  std::vector<std::string> args, const std::string& input = {}) {
  std::vector<std::string> words = {
      "-c", str_cat("trap '' XFSZ; ulimit -f ", kib, " || exit 97; exec \"$0\" \"$@\""),
      (bin_dir() / tool).string()};
  words.insert(words.end(), args.begin(), args.end());
  return run_tool("/bin/bash", words, input);
}

std::string many_records(size_t count) {
  std::string out;
  for (size_t i = 1; i <= count; ++i) {
    JsonDocument r = make_record(str_cat("NCT", 10000000 + i));
    set(r, "brief_title", json_quote(str_cat("Title ", i, std::string(400, 'x'))));
    out += to_json(r) + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE(
    "faults: a full disk stops the store with exit 2 and a line naming the database; a rerun "
    "completes") {
  if (!fs::exists("/bin/bash")) {
    MESSAGE("skipped: no /bin/bash to set a file-size limit");
    return;
  }
  TempDir dir;
  const std::string db = (dir / "trials.db").string();
  REQUIRE(run_tool("trialmill-store", {"--db", db}, "").exit_code == 0);  // the schema, unlimited
  const std::string records = many_records(3000);
  write_text(dir / "records.jsonl", records);
  const size_t limit_kib = fs::file_size(db) / 1024 + 64;
  auto full = run_with_file_limit(limit_kib, "trialmill-store",
                                  {"--db", db, (dir / "records.jsonl").string()});
  if (full.exit_code == 97) {
    MESSAGE("skipped: ulimit -f is not permitted here");
    return;
  }
  CHECK(full.exit_code == 2);
  CHECK(full.err.find("stopped: the database failed: " + db) != std::string::npos);
  CHECK(full.err.find(" failed\n") == std::string::npos);  // not reported as failed records
  {
    SQLite::Database check(db, SQLite::OPEN_READWRITE);
    CHECK(check.execAndGet("PRAGMA integrity_check").getString() == "ok");
  }
  auto rerun = run_tool("trialmill-store", {"--db", db, (dir / "records.jsonl").string()});
  CHECK_MESSAGE(rerun.exit_code == 0, rerun.err);
  CHECK(query(db, "SELECT count(*) FROM trials") == std::vector<std::string>{"3000"});
}

TEST_CASE("faults: a read-only or locked database is named, exit 2") {
  TempDir dir;
  const std::string db = (dir / "trials.db").string();
  const std::string record = one_record_line("NCT00000001");
  REQUIRE(run_tool("trialmill-store", {"--db", db}, record).exit_code == 0);

  SUBCASE("locked by another writer past the busy timeout") {
    SQLite::Database holder(db, SQLite::OPEN_READWRITE);
    holder.exec("BEGIN EXCLUSIVE");
    auto locked = run_tool("trialmill-store", {"--db", db}, one_record_line("NCT00000002"));
    CHECK(locked.exit_code == 2);
    CHECK(locked.err.find(db) != std::string::npos);
    holder.exec("ROLLBACK");
  }
  SUBCASE("a read-only file") {
    // Root ignores file modes: the store runs as nobody, who may read the file but not write it.
    if (::geteuid() != 0 || !fs::exists("/usr/sbin/runuser")) {
      MESSAGE("skipped: needs root and runuser to run as another user");
      return;
    }
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read |
                                    fs::perms::group_exec | fs::perms::others_read |
                                    fs::perms::others_exec);
    auto readonly =
        run_tool("/usr/sbin/runuser",
                 {"-u", "nobody", "--", (bin_dir() / "trialmill-store").string(), "--db", db},
                 one_record_line("NCT00000002"));
    CHECK(readonly.exit_code == 2);
    CHECK(readonly.err.find(db) != std::string::npos);
  }
}

TEST_CASE("faults: normalize refuses a record whose source is not an object") {
  JsonDocument r = make_record("NCT00000001");
  set(r, "source", "true");
  auto normalized = run_tool("trialmill-normalize", {"--quiet"}, to_json(r) + "\n");
  CHECK(normalized.exit_code == 1);
  CHECK(normalized.out.empty());
  CHECK(normalized.err.find("source: must be an object") != std::string::npos);
}

TEST_CASE("faults: a page with thousands of bad items logs a bounded number of lines and a count") {
  std::string studies;
  const size_t bad = 3000;
  for (size_t i = 0; i < bad; ++i)
    studies += R"({"protocolSection": {"identificationModule": {"briefTitle": "No ID"}}}, )";
  studies +=
      R"({"protocolSection": {"identificationModule": {"nctId": "NCT00000001", "briefTitle": "Good"}}})";
  TempDir dir;
  write_text(dir / "page.json", str_cat(R"({"studies": [)", studies, "]}"));
  auto parsed = run_tool("trialmill-parse", {(dir / "page.json").string()});
  CHECK(parsed.exit_code == 1);
  CHECK(parsed.out.find("NCT00000001") != std::string::npos);
  size_t lines = split_trimmed(parsed.err, "\n").size();
  CHECK(lines > 100);
  CHECK(lines < 1100);
  CHECK(parsed.err.find("page.json: ") != std::string::npos);
  CHECK(parsed.err.find(" more warnings and errors about it were not printed") !=
        std::string::npos);
}

TEST_CASE("faults: a failed atomic write leaves no temporary file") {
  TempDir dir;
  fs::create_directories(dir / "blob" / "in-the-way");  // rename onto a non-empty directory fails
  CHECK_THROWS_AS(write_file_atomic((dir / "blob").string(), "bytes"), Error);
  CHECK_FALSE(fs::exists(dir / "blob.tmp"));
}

TEST_CASE("faults: export reads a WAL database in a folder it cannot write") {
  if (::geteuid() != 0 || !fs::exists("/usr/sbin/runuser")) {
    MESSAGE("skipped: needs root and runuser to run as a user who cannot write the folder");
    return;
  }
  TempDir dir;
  const std::string db = (dir / "trials.db").string();
  REQUIRE(run_tool("trialmill-store", {"--db", db}, one_record_line("NCT00000001")).exit_code == 0);
  REQUIRE(read_text(db).substr(18, 2) == std::string("\x02\x02", 2));  // the header says WAL
  REQUIRE_FALSE(fs::exists(db + "-shm"));
  fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
  auto exported = run_tool(
      "/usr/sbin/runuser",
      {"-u", "nobody", "--", (bin_dir() / "trialmill-export").string(), "--db", db, "--quiet"});
  CHECK_MESSAGE(exported.exit_code == 0, exported.err);
  CHECK(exported.out.find("\"nct_id\":\"NCT00000001\"") != std::string::npos);
  CHECK_FALSE(fs::exists(db + "-shm"));
}
