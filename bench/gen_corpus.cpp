#include "gen_corpus.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>

#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/json.hpp"

namespace trialmill::bench {
namespace {

std::string serialize(const JsonValue& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

// splitmix64: a well-mixed stream per (seed, study), so any study can be made on its own.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

constexpr size_t kOutlierBytes = 100 * 1024;

}  // namespace

CorpusGenerator::CorpusGenerator(const std::filesystem::path& dir, uint64_t seed) : seed_(seed) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());  // directory order is not deterministic
  for (const auto& file : files) {
    JsonDocument doc = parse_json(read_file(file.string()), file.string());
    std::vector<const JsonValue*> studies;
    if (doc.IsObject() && doc.HasMember("protocolSection")) studies.push_back(&doc);
    if (doc.IsObject() && doc.HasMember("studies") && doc["studies"].IsArray())
      for (const auto& s : doc["studies"].GetArray()) studies.push_back(&s);
    for (const JsonValue* study : studies) {
      if (!study->IsObject() || !study->HasMember("protocolSection")) continue;
      const JsonValue& protocol = (*study)["protocolSection"];
      if (!protocol.IsObject() || !protocol.HasMember("identificationModule")) continue;
      Base base;
      for (const auto& m : protocol.GetObject()) {
        std::string name(m.name.GetString(), m.name.GetStringLength());
        std::string json = serialize(m.value);
        base.size += json.size();
        if (name == "identificationModule") {
          base.identification = json;
          base.brief_title = get_string_or(m.value, "briefTitle", "");
          base.official_title = get_string_or(m.value, "officialTitle", base.brief_title);
        }
        if (name == "conditionsModule") base.conditions = json;
        if (name == "contactsLocationsModule") base.locations = json;
        if (name == "statusModule") base.overall_status = get_string_or(m.value, "overallStatus", "");
        base.modules.emplace_back(std::move(name), std::move(json));
      }
      for (const auto& m : study->GetObject()) {
        std::string name(m.name.GetString(), m.name.GetStringLength());
        if (name == "resultsSection") base.results = serialize(m.value);
        else if (name == "derivedSection" || name == "documentSection" || name == "annotationSection")
        {
          // Appended piece by piece: `"," + std::string` trips GCC 12's -Wrestrict.
          base.tail += ',';
          base.tail += json_quote(name);
          base.tail += ':';
          base.tail += serialize(m.value);
        }
      }
      bases_.push_back(std::move(base));
    }
  }
  if (bases_.empty()) throw make_error(dir.string(), ": no API v2 study to vary");
  for (size_t i = 0; i < bases_.size(); ++i) {
    (bases_[i].size > kOutlierBytes ? outliers_ : common_).push_back(i);
    if (!bases_[i].results.empty() && bases_[i].results.size() < kOutlierBytes) with_results_.push_back(i);
  }
  if (common_.empty()) common_ = outliers_;
}

std::string CorpusGenerator::nct_id(size_t index) const {
  // 7919 is prime to 90,000,000, so the IDs are a permutation: distinct and not in index order.
  uint64_t n = 10000000 + (index * 7919ull + seed_ % 90000000ull) % 90000000ull;
  char id[16];
  std::snprintf(id, sizeof id, "NCT%08llu", static_cast<unsigned long long>(n));
  return id;
}

size_t CorpusGenerator::pick_base(uint64_t r) const {
  if (!outliers_.empty() && r % 200 == 0) return outliers_[(r >> 8) % outliers_.size()];
  return common_[(r >> 8) % common_.size()];
}

void CorpusGenerator::append_study(size_t index, std::string& out, StudyRow* row) const {
  uint64_t r = mix(seed_ * 0x100000001b3ull + index);
  const Base& base = bases_[pick_base(r)];
  const Base& titles = bases_[common_[mix(r + 1) % common_.size()]];
  const Base& conditions = bases_[common_[mix(r + 2) % common_.size()]];
  // A very large record owes its size to its sites (hundreds of them): it keeps its own, so that
  // the corpus has the registry's rare huge studies and not only ordinary ones.
  const bool outlier = base.size > kOutlierBytes;  // what put it among outliers_
  const Base& locations = outlier ? base : bases_[common_[mix(r + 3) % common_.size()]];
  bool results = !with_results_.empty() && mix(r + 4) % 6 == 0;  // about one study in six
  std::string id = nct_id(index);
  // Titles are made distinct too, so that no two studies are the same record.
  std::string brief_title = str_cat(titles.brief_title, " (", id, ")");

  out += "{\"protocolSection\":{";
  bool first = true;
  for (const auto& [name, json] : base.modules) {
    if (!first) out += ',';
    first = false;
    out += '"';
    out += name;
    out += "\":";
    if (name == "identificationModule") {
      JsonDocument ident;
      ident.Parse(base.identification.data(), base.identification.size());
      auto& a = ident.GetAllocator();
      set_string(ident, "nctId", id, a);
      set_string(ident, "briefTitle", brief_title, a);
      set_string(ident, "officialTitle", titles.official_title, a);
      out += serialize(ident);
    } else if (name == "conditionsModule" && !conditions.conditions.empty()) {
      out += conditions.conditions;
    } else if (name == "contactsLocationsModule" && !locations.locations.empty()) {
      out += locations.locations;
    } else {
      out += json;
    }
  }
  out += '}';
  if (results) {
    const Base& donor = base.results.empty() || base.results.size() >= kOutlierBytes
                            ? bases_[with_results_[mix(r + 5) % with_results_.size()]]
                            : base;
    out += ",\"resultsSection\":";
    out += donor.results;
  }
  out += base.tail;
  out += results ? ",\"hasResults\":true}" : ",\"hasResults\":false}";
  if (row) *row = {id, brief_title, base.overall_status};
}

void CorpusGenerator::append_page(size_t page, size_t total, std::string& out, size_t page_size) const {
  size_t first = page * page_size;
  size_t last = std::min(total, first + page_size);
  out += "{\"studies\":[";
  for (size_t i = first; i < last; ++i) {
    if (i != first) out += ',';
    append_study(i, out);
  }
  out += ']';
  if (last < total) out += str_cat(",\"nextPageToken\":\"", std::hex, mix(seed_ + page), "\"");
  out += '}';
}

HtmlPageGenerator::HtmlPageGenerator(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".html") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) pages_.push_back(read_file(file.string()));
  if (pages_.empty()) throw make_error(dir.string(), ": no HTML page");
}

std::string HtmlPageGenerator::page(size_t index) const {
  std::string page = pages_[index % pages_.size()];
  char id[16];
  std::snprintf(id, sizeof id, "%08llu", static_cast<unsigned long long>(10000000 + index % 90000000));
  // Every NCT ID on the page becomes the study's, so that each page is a distinct trial.
  for (size_t at = page.find("NCT"); at != std::string::npos; at = page.find("NCT", at + 3)) {
    if (at + 11 > page.size()) break;
    bool digits = std::all_of(page.begin() + at + 3, page.begin() + at + 11, [](char c) { return c >= '0' && c <= '9'; });
    if (digits) page.replace(at + 3, 8, id);
  }
  return page;
}

}  // namespace trialmill::bench
