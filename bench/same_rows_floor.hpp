#pragma once
// A floor for the store's benchmarks: what SQLite alone costs to write the rows trialmill wrote.
#include <filesystem>

namespace trialmill::bench {

// Copies the tables of the store at `loaded` (trials and its children, sources, provenance,
// thresholds, changes) into a new store at `path` made as a bulk load starts (same schema, its
// droppable indexes dropped, foreign keys off, the loader's pragmas), with INSERT ... SELECT,
// 50,000 rows per transaction; then builds every index and the full-text index. No trialmill
// code runs between, not even a bind or a step per row. Returns the seconds taken; `mb` gets
// the new database's size.
double same_rows_floor(const std::filesystem::path& loaded, const std::filesystem::path& path,
                       double* mb);

}  // namespace trialmill::bench
