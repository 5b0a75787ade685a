#pragma once
// `trialmill load`: API v2 pages in, SQLite store out, streaming on N parse+normalize workers and
// one writer that owns the TrialStore.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/driver/load_options.hpp"

namespace trialmill {

// One page handed to the workers: its bytes stay valid as long as `owner` lives (a MappedFile,
// a generated std::string...).
struct LoadPage {
  std::string name;  // for messages and the store's input label
  std::shared_ptr<const void> owner;
  std::string_view bytes;
};

// Fills `page` with the next page and returns true, or returns false when there are no more.
// Called on the loading thread only. May throw Error for one page (it is counted and skipped).
using PageSource = std::function<bool(LoadPage& page)>;

struct LoadResult {
  size_t studies = 0;  // records the parser gave plus studies it could not use
  size_t inserted = 0;
  size_t updated = 0;
  size_t unchanged = 0;
  size_t failed = 0;        // studies or pages that gave no stored record (each logged)
  size_t pages_failed = 0;  // of which whole pages/files
  double seconds = 0;       // wall time from the first page to the last commit
  // Summed over threads, wall time inside each stage (a share, not a critical path).
  double read_seconds = 0;       // producing pages (mapping files, generating)
  double parse_seconds = 0;      // splitting + RapidJSON + mapping to parsed records
  double normalize_seconds = 0;  // normalize_record
  double prepare_seconds = 0;    // prepare_record: hashing, serializing, merging a first source
  double store_seconds = 0;      // TrialStore::add + commit, on the writer
  double writer_idle_seconds = 0;  // writer waiting for records
  double writer_cpu_seconds = 0;   // CPU time of the writer thread (steadier than wall time)
  double index_seconds = 0;        // building the indexes at the end of a bulk load
  bool bulk = false;               // the database was empty: loaded in bulk (TrialStore)
  size_t threads = 0;

  double studies_per_second() const { return seconds > 0 ? static_cast<double>(studies) / seconds : 0; }
};

// Runs the pipeline over every page `next_page` gives. Throws DatabaseError when the database
// cannot be opened (nothing is read then), Error when writing to it fails midway (the batches
// committed before stay). Per-study and per-page errors are logged and counted.
LoadResult load_pages(const LoadOptions& options, const PageSource& next_page);

// Pages from files: each one mapped, never read into memory. "-" is stdin, one page per line,
// read a line at a time.
PageSource file_pages(const std::vector<std::string>& files);

// "loaded 1000 studies: 990 new, 0 changed, 0 unchanged, 10 failed in 2.1 s (476 studies/s)"
std::string load_summary(const LoadResult& result);

// The command's body: options parsed (load_options.cpp); returns the exit code.
int run_load(const LoadOptions& options);

}  // namespace trialmill
