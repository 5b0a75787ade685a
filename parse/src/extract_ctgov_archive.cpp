// ClinicalTrials.gov Archive site: a page showing one dated version of a study ("View of NCT… on
// 2005_06_23"), a table of label cells ("Brief title", "Study design", "Criteria", …) each with
// its value. In the line stream a short value shares its label's line ("Phase Phase 3"), a long
// one follows it; the visible text has every label on its own line. The site's history list and
// the registry's error page are not records and are refused with their reason.
#include <algorithm>
#include <array>
#include <utility>

#include "trialmill/error.hpp"
#include "trialmill/parse/ctgov_archive.hpp"
#include "trialmill/parse/extract_helpers.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

constexpr std::array<std::string_view, 37> kLabels = {"ClinicalTrials Identifier",
                                                      "Updated",
                                                      "Brief title",
                                                      "Official title",
                                                      "Acronym",
                                                      "Brief summary",
                                                      "Detailed description",
                                                      "Phase",
                                                      "Study type",
                                                      "Study design",
                                                      "Primary outcome",
                                                      "Secondary outcome",
                                                      "Condition",
                                                      "Keyword",
                                                      "Arm/Group",
                                                      "Intervention",
                                                      "Reference",
                                                      "URL",
                                                      "See also",
                                                      "Status",
                                                      "Start date",
                                                      "Primary completion date",
                                                      "End date",
                                                      "Completion date",
                                                      "Last follow-up date",
                                                      "Last data entry date",
                                                      "Criteria",
                                                      "Gender",
                                                      "Minimum age",
                                                      "Maximum age",
                                                      "Healthy volunteers",
                                                      "Expected enrollment",
                                                      "Enrollment",
                                                      "Organization name",
                                                      "Organization study ID",
                                                      "Secondary ID",
                                                      "Sponsor"};
constexpr std::array<std::string_view, 6> kMoreLabels = {"Collaborator",
                                                         "Health Authority",
                                                         "Investigator",
                                                         "Descriptive Information",
                                                         "Recruitment Information",
                                                         "Administrative Data"};

struct Entry {
  std::string_view label;
  std::vector<const PageLine*> lines;  // the value's lines (an inline value is in `inline_value`)
  std::string inline_value;
};

bool is_free_text(std::string_view label) {
  return label == "Brief summary" || label == "Detailed description" || label == "Criteria";
}

// The label a line is or starts with (longest first: "Primary completion date" before its
// prefixes), and the value after it on the same line.
std::optional<std::string_view> label_of(const PageView& page, size_t i, std::string& rest) {
  const std::string& t = page.text(i);
  std::string_view key = page.label_text(i);
  std::optional<std::string_view> best;
  auto consider = [&](std::string_view label) {
    if (best && best->size() >= label.size()) return;
    if (iequals(key, label)) {
      best = label;
      rest.clear();
      return;
    }
    if (t.size() > label.size() + 1 && istarts_with(t, label) &&
        (t[label.size()] == ' ' || t[label.size()] == ':' || t[label.size()] == '\t')) {
      std::string_view r = trim(std::string_view(t).substr(label.size()));
      if (!r.empty() && r.front() == ':') r = trim(r.substr(1));
      best = label;
      rest = std::string(r);
    }
  };
  for (auto l : kLabels) consider(l);
  for (auto l : kMoreLabels) consider(l);
  return best;
}

// Whether a "Label value" line inside free text (is_free_text) is the next cell rather than the
// text's own line ("Phase I of the study…", "Status post surgery"): a new paragraph always is;
// otherwise only the cells that follow free text on the page, with a value of their shape.
bool ends_free_text(std::string_view label, std::string_view value, bool blank_before) {
  if (blank_before) return true;
  if (label == "Phase") return istarts_with(value, "Phase") || iequals(value, "N/A");
  return label == "Study type" || label == "Gender" || label == "Minimum age" ||
         label == "Maximum age" || label == "Healthy volunteers" || label == "Expected enrollment";
}

std::vector<Entry> entries_of(const PageView& page, size_t from) {
  std::vector<Entry> out;
  for (size_t i = from; i < page.size(); ++i) {
    std::string rest;
    auto label = label_of(page, i, rest);
    if (label && !out.empty() && is_free_text(out.back().label) && !rest.empty() &&
        !out.back().lines.empty() && !ends_free_text(*label, rest, page.line(i).blank_before))
      label.reset();
    // "Phase" then "Phase 1" on the next line: the value of the cell just opened.
    if (label && !out.empty() && out.back().label == *label && out.back().inline_value.empty() &&
        out.back().lines.empty())
      label.reset();
    if (label) {
      out.push_back(Entry{*label, {}, rest});
    } else if (!out.empty()) {
      out.back().lines.push_back(&page.line(i));
    }
  }
  return out;
}

std::string joined(const Entry& e, bool paragraphs) {
  std::string out = e.inline_value;
  for (const PageLine* l : e.lines) {
    if (!out.empty()) out += paragraphs && l->blank_before ? "\n\n" : "\n";
    out += std::string(l->indent, ' ') + l->text;
  }
  return out;
}

std::optional<std::string> value(const Entry& e) {
  std::string v = collapse_whitespace(joined(e, false));
  if (v.empty()) return std::nullopt;
  return v;
}

// "2007-09 (Actual)" -> "2007-09", "Actual".
std::pair<std::optional<std::string>, std::optional<std::string>> split_type(
    const std::optional<std::string>& v) {
  if (!v) return {};
  std::string s = *v;
  std::optional<std::string> type;
  if (s.ends_with(')')) {
    size_t open = s.rfind('(');
    if (open != std::string::npos) {
      type = std::string(trim(std::string_view(s).substr(open + 1, s.size() - open - 2)));
      s = std::string(trim(std::string_view(s).substr(0, open)));
    }
  }
  if (s.empty()) return {};
  return {s, type};
}

// "2005_06_23" -> "2005-06-23"; nullopt when not that shape.
std::optional<std::string> archive_date(std::string_view s) {
  s = trim(s);
  if (s.size() != 10 || s[4] != '_' || s[7] != '_') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  std::string out(s);
  out[4] = out[7] = '-';
  return out;
}

// A "Study design" cell holds one classification; which one is told by its value.
void study_design(const std::string& v, ParsedRecord& record) {
  std::string l = to_lower(v);
  if (l.find("random") != std::string::npos || l == "n/a") {
    if (!record.has("allocation")) record.set("allocation", v);
  } else if (l.find("blind") != std::string::npos || l.find("open label") != std::string::npos ||
             l.find("masked") != std::string::npos || l == "none") {
    record.set("masking", v);
  } else if (l.ends_with("assignment")) {
    record.set("intervention_model", v);
  } else if (l == "treatment" || l == "prevention" || l == "diagnostic" || l == "supportive care" ||
             l == "screening" || l == "health services research" || l == "basic science" ||
             l == "educational/counseling/training" || l == "device feasibility" || l == "other") {
    record.set("primary_purpose", v);
  }
  // Endpoint ("Safety Study"), control ("Placebo Control") and the like are not record fields.
}

constexpr std::array<std::string_view, 6> kArmTypes = {"Experimental",       "Active Comparator",
                                                       "Placebo Comparator", "Sham Comparator",
                                                       "No Intervention",    "Other"};

void arm(const Entry& e, ParsedRecord& record) {
  ArmRaw a;
  std::vector<std::string> description;
  std::vector<std::string> lines;
  if (!e.inline_value.empty()) lines.push_back(e.inline_value);
  for (const PageLine* l : e.lines) lines.push_back(l->text);
  for (const auto& line : lines) {
    if (istarts_with(line, "Arm Label:") && !a.label) {
      std::string label(trim(std::string_view(line).substr(10)));
      for (auto type : kArmTypes)
        if (label.size() > type.size() && iends_with(label, type) &&
            label[label.size() - type.size() - 1] == ' ') {
          a.type = std::string(type);
          label = std::string(trim(std::string_view(label).substr(0, label.size() - type.size())));
          break;
        }
      a.label = label;
    } else if (a.label && !a.type && !description.size() &&
               std::find_if(kArmTypes.begin(), kArmTypes.end(),
                            [&](auto t) { return iequals(line, t); }) != kArmTypes.end()) {
      a.type = line;
    } else {
      description.push_back(line);
    }
  }
  if (!description.empty()) a.description = join(description, "\n\n");
  if (a.label || a.description) record.add_arm(a);
}

void intervention(const Entry& e, ParsedRecord& record,
                  std::vector<std::pair<std::string, std::string>>& arm_links) {
  InterventionRaw iv;
  std::vector<std::string> description;
  std::vector<std::string> lines;
  if (!e.inline_value.empty()) lines.push_back(e.inline_value);
  for (const PageLine* l : e.lines) lines.push_back(l->text);
  for (size_t k = 0; k < lines.size(); ++k) {
    std::string line = lines[k];
    if (k == 0) {
      // "Drug: name Arm Label: arm" (one line in HTML) or "Drug: name" then "Arm Label: arm".
      std::vector<std::string> arms;
      size_t at = ifind(line, "Arm Label:");
      while (at != std::string::npos) {
        size_t next = ifind(line, "Arm Label:", at + 10);
        arms.emplace_back(trim(std::string_view(line).substr(
            at + 10, next == std::string::npos ? std::string::npos : next - at - 10)));
        line = line.substr(0, at) + (next == std::string::npos ? "" : line.substr(next));
        at = ifind(line, "Arm Label:");
      }
      line = std::string(trim(line));
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        iv.type = std::string(trim(std::string_view(line).substr(0, colon)));
        iv.name = std::string(trim(std::string_view(line).substr(colon + 1)));
      } else {
        iv.name = line;
      }
      for (auto& a : arms) arm_links.emplace_back(a, line);
    } else if (istarts_with(line, "Arm Label:")) {
      arm_links.emplace_back(
          std::string(trim(std::string_view(line).substr(10))),
          iv.type ? *iv.type + ": " + iv.name.value_or("") : iv.name.value_or(""));
    } else {
      description.push_back(line);
    }
  }
  if (!description.empty()) iv.description = join(description, "\n\n");
  if (iv.name || iv.description) record.add_intervention(iv);
}

void outcome(const Entry& e, std::string_view field, ParsedRecord& record) {
  OutcomeRaw o;
  std::vector<std::string> lines;
  if (!e.inline_value.empty()) lines.push_back(e.inline_value);
  for (const PageLine* l : e.lines) lines.push_back(l->text);
  // "Measure:" may stand on its own line, its value on the next (text saved cell by cell).
  std::optional<std::string>* pending = nullptr;
  for (const auto& line : lines) {
    auto take = [&](std::optional<std::string>& slot, size_t n) {
      std::string v(trim(replace_all(line.substr(n), "\u00a0", " ")));
      if (v.empty()) {
        pending = &slot;
      } else {
        slot = v;
        pending = nullptr;
      }
    };
    if (istarts_with(line, "Measure:")) {
      take(o.measure, 8);
    } else if (istarts_with(line, "Time Frame:")) {
      take(o.time_frame, 11);
    } else if (istarts_with(line, "Description:")) {
      take(o.description, 12);
    } else if (istarts_with(line, "Safety Issue?")) {
      pending = nullptr;
    } else if (pending) {
      *std::exchange(pending, nullptr) = line;
    } else if (!o.measure) {
      o.measure = line;
    } else {
      o.description = o.description ? *o.description + "\n\n" + line : line;
    }
  }
  if (o.measure || o.time_frame || o.description) record.add_outcome(field, o);
}

}  // namespace

std::optional<std::string> archive_version_date(const PageView& page) {
  for (size_t i = 0; i < page.size() && i < 12; ++i) {
    const std::string& t = page.text(i);
    if (istarts_with(t, "View of NCT")) {
      size_t on = t.rfind(" on ");
      if (on != std::string::npos)
        if (auto d = archive_date(std::string_view(t).substr(on + 4))) return d;
      // The heading's date on a line of its own (text saved with the heading's line break).
      if (iends_with(t, " on") && i + 1 < page.size())
        if (auto d = archive_date(page.text(i + 1))) return d;
    }
  }
  return std::nullopt;
}

bool is_archive_history_page(const PageView& page) {
  bool heading = false;
  for (size_t i = 0; i < page.size() && i < 12; ++i) {
    if (istarts_with(page.text(i), "History of NCT")) heading = true;
    if (heading && istarts_with(page.text(i), "Updated View Type of info changed")) return true;
    if (heading && iequals(page.label_text(i), "Type of info changed")) return true;
  }
  return false;
}

std::vector<std::string> archive_history_dates(const PageView& page) {
  std::vector<std::string> out;
  for (size_t i = 0; i < page.size(); ++i) {
    std::string_view t = page.text(i);
    if (t.size() >= 10)
      if (auto d = archive_date(t.substr(0, 10)); d && (t.size() == 10 || t[10] == ' '))
        out.push_back(*d);
  }
  return out;
}

std::optional<std::string> ctgov_error_page_reason(const PageView& page) {
  for (size_t i = 0; i < page.size() && i < 200; ++i)
    if (iequals(page.label_text(i), "An Error Has Occurred")) {
      std::string reason = "ClinicalTrials.gov error page ('An Error Has Occurred'";
      if (i + 1 < page.size() &&
          istarts_with(page.text(i + 1), "The requested page cannot be displayed"))
        reason += ": the requested page cannot be displayed, e.g. an invalid NCT ID";
      return reason + "), not a study record";
    }
  return std::nullopt;
}

void extract_ctgov_archive(const PageView& page, ParsedRecord& record) {
  size_t start = 0;
  for (size_t i = 0; i < page.size(); ++i) {
    if (istarts_with(page.text(i), "This study has duplicate")) {
      for (const auto& id : find_all_nct_ids(page.text(i)))
        record.add_to_list("related_nct_ids", id);
      if (i + 1 < page.size() && page.text(i).find("NCT") == std::string::npos)
        for (const auto& id : find_all_nct_ids(page.text(i + 1)))
          record.add_to_list("related_nct_ids", id);
    }
    if (istarts_with(page.text(i), "ClinicalTrials Identifier")) {
      start = i;
      break;
    }
  }
  std::vector<std::pair<std::string, std::string>> arm_links;  // arm label -> "Type: name"
  std::vector<std::string> conditions;
  for (const Entry& e : entries_of(page, start)) {
    std::string_view l = e.label;
    auto v = value(e);
    if (l == "ClinicalTrials Identifier") {
      if (v)
        if (auto id = find_nct_id(*v)) record.set("nct_id", *id);
    } else if (l == "Brief title")
      record.set("brief_title", v);
    else if (l == "Official title")
      record.set("official_title", v);
    else if (l == "Acronym")
      record.set("acronym", v);
    else if (l == "Brief summary")
      record.set("brief_summary", joined(e, true));
    else if (l == "Detailed description")
      record.set("detailed_description", joined(e, true));
    else if (l == "Phase")
      record.set("phases", v);
    else if (l == "Study type")
      record.set("study_type", v);
    else if (l == "Study design") {
      if (v) study_design(*v, record);
    } else if (l == "Primary outcome")
      outcome(e, "primary_outcomes", record);
    else if (l == "Secondary outcome")
      outcome(e, "secondary_outcomes", record);
    else if (l == "Condition") {
      if (v) record.add_to_list("conditions", *v);
    } else if (l == "Keyword") {
      if (v) record.add_to_list("keywords", *v);
    } else if (l == "Arm/Group")
      arm(e, record);
    else if (l == "Intervention")
      intervention(e, record, arm_links);
    else if (l == "Status")
      record.set("overall_status", v);
    else if (l == "Start date" || l == "Primary completion date" || l == "End date" ||
             l == "Completion date") {
      auto [date, type] = split_type(v);
      std::string_view field = l == "Start date"                ? "start_date"
                               : l == "Primary completion date" ? "primary_completion_date"
                                                                : "completion_date";
      record.set_typed(field, "date", date, type);
    } else if (l == "Criteria")
      record.set("eligibility_criteria", joined(e, false));
    else if (l == "Gender")
      record.set("sex", v);
    else if (l == "Minimum age")
      record.set("minimum_age", v);
    else if (l == "Maximum age")
      record.set("maximum_age", v);
    else if (l == "Healthy volunteers")
      record.set("healthy_volunteers", v);
    else if (l == "Expected enrollment" || l == "Enrollment") {
      auto [count, type] = split_type(v);
      // "Expected enrollment" is the target the study gave, as the later "Anticipated" type.
      if (!type && l == "Expected enrollment") type = "Anticipated";
      record.set_typed("enrollment", "count", count, type);
    } else if (l == "Organization study ID")
      record.set("org_study_id", v);
    else if (l == "Secondary ID") {
      // The cell may add the ID's kind on its own line: "U01CA097452" "(US NIH Grant Number)".
      if (v) {
        std::string id = *v;
        if (id.ends_with(')'))
          if (size_t open = id.rfind(" ("); open != std::string::npos && open > 0) id.resize(open);
        record.add_to_list("secondary_ids", id);
      }
    } else if (l == "Sponsor")
      record.set_sponsor("lead_sponsor", v, std::nullopt);
    else if (l == "Collaborator") {
      if (v) record.add_collaborator(v, std::nullopt);
    }
  }
  // The arms' interventions are named on the interventions, as on the XML of the same years.
  auto& doc = record.doc();
  auto& a = doc.GetAllocator();
  for (auto& arm_value : doc["arms"].GetArray()) {
    auto label = get_string(arm_value, "label");
    if (!label) continue;
    JsonValue& names = arm_value["intervention_names"];
    for (const auto& [arm_label, name] : arm_links)
      if (arm_label == *label && !name.empty()) names.PushBack(make_string(name, a), a);
  }
}

}  // namespace trialmill
