// `trialmill publish --db PATH --to postgresql://…`: the database copied into PostgreSQL; only
// what changed since the last publish is sent (docs/postgres.md).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

#include "trialmill/cli.hpp"
#include "trialmill/driver/commands.hpp"
#include "trialmill/error.hpp"
#include "trialmill/log.hpp"
#include "trialmill/publish/pg.hpp"
#include "trialmill/publish/publish.hpp"

namespace trialmill {
namespace {

// PublishOptions (publish/publish.hpp) is the options struct: the publish library takes it as is.
void declare_publish_options(CLI::App& app, PublishOptions& o) {
  add_db_option(app, o.db, "the trialmill database to publish (required; opened read-only)");
  app.add_option(
         "--to", o.to,
         "the PostgreSQL database (required): postgresql://user@host:port/db?host=/socket/dir")
      ->type_name("URI")
      ->required();
  app.add_option("--batch", o.batch, "trials per transaction (default 500)")
      ->type_name("N")
      ->check(positive_count());
}

// The progress line is on only while the publish runs, whatever way it ends.
class PublishStatus {
 public:
  PublishStatus() : show_(log_status_wanted()) { log_status_enable(show_); }
  ~PublishStatus() {
    log_status_clear();
    log_status_enable(false);
  }
  PublishStatus(const PublishStatus&) = delete;
  PublishStatus& operator=(const PublishStatus&) = delete;
  bool shown() const { return show_; }

 private:
  bool show_;
};

int run_publish(const PublishOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  PublishReport report;
  {
    PublishStatus status;
    try {
      report = publish(options, [&](size_t done, size_t total) {
        if (!status.shown()) return;
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
        double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0;
        log_status(str_cat("publish: ", done, "/", total, " trials, ", static_cast<long>(rate),
                           "/s, ETA ", static_cast<long>(eta), " s"));
      });
    } catch (const PgConnectError& e) {
      throw StartError(e.what());  // the server could not be reached: nothing was sent, exit 2
    }
  }
  std::printf(
      "publish: %s: %zu trials changed since the last publish, %zu sent, %zu runs sent, "
      "%llu rows in %.2f s\n",
      report.first ? "first" : "incremental", report.trials_considered, report.trials_sent,
      report.runs_sent, static_cast<unsigned long long>(report.rows_sent), report.seconds);
  return kExitOk;  // values that could not be typed were warned about and sent as NULL
}

}  // namespace

Command publish_command() {
  return make_command<PublishOptions>(
      {"publish", "copy the database into PostgreSQL (AACT-compatible views); only changes",
       "--db PATH --to postgresql://... [--batch N]",
       "Copies the trialmill database into PostgreSQL: schema `trialmill` (the same tables with\n"
       "PostgreSQL types, full-text search, thresholds) and schema `ctgov` (views with AACT's\n"
       "names). The first publish loads everything with COPY; later ones send only the trials\n"
       "that changed since the last one, each batch in one transaction, so readers never see\n"
       "half a trial and a killed publish resumes where it stopped. Nothing is ever deleted\n"
       "there: trials withdrawn from their sources are marked (withdrawn_from_source_at).\n"
       "The password, if any, comes from the URI, PGPASSWORD or ~/.pgpass (libpq).\n",
       "  0  published (or nothing had changed)\n"
       "  1  the publish failed part-way; what was committed is whole, run it again to resume\n"
       "  2  usage error, or the database or the server could not be opened\n"},
      declare_publish_options, run_publish);
}

}  // namespace trialmill
