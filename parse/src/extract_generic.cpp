// Pages of aggregator sites without a parser of their own: label/value heuristics over the line
// stream. A label stands on its own line (value on the next lines) or starts a line ("Label: value",
// or "Label value" for short values). Only the fields such pages commonly show are looked for.
#include <algorithm>
#include <array>

#include "trialmill/error.hpp"
#include "trialmill/parse/extract_helpers.hpp"
#include "trialmill/parse/extractors.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

constexpr size_t npos = PageView::npos;

enum class Field {
  status, phase, study_type, enrollment, sex, ages, min_age, max_age, healthy, conditions,
  interventions, sponsor, start, primary_completion, completion, org_id, summary, description,
  first_posted, last_update, last_verified
};

struct Label {
  std::string_view text;
  Field field;
  std::string_view type;  // the ACTUAL/ESTIMATED word a label carries, or empty
};

constexpr std::array kLabels = {
    Label{"Status", Field::status, ""},
    Label{"Recruitment Status", Field::status, ""},
    Label{"Overall Status", Field::status, ""},
    Label{"Phase", Field::phase, ""},
    Label{"Phases", Field::phase, ""},
    Label{"Study Type", Field::study_type, ""},
    Label{"Enrollment", Field::enrollment, ""},
    Label{"Enrollment (Actual)", Field::enrollment, "Actual"},
    Label{"Enrollment (Estimated)", Field::enrollment, "Estimated"},
    Label{"Enrollment (Anticipated)", Field::enrollment, "Estimated"},
    Label{"Target enrollment", Field::enrollment, "Estimated"},
    Label{"Actual Enrollment", Field::enrollment, "Actual"},
    Label{"Estimated Enrollment", Field::enrollment, "Estimated"},
    Label{"Gender", Field::sex, ""},
    Label{"Sex", Field::sex, ""},
    Label{"Participant gender", Field::sex, ""},
    Label{"Sexes Eligible for Study", Field::sex, ""},
    Label{"Ages", Field::ages, ""},
    Label{"Age", Field::ages, ""},
    Label{"Age group", Field::ages, ""},
    Label{"Ages Eligible for Study", Field::ages, ""},
    Label{"Minimum Age", Field::min_age, ""},
    Label{"Maximum Age", Field::max_age, ""},
    Label{"Accepts healthy volunteers", Field::healthy, ""},
    Label{"Accepts Healthy Volunteers?", Field::healthy, ""},
    Label{"Healthy Volunteers", Field::healthy, ""},
    Label{"Conditions", Field::conditions, ""},
    Label{"Condition", Field::conditions, ""},
    Label{"Treatments", Field::interventions, ""},
    Label{"Intervention", Field::interventions, ""},
    Label{"Interventions", Field::interventions, ""},
    Label{"Lead Sponsor", Field::sponsor, ""},
    Label{"Sponsor", Field::sponsor, ""},
    Label{"Sponsored by", Field::sponsor, ""},
    Label{"Start Date", Field::start, ""},
    Label{"Study Start", Field::start, ""},
    Label{"Actual Study Start Date", Field::start, "Actual"},
    Label{"Primary Completion Date", Field::primary_completion, ""},
    Label{"Est. primary completion date", Field::primary_completion, "Estimated"},
    Label{"Study Completion Date", Field::completion, ""},
    Label{"Completion Date", Field::completion, ""},
    Label{"Est. completion date", Field::completion, "Estimated"},
    Label{"Trial end date", Field::completion, ""},
    Label{"Other study ID #", Field::org_id, ""},
    Label{"Org Study ID", Field::org_id, ""},
    Label{"Brief Summary", Field::summary, ""},
    Label{"Summary", Field::summary, ""},
    Label{"Study Summary", Field::summary, ""},
    Label{"Clinical Trial Summary", Field::summary, ""},
    Label{"Detailed Description", Field::description, ""},
    Label{"Description", Field::description, ""},
    Label{"First received", Field::first_posted, ""},
    Label{"First Posted", Field::first_posted, ""},
    Label{"Last updated", Field::last_update, ""},
    Label{"Last Update Posted", Field::last_update, ""},
    Label{"Verified date", Field::last_verified, ""},
};

// Headings that end a value list without being a field themselves.
const std::initializer_list<std::string_view> kStops = {
    "Inclusion Criteria", "Exclusion Criteria", "Eligibility", "Eligibility Criteria", "Criteria",
    "Details", "Overview", "Study Overview", "Contacts and Locations", "Locations", "Timeline",
    "Participants", "Study Design", "Arms", "Outcomes", "About", "Full info", "Trial Locations",
    "All Listed Sponsors", "Study information", "Administrative data", "Clinical Study ID",
    "Recruitment information / eligibility", "Study Locations", "Treatment", "Inclusion", "Exclusion"};

const Label* own_line_label(const PageView& page, size_t i) {
  for (const auto& l : kLabels)
    if (page.is_label(i, l.text)) return &l;
  return nullptr;
}

// "Label: value" or, for a short value, "Label value" on one line.
std::optional<std::string> inline_value(std::string_view line, std::string_view label) {
  if (!istarts_with(line, label) || line.size() == label.size()) return std::nullopt;
  std::string_view rest = line.substr(label.size());
  if (rest.front() == ':') rest = rest.substr(1);
  else if (rest.front() != ' ' || rest.size() > 80) return std::nullopt;
  rest = trim(rest);
  if (rest.empty() || rest.front() == ':' || rest.front() == '(') return std::nullopt;
  return std::string(rest);
}

// The longest label that starts the line with a value after it ("Age group 25 Years …" is
// "Age group", not "Age").
std::optional<std::pair<const Label*, std::string>> line_label(std::string_view line) {
  std::optional<std::pair<const Label*, std::string>> best;
  for (const auto& l : kLabels)
    if (auto v = inline_value(line, l.text); v && (!best || l.text.size() > best->first->text.size()))
      best = std::make_pair(&l, *v);
  return best;
}

bool is_stop(const PageView& page, size_t i) {
  return page.is_any_label(i, kStops) || own_line_label(page, i) || line_label(page.text(i));
}

// Value lines after a label line, up to the next label or heading. A line that reads as another
// field's "Label value" ends the list; one that repeats this label's word ("Phase" / "Phase 2")
// is a value.
std::vector<std::string> values_after(const PageView& page, size_t at, size_t max_lines) {
  std::vector<std::string> out;
  const Label* own = own_line_label(page, at);
  for (size_t i = at + 1; i < page.size() && out.size() < max_lines; ++i) {
    if (page.is_any_label(i, kStops) || own_line_label(page, i)) break;
    // A list ends at a paragraph break, unless only a type word came before it.
    if (!out.empty() && page.line(i).blank_before && !is_typed_intervention(out.back() + ": x")) break;
    if (auto other = line_label(page.text(i)); other && (!own || other->first->field != own->field)) break;
    std::string_view t = page.text(i);
    if (istarts_with(t, "• ")) t = trim(t.substr(std::string_view("• ").size()));
    out.emplace_back(t);
  }
  return out;
}


// "NARecruitingINTERVENTIONAL": chips rendered without spaces, split where the case changes
// ("NA" | "Recruiting" | "INTERVENTIONAL").
std::vector<std::string> split_glued_words(std::string_view line) {
  std::vector<std::string> out;
  std::string current;
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    bool boundary = !current.empty() && upper(c) &&
                    (lower(current.back()) || (i + 1 < line.size() && lower(line[i + 1]) && upper(current.back())));
    if (boundary) {
      out.push_back(current);
      current.clear();
    }
    current.push_back(c);
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

bool looks_like_study_type(std::string_view word) {
  std::string key = fold_key(word);
  return key == "interventional" || key == "observational" || key == "expanded access";
}

class GenericExtractor {
 public:
  GenericExtractor(const PageView& page, ParsedRecord& record) : page_(page), record_(record) {}

  void run() {
    title();
    for (size_t i = 0; i < page_.size(); ++i) {
      if (const Label* label = own_line_label(page_, i)) {
        bool long_value = label->field == Field::summary || label->field == Field::description ||
                          label->field == Field::conditions || label->field == Field::interventions;
        auto values = values_after(page_, i, long_value ? 40 : 1);
        if (!values.empty()) assign(*label, values);
      } else if (auto inline_label = line_label(page_.text(i))) {
        assign(*inline_label->first, {inline_label->second});
      }
    }
    glued_facts();
    glued_eligibility();
    contact();
    criteria();
  }

 private:
  // Facts shown as chips glued into one word, near the top of the page.
  void glued_facts() {
    for (size_t i = 0; i < page_.size() && i < 15; ++i) {
      std::string_view t = page_.text(i);
      if (t.find(' ') != std::string_view::npos) continue;
      auto words = split_glued_words(t);
      if (words.size() < 2) continue;
      bool all_known = true;
      for (const auto& w : words)
        all_known = all_known && (looks_like_phase(w) || looks_like_status(w) || looks_like_study_type(w));
      if (!all_known) continue;
      for (const auto& w : words) {
        const char* field = looks_like_phase(w) ? "phases" : looks_like_status(w) ? "overall_status" : "study_type";
        if (!record_.has(field)) record_.set(field, w);
      }
      return;
    }
  }

  // "18 Years - undefined (Adult, Older Adult)All SexesDoes not accept healthy volunteers".
  void glued_eligibility() {
    for (size_t i = 0; i < page_.size(); ++i) {
      std::string_view t = page_.text(i);
      size_t hv = ifind(t, "healthy volunteers");
      if (hv == std::string_view::npos || !looks_like_age(t)) continue;
      size_t hv_start = std::min({ifind(t, "Does not accept"), ifind(t, "Accepts healthy"), ifind(t, "No healthy")}, std::less<size_t>());
      if (hv_start == std::string_view::npos || hv_start > hv) continue;
      std::string_view head = t.substr(0, hv_start);
      size_t sex_at = std::string_view::npos;
      std::string_view sex;
      for (std::string_view s : {"All Sexes", "Female", "Male"}) {
        size_t at = ifind(head, s);
        if (at != std::string_view::npos && at < sex_at) {
          sex_at = at;
          sex = head.substr(at);
        }
      }
      if (sex_at == std::string_view::npos) continue;
      std::string ages(trim(head.substr(0, sex_at)));
      if (!record_.has("minimum_age") && looks_like_age(ages)) {
        record_.set("minimum_age", ages);
        record_.set("maximum_age", ages);
      }
      if (!record_.has("sex")) record_.set("sex", std::string(trim(sex)));
      if (!record_.has("healthy_volunteers"))
        record_.set("healthy_volunteers", std::string(trim(t.substr(hv_start, hv + 18 - hv_start))));
      return;
    }
  }

  // "Contact Steven Boyd, PhD" then "Phone 4032203664" and "Email x@y" rows.
  void contact() {
    for (size_t i = 0; i < page_.size(); ++i) {
      auto name = inline_value(page_.text(i), "Contact");
      if (!name || looks_like_phone(*name) || looks_like_email(*name)) continue;
      PersonRaw person;
      person.name = name;
      for (size_t k = i + 1; k < page_.size() && k < i + 3; ++k) {
        if (auto phone = inline_value(page_.text(k), "Phone"); phone && looks_like_phone(*phone)) person.phone = phone;
        if (auto email = inline_value(page_.text(k), "Email"); email && looks_like_email(*email)) person.email = email;
      }
      record_.add_central_contact(person);
      return;
    }
  }

  void title() {
    for (size_t i = 0; i < page_.size() && i < 12; ++i) {
      std::string_view t = page_.text(i);
      auto words = split_trimmed(t, " ");
      if (words.size() < 4 || t.find(':') != std::string_view::npos || is_stop(page_, i) ||
          line_label(t))
        continue;
      record_.set("brief_title", std::string(t));
      return;
    }
  }

  void assign(const Label& label, const std::vector<std::string>& values) {
    const std::string& v = values.front();
    std::optional<std::string> type;
    if (!label.type.empty()) type = std::string(label.type);
    auto set_once = [&](const char* field, const std::string& value) {
      if (!record_.has(field)) record_.set(field, value);
    };
    switch (label.field) {
      case Field::status:
        if (looks_like_status(v)) set_once("overall_status", v);
        break;
      case Field::phase:
        if (looks_like_phase(v)) set_once("phases", v);
        break;
      case Field::study_type: set_once("study_type", v); break;
      case Field::enrollment:
        if (!record_.has("enrollment") && v.find_first_of("0123456789") != std::string::npos)
          record_.set_typed("enrollment", "count", v, type);
        break;
      case Field::sex:
        set_once("sex", v);
        break;
      case Field::ages:
        if (looks_like_age(v) && !record_.has("minimum_age")) {
          record_.set("minimum_age", v);
          record_.set("maximum_age", v);
        }
        break;
      case Field::min_age: set_once("minimum_age", v); break;
      case Field::max_age: set_once("maximum_age", v); break;
      case Field::healthy: set_once("healthy_volunteers", v); break;
      case Field::conditions:
        if (!record_.has("conditions")) record_.set_list("conditions", values);
        break;
      case Field::interventions:
        if (!record_.has("interventions")) interventions(values);
        break;
      case Field::sponsor:
        if (!record_.has("lead_sponsor")) record_.set_sponsor("lead_sponsor", v, std::nullopt);
        break;
      case Field::start:
        if (!record_.has("start_date")) record_.set_typed("start_date", "date", v, type);
        break;
      case Field::primary_completion:
        if (!record_.has("primary_completion_date")) record_.set_typed("primary_completion_date", "date", v, type);
        break;
      case Field::completion:
        if (!record_.has("completion_date")) record_.set_typed("completion_date", "date", v, type);
        break;
      case Field::org_id: set_once("org_study_id", v); break;
      case Field::summary:
        if (!record_.has("brief_summary")) record_.set("brief_summary", join(values, "\n\n"));
        break;
      case Field::description:
        if (!record_.has("detailed_description")) record_.set("detailed_description", join(values, "\n\n"));
        break;
      case Field::first_posted: set_once("first_posted", v); break;
      case Field::last_update: set_once("last_update_posted", v); break;
      case Field::last_verified: set_once("last_verified", v); break;
    }
  }

  // A line that is only a type word ("DRUG") gives the type of the name after it.
  void interventions(const std::vector<std::string>& values) {
    std::optional<std::string> type;
    for (const auto& value : values) {
      if (is_typed_intervention(value + ": x")) {
        type = value;
        continue;
      }
      record_.add_intervention({type, value, std::nullopt, {}});
      type.reset();
    }
  }

  void criteria() {
    size_t inc = find_heading("Inclusion Criteria");
    size_t exc = find_heading("Exclusion Criteria");
    std::string all;
    if (inc != npos) {
      size_t end = section_end(inc);
      if (exc != npos && exc > inc && exc < end) end = exc;
      Section s{inc + 1, end};
      record_.set("inclusion_criteria", page_.block(s));
      all = "Inclusion Criteria:\n" + page_.block(s);
    }
    if (exc != npos) {
      Section s{exc + 1, section_end(exc)};
      record_.set("exclusion_criteria", page_.block(s));
      all += (all.empty() ? "" : "\n\n") + std::string("Exclusion Criteria:\n") + page_.block(s);
    }
    record_.set("eligibility_criteria", all);
  }

  // "Inclusion Criteria:", "Inclusion Criteria:-" as a heading line.
  size_t find_heading(std::string_view heading) const {
    for (size_t i = 0; i < page_.size(); ++i) {
      std::string_view t = trim(page_.text(i));
      while (!t.empty() && (t.back() == '-' || t.back() == ':' || t.back() == ' ')) t.remove_suffix(1);
      if (iequals(t, heading)) return i;
    }
    return npos;
  }

  size_t section_end(size_t from) const {
    for (size_t i = from + 1; i < page_.size(); ++i)
      if (page_.is_any_label(i, {"Exclusion", "Inclusion", "Study Design", "Locations", "Contacts and Locations",
                                 "Outcomes", "Arms", "Study information", "Sponsors", "Collaborators",
                                 "Study Plan", "Contact", "Outcome Measures"}))
        return i;
    return page_.size();
  }

  const PageView& page_;
  ParsedRecord& record_;
};

}  // namespace

void extract_generic(const PageView& page, ParsedRecord& record) {
  GenericExtractor(page, record).run();
  for (size_t i = 0; i < page.size() && !record.has("nct_id"); ++i)
    if (auto id = find_nct_id(page.text(i))) record.set("nct_id", id);
}

}  // namespace trialmill
