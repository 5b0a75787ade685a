#pragma once
// `trialmill publish`: copies the canonical SQLite database into PostgreSQL (docs/postgres.md).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace trialmill {

struct PublishOptions {
  std::string db;      // the SQLite database
  std::string to;      // postgresql://… (or a libpq key=value string)
  size_t batch = 500;  // trials per transaction
};

struct PublishReport {
  bool first = false;            // the target had never been published to
  size_t trials_considered = 0;  // changed since the watermark (or all, the first time)
  size_t trials_sent = 0;        // of those, the ones whose rows differ from the target's
  size_t runs_sent = 0;
  uint64_t rows_sent = 0;
  uint64_t bytes_sent = 0;
  size_t warnings = 0;  // values that could not be typed (sent as NULL)
  double seconds = 0;
};

// Called after each committed batch: trials done (considered), of how many.
using PublishProgress = std::function<void(size_t done, size_t total)>;

// Throws DatabaseError (SQLite), PgError (PostgreSQL) — nothing is half-visible either way.
PublishReport publish(const PublishOptions& options, const PublishProgress& progress = {});

}  // namespace trialmill
