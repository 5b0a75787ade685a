#pragma once
// Synthetic registry for the load benchmark: N ClinicalTrials.gov API v2 studies made by varying
// the real records of ../shared/corpus/ctgov-v2, deterministic from a seed, produced one study or
// one page at a time so that neither the corpus nor a page file ever has to exist whole.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace trialmill::bench {

inline constexpr size_t kApiPageSize = 1000;  // studies per /api/v2/studies page

// What the flat-table floors store of one study.
struct StudyRow {
  std::string nct_id;
  std::string brief_title;
  std::string overall_status;
};

class CorpusGenerator {
 public:
  // Reads every study of `ctgov_v2_dir` (single studies and pages); throws Error if none.
  CorpusGenerator(const std::filesystem::path& ctgov_v2_dir, uint64_t seed);

  // NCT IDs are distinct for index < 90,000,000.
  std::string nct_id(size_t index) const;
  // Appends study `index` as compact JSON; `row`, when given, receives its flat-table fields.
  void append_study(size_t index, std::string& out, StudyRow* row = nullptr) const;
  // Appends page `page` of a corpus of `total` studies: {"studies":[...],"nextPageToken":"..."}
  // (no token on the last page).
  void append_page(size_t page, size_t total, std::string& out, size_t page_size = kApiPageSize) const;
  static size_t page_count(size_t total, size_t page_size = kApiPageSize) {
    return (total + page_size - 1) / page_size;
  }
  size_t base_count() const { return bases_.size(); }

 private:
  struct Base {
    std::vector<std::pair<std::string, std::string>> modules;  // protocolSection members, JSON
    std::string identification;  // identificationModule, JSON (rewritten per study)
    std::string brief_title;
    std::string official_title;
    std::string overall_status;
    std::string conditions;  // conditionsModule JSON, or empty
    std::string locations;   // contactsLocationsModule JSON, or empty
    std::string results;     // resultsSection JSON, or empty
    std::string tail;        // the other top-level members (derivedSection...), ",\"k\":v..."
    size_t size = 0;         // protocolSection bytes, to keep outliers rare
  };
  size_t pick_base(uint64_t r) const;

  uint64_t seed_;
  std::vector<Base> bases_;
  std::vector<size_t> common_;       // bases of ordinary size (most studies)
  std::vector<size_t> outliers_;     // very large records (1 in 200)
  std::vector<size_t> with_results_; // results donors of ordinary size
};

// N registry HTML pages from fixtures/html/*.html, each with its NCT IDs replaced by study
// `index`'s (the page structure, noise and size are the fixtures').
class HtmlPageGenerator {
 public:
  explicit HtmlPageGenerator(const std::filesystem::path& html_dir);
  std::string page(size_t index) const;

 private:
  std::vector<std::string> pages_;
};

}  // namespace trialmill::bench
