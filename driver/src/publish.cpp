// `trialmill publish --db PATH --to postgresql://…`: the database copied into PostgreSQL; only
// what changed since the last publish is sent (docs/postgres.md).
#include <chrono>
#include <cstdio>

#include "trialmill/driver/commands.hpp"
#include "trialmill/driver/subcommand.hpp"
#include "trialmill/error.hpp"
#include "trialmill/log.hpp"
#include "trialmill/publish/pg.hpp"
#include "trialmill/publish/publish.hpp"

namespace trialmill {
namespace {

const char* const kProgram = "trialmill publish";

std::vector<OptionSpec> publish_option_specs() {
  std::vector<OptionSpec> specs = {
      {"db", 0, true, "the trialmill database to publish (required; opened read-only)", "PATH"},
      {"to", 0, true,
       "the PostgreSQL database (required): postgresql://user@host:port/db?host=/socket/dir",
       "URI"},
      {"batch", 0, true, "trials per transaction (default 500)", "N"},
  };
  for (auto& spec : common_options()) specs.push_back(spec);
  return specs;
}

std::string publish_usage() {
  return str_cat(
      "Usage: ", kProgram, " --db PATH --to postgresql://... [--batch N]\n\n",
      "Copies the trialmill database into PostgreSQL: schema `trialmill` (the same tables with\n"
      "PostgreSQL types, full-text search, thresholds) and schema `ctgov` (views with AACT's\n"
      "names). The first publish loads everything with COPY; later ones send only the trials\n"
      "that changed since the last one, each batch in one transaction, so readers never see half\n"
      "a trial and a killed publish resumes where it stopped. Nothing is ever deleted there:\n"
      "trials withdrawn from their sources are marked (withdrawn_from_source_at).\n"
      "The password, if any, comes from the URI, PGPASSWORD or ~/.pgpass (libpq).\n\n",
      "Options:\n", format_options_help(publish_option_specs()),
      "\nEXIT STATUS\n"
      "  0  published (or nothing had changed)\n"
      "  1  the publish failed part-way; what was committed is whole, run it again to resume\n"
      "  2  usage error, or the database or the server could not be opened\n");
}

// The subcommand's options, in one place (the CLI framework's port maps them one to one).
PublishOptions publish_options(const ParsedArgs& args) {
  PublishOptions options;
  if (!args.value("db")) throw UsageError("--db PATH is required");
  if (!args.value("to")) throw UsageError("--to postgresql://... is required");
  if (!args.positional.empty())
    throw UsageError(str_cat("unexpected argument '", args.positional.front(), "'"));
  options.db = *args.value("db");
  options.to = *args.value("to");
  if (auto batch = args.value("batch")) options.batch = parse_positive_count("batch", *batch);
  return options;
}

int publish_body(const ParsedArgs& args) {
  PublishOptions options = publish_options(args);
  const auto started = std::chrono::steady_clock::now();
  const bool show = log_status_wanted();
  log_status_enable(show);
  PublishReport report;
  try {
    report = publish(options, [&](size_t done, size_t total) {
      if (!show) return;
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
      double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0;
      log_status(str_cat("publish: ", done, "/", total, " trials, ", static_cast<long>(rate),
                         "/s, ETA ", static_cast<long>(eta), " s"));
    });
  } catch (const PgConnectError& e) {
    log_status_clear();
    log_status_enable(false);
    log_error({}, str_cat("cannot start: ", e.what()));
    return kExitUsage;
  }
  log_status_clear();
  log_status_enable(false);
  std::printf(
      "publish: %s: %zu trials changed since the last publish, %zu sent, %zu runs sent, "
      "%llu rows in %.2f s\n",
      report.first ? "first" : "incremental", report.trials_considered, report.trials_sent,
      report.runs_sent, static_cast<unsigned long long>(report.rows_sent), report.seconds);
  return kExitOk;  // values that could not be typed were warned about and sent as NULL
}

}  // namespace

int publish_main(const std::vector<std::string>& args) {
  return run_subcommand(args, kProgram, publish_option_specs(), publish_usage, publish_body);
}

}  // namespace trialmill
