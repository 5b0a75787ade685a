#include "trialmill/driver/gate_stage.hpp"

#include <charconv>
#include <vector>

#include "trialmill/driver/publish_gate.hpp"
#include "trialmill/error.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/keep_stored.hpp"
#include "trialmill/store/runs.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace fs = std::filesystem;

GateStage::GateStage(SQLite::Database& db, fs::path dir) : dir_(std::move(dir)), stored_(db) {}

SourceStage& GateStage::source(const std::string& name, const std::string& format) {
  auto [it, inserted] = sources_.try_emplace(name);
  if (inserted) it->second.figures.format = format;
  return it->second;
}

void GateStage::set_source(const std::string& name, const std::string& format) {
  source(name, format);
  current_ = name;
}

void GateStage::record(JsonDocument&& record, const PageInput&) {
  SourceStage& stage = sources_.at(current_);
  compare_with_stored(stage, record);
  stage.trials.insert(get_string_or(record, "nct_id", ""));
  write(stage, current_, record);
}

// Did this record lose watched fields its stored record (same page identity) had?
void GateStage::compare_with_stored(SourceStage& stage, const JsonDocument& record) {
  const JsonValue* source = find_member(record, "source");
  if (!source || !source->IsObject()) return;
  const std::string nct_id = get_string_or(record, "nct_id", "");
  auto stored =
      stored_.find(nct_id, get_string_or(*source, "format", ""), get_string_or(*source, "url", ""));
  if (!stored) return;
  ++stage.figures.records_compared;
  auto lost = lost_watched_fields(*stored, record);
  // A page judged cut off loses what came after the cut even where the store keeps it: a
  // source whose pages all turn "truncated" at once has changed its layout, and is held.
  const bool truncated = is_truncated_record(record);
  if (lost.empty() && !truncated) return;
  ++stage.figures.records_lost_fields;
  std::vector<std::string> names(lost.begin(), lost.end());
  if (truncated) names.emplace_back("(the page is truncated)");
  log_warning(get_string_or(*source, "url", nct_id),
              str_cat(nct_id, ": lost fields its stored record has: ", join(names, ", ")));
}

void GateStage::write(SourceStage& stage, const std::string& name, const JsonDocument& record) {
  if (!stage.out) {
    fs::create_directories(dir_);
    stage.file = dir_ / (name + ".jsonl");
    stage.out = std::make_unique<std::ofstream>(stage.file, std::ios::binary | std::ios::trunc);
    if (!*stage.out) throw make_error(stage.file.string(), ": cannot write");
  }
  *stage.out << to_json(record) << '\n';
  if (!*stage.out) throw make_error(stage.file.string(), ": cannot write");
}

void GateStage::finish() {
  for (auto& [name, stage] : sources_) {
    stage.figures.trials = stage.trials.size();
    if (!stage.out) continue;
    stage.out->close();
    if (!*stage.out) throw make_error(stage.file.string(), ": cannot write");
    stage.out.reset();
  }
}

void GateStage::apply(const std::string& name, TrialStore& store, size_t batch,
                      StreamProgress& progress, const std::function<void()>& on_batch) {
  SourceStage& stage = sources_.at(name);
  if (stage.file.empty()) return;
  {
    std::ifstream in(stage.file, std::ios::binary);
    if (!in) throw make_error(stage.file.string(), ": cannot read the staged records");
    store_stream(in, name, store, batch, progress, on_batch);
    store.commit();
  }
  std::error_code ec;
  fs::remove(stage.file, ec);
}

void GateStage::remove_if_empty() {
  std::error_code ec;
  fs::remove(dir_, ec);  // only when empty: held sources' files stay
  fs::remove(dir_.parent_path(), ec);
}

void remove_abandoned_stages(const std::string& held_root, SQLite::Database& db) {
  std::error_code ec;
  if (!fs::is_directory(held_root, ec)) return;
  for (const auto& entry : fs::directory_iterator(held_root, ec)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_directory() || !name.starts_with("run-")) continue;
    int64_t id = 0;
    auto [end, err] = std::from_chars(name.data() + 4, name.data() + name.size(), id);
    if (err != std::errc() || end != name.data() + name.size()) continue;
    if (!run_was_held(db, id)) fs::remove_all(entry.path(), ec);
  }
}

}  // namespace trialmill
