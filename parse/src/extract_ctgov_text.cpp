// ClinicalTrials.gov study pages in their classic layouts: the 2018–2024 "Recruitment Status :"
// page and the older "This study has been …" page. Values stand after "Label :" on one line or
// in sections that start with a label line.
#include <algorithm>
#include <array>

#include "trialmill/error.hpp"

#include "trialmill/parse/extract_helpers.hpp"
#include "trialmill/parse/extractors.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

constexpr size_t npos = PageView::npos;

const std::initializer_list<std::string_view> kSectionStops = {
    "Brief Summary", "Purpose", "Detailed Description", "Condition or disease Intervention/treatment Phase",
    "Condition Intervention Phase", "Layout table for study information", "Study Design",
    "Resource links provided by the National Library of Medicine", "Resource links provided by NLM",
    "Arm Intervention/treatment", "Group/Cohort Intervention/treatment", "Arms Assigned Interventions",
    "Outcome Measures", "Primary Outcome Measures", "Secondary Outcome Measures",
    "Other Outcome Measures", "Eligibility Criteria", "Layout table for eligibility information",
    "Information from the National Library of Medicine", "Inclusion Criteria", "Exclusion Criteria",
    "Contacts and Locations", "Layout table for location contacts", "Layout table for location information",
    "Sponsors and Collaborators", "Layout table for investigator information", "Investigators",
    "More Information", "Layout table for additonal information", "Layout table for additional information",
    "Additional relevant MeSH terms", "Layout table for MeSH terms", "Publications", "Publications of Results",
    "Further study details as provided by", "Biospecimen Retention", "Go to", "Keywords provided by"};

constexpr std::array<std::string_view, 10> kSiteStatuses = {
    "Not yet recruiting", "Recruiting", "Active, not recruiting", "Enrolling by invitation",
    "Completed", "Terminated", "Withdrawn", "Suspended", "Available", "No longer available"};

bool is_chrome(std::string_view line) {
  std::string key = fold_key(line);
  bool has_letters = false;
  for (char c : line) has_letters |= (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  return !has_letters || key == "working" || key == "menu" || key == "working menu" ||
         key == "clinicaltrials gov" || key == "clinicaltrials gov menu" || key == "home" ||
         key == "skip to main content" || istarts_with(line, "Trial record ");
}

Section section_at(const PageView& page, size_t at) { return page.section_after(at, kSectionStops); }

Section named_section(const PageView& page, std::initializer_list<std::string_view> names) {
  size_t at = page.find_any_label(names);
  if (at == npos) return {page.size(), page.size()};
  return section_at(page, at);
}

// "Label: value" anywhere in a line, up to ';' ("Study Design: Allocation: Randomized; …").
std::optional<std::string> value_in_line(const PageView& page, std::string_view label) {
  for (size_t i = 0; i < page.size(); ++i) {
    std::string_view t = page.text(i);
    size_t at = ifind(t, label);
    while (at != std::string_view::npos) {
      bool word_start = at == 0 || t[at - 1] == ' ' || t[at - 1] == ';';
      std::string_view rest = trim(t.substr(at + label.size()));
      if (word_start && !rest.empty() && rest.front() == ':') {
        rest = trim(rest.substr(1));
        rest = trim(rest.substr(0, rest.find(';')));
        if (!rest.empty()) return std::string(rest);
      }
      at = ifind(t, label, at + 1);
    }
  }
  return std::nullopt;
}

// "Estimated Enrollment : 44 participants", "Actual Study Start Date : …": value and type word.
bool typed_value(const PageView& page, std::string_view label, std::optional<std::string>& value,
                 std::optional<std::string>& type) {
  for (std::string_view prefix : {"Estimated ", "Actual ", "Anticipated ", ""}) {
    std::string full = std::string(prefix) + std::string(label);
    if (auto v = page.inline_value(full)) {
      value = v;
      if (!prefix.empty()) type = std::string(trim(prefix));
      return true;
    }
  }
  return false;
}

void extract_header(const PageView& page, ParsedRecord& record) {
  // The title stands just above the disclaimer; older pages have none, there it is the first line.
  size_t disclaimer = page.find_prefix("The safety and scientific validity");
  std::optional<std::string> title;
  for (size_t i = disclaimer == npos ? 0 : disclaimer; i-- > 0;)
    if (!is_chrome(page.text(i))) {
      title = page.text(i);
      break;
    }
  for (size_t i = 0; !title && i < page.size(); ++i)
    if (!is_chrome(page.text(i))) title = page.text(i);
  if (title) {
    record.set("acronym", take_trailing_acronym(*title));  // shown as "Brief Title (ACRONYM)"
    record.set("brief_title", title);
  }
  for (size_t i = 0; i < page.size() && !record.has("nct_id"); ++i) {
    if (!icontains(page.text(i), "Identifier")) continue;
    auto id = find_nct_id(page.text(i));
    if (!id && i + 1 < page.size()) id = find_nct_id(page.text(i + 1));
    record.set("nct_id", id);
  }
  record.set("overall_status", page.inline_value("Recruitment Status"));
  if (!record.has("overall_status")) {
    // Older layout: "This study has been completed." / "This study is currently recruiting …".
    size_t at = page.find_prefix("This study ");
    if (at != npos) record.set("overall_status", page.text(at));
  }
  for (auto label : {"First Posted", "First received"})
    if (!record.has("first_posted")) record.set("first_posted", page.inline_value(label));
  for (auto label : {"Last Update Posted", "Last updated"})
    if (!record.has("last_update_posted")) record.set("last_update_posted", page.inline_value(label));
  record.set("last_verified", page.inline_value("Last Verified"));
  if (auto results = page.inline_value("Results First Posted")) record.set_bool("has_results", true);
  else if (page.inline_value("Results First Received")) record.set_bool("has_results", true);
}

void extract_summary(const PageView& page, ParsedRecord& record) {
  record.set("brief_summary", page.paragraphs(named_section(page, {"Brief Summary", "Purpose"})));
  record.set("detailed_description", page.paragraphs(named_section(page, {"Detailed Description"})));
}

// Phase cells at the end of a table row: "… Phase 2", "… Phase 1 Phase 2", "… Early Phase 1".
std::vector<std::string> take_trailing_phases(std::string& row) {
  std::vector<std::string> phases;
  for (;;) {
    std::string_view r = trim(row);
    size_t at = r.rfind("Phase ");
    if (at == std::string_view::npos || !looks_like_phase(r.substr(at))) break;
    if (at >= 6 && r.substr(at - 6, 6) == "Early ") at -= 6;
    if (at > 0 && r[at - 1] != ' ') break;
    phases.insert(phases.begin(), std::string(r.substr(at)));
    row = std::string(trim(r.substr(0, at)));
  }
  return phases;
}

// Splits a row of the "Condition or disease | Intervention/treatment | Phase" table.
void extract_condition_table(const PageView& page, ParsedRecord& record,
                             std::vector<std::string>& table_interventions) {
  Section s = named_section(page, {"Condition or disease Intervention/treatment Phase",
                                   "Condition Intervention Phase"});
  std::vector<std::string> phases;
  for (size_t i = s.begin; i < s.end; ++i) {
    if (i > s.begin && page.line(i).blank_before) break;  // the older layout has no closing label
    std::string rest = page.text(i);
    // "Study Type : …" and the like: the table has ended.
    if (size_t colon = rest.find(':'); colon != std::string::npos && !is_typed_intervention(rest) &&
                                       ifind(rest, "Phase") == std::string::npos)
      break;
    auto row_phases = take_trailing_phases(rest);
    phases.insert(phases.end(), row_phases.begin(), row_phases.end());
    if (iequals(rest, "Not Applicable") || iequals(rest, "N/A")) {
      phases.push_back(rest);
      continue;
    }
    // Interventions: from the first "<Type>: " onwards, one per type prefix.
    size_t first = npos;
    std::vector<size_t> starts;
    for (size_t k = 0; k < rest.size(); ++k) {
      if (k > 0 && rest[k - 1] != ' ') continue;
      if (is_typed_intervention(std::string_view(rest).substr(k)) &&
          std::string_view(rest).substr(k).find(':') < 25) {
        starts.push_back(k);
        if (first == npos) first = k;
      }
    }
    for (size_t k = 0; k < starts.size(); ++k) {
      size_t end = k + 1 < starts.size() ? starts[k + 1] : rest.size();
      table_interventions.emplace_back(trim(std::string_view(rest).substr(starts[k], end - starts[k])));
    }
    std::string_view condition = trim(std::string_view(rest).substr(0, first == npos ? rest.size() : first));
    if (!condition.empty()) record.add_to_list("conditions", condition);
  }
  if (phases.size() == 1) record.set("phases", phases.front());
  else if (!phases.empty()) record.set_list("phases", phases);
}

// The results view's overview table: "Study Type Interventional", "Enrollment 380".
std::optional<std::string> row_value(const PageView& page, std::string_view label) {
  for (size_t i = 0; i < page.size(); ++i) {
    std::string_view t = page.text(i);
    if (t.size() > label.size() + 1 && istarts_with(t, label) && t[label.size()] == ' ')
      return std::string(trim(t.substr(label.size())));
  }
  return std::nullopt;
}

void extract_design(const PageView& page, ParsedRecord& record) {
  record.set("study_type", value_in_line(page, "Study Type"));
  if (!record.has("study_type")) record.set("study_type", row_value(page, "Study Type"));
  std::optional<std::string> value, type;
  if (typed_value(page, "Enrollment", value, type)) record.set_typed("enrollment", "count", value, type);
  else if (auto count = row_value(page, "Enrollment"))
    record.set_typed("enrollment", "count", count, std::nullopt);
  if (!record.has("conditions"))
    if (auto condition = row_value(page, "Condition")) record.add_to_list("conditions", *condition);
  for (auto [field, label] : {std::pair{"allocation", "Allocation"},
                              {"intervention_model", "Intervention Model"},
                              {"masking", "Masking"},
                              {"primary_purpose", "Primary Purpose"}})
    record.set(field, value_in_line(page, label));
  record.set("official_title", page.inline_value("Official Title"));
  record.set("acronym", page.inline_value("Acronym"));
  for (auto [field, label] : {std::pair{"start_date", "Study Start Date"},
                              {"primary_completion_date", "Primary Completion Date"},
                              {"completion_date", "Study Completion Date"}}) {
    value.reset();
    type.reset();
    if (typed_value(page, label, value, type)) record.set_typed(field, "date", value, type);
  }
}

// "Experimental: Anlotinib" / description / "Drug: Anlotinib" / description / "Other Name: AL3818".
void extract_arms(const PageView& page, ParsedRecord& record,
                  const std::vector<std::string>& table_interventions) {
  Section s = named_section(page, {"Arm Intervention/treatment", "Group/Cohort Intervention/treatment",
                                   "Arms Assigned Interventions"});
  std::vector<ArmRaw> arms;
  std::vector<InterventionRaw> interventions;
  std::vector<std::string> text;
  size_t current = 0;  // the intervention the text lines describe
  enum class In { none, arm, intervention } in = In::none;
  auto flush_text = [&] {
    if (in == In::arm && !arms.empty() && !text.empty()) arms.back().description = join(text, "\n");
    if (in == In::intervention && !text.empty()) interventions[current].description = join(text, "\n");
    text.clear();
  };
  for (size_t i = s.begin; i < s.end; ++i) {
    const std::string& t = page.text(i);
    std::string type, label;
    if (split_arm_heading(t, type, label)) {
      flush_text();
      arms.push_back({label, type, std::nullopt, {}});
      in = In::arm;
    } else if (is_typed_intervention(t)) {
      flush_text();
      if (!arms.empty()) arms.back().intervention_names.push_back(t);
      auto same = std::find_if(interventions.begin(), interventions.end(),
                               [&](const InterventionRaw& x) { return x.name == t; });
      current = static_cast<size_t>(same - interventions.begin());
      if (same == interventions.end()) interventions.push_back({std::nullopt, t, std::nullopt, {}});
      in = In::intervention;
    } else if (istarts_with(t, "Other Name:") || istarts_with(t, "Other Names:")) {
      std::string_view names = trim(std::string_view(t).substr(t.find(':') + 1));
      if (in == In::intervention)
        for (auto& n : split_trimmed(names, ";")) interventions[current].other_names.push_back(n);
    } else if (in != In::none) {
      text.push_back(t);
    }
  }
  flush_text();
  for (const auto& name : table_interventions)
    if (std::none_of(interventions.begin(), interventions.end(),
                     [&](const InterventionRaw& x) { return x.name == name; }))
      interventions.push_back({std::nullopt, name, std::nullopt, {}});
  for (const auto& arm : arms) record.add_arm(arm);
  for (const auto& intervention : interventions) record.add_intervention(intervention);
}

// Items start with "1." or "•"; "Measure [ Time Frame: … ]", then description lines.
void extract_outcomes(const PageView& page, ParsedRecord& record, std::string_view label,
                      std::string_view field) {
  size_t at = page.find_label(label);
  if (at == npos) return;
  Section s = section_at(page, at);
  std::optional<OutcomeRaw> current;
  std::vector<std::string> description;
  auto flush = [&] {
    if (!current) return;
    if (!description.empty()) current->description = join(description, "\n");
    record.add_outcome(field, *current);
    current.reset();
    description.clear();
  };
  for (size_t i = s.begin; i < s.end; ++i) {
    std::string_view t = page.text(i);
    size_t marker = 0;
    if (istarts_with(t, "• ")) marker = std::string_view("• ").size();
    else {
      size_t d = 0;
      while (d < t.size() && d < 3 && t[d] >= '0' && t[d] <= '9') ++d;
      if (d > 0 && d + 1 < t.size() && t[d] == '.' && t[d + 1] == ' ') marker = d + 2;
    }
    size_t frame = ifind(t, "[ Time Frame:");
    if (marker > 0 || frame != std::string_view::npos) {
      flush();
      current = OutcomeRaw{};
      std::string_view body = trim(t.substr(marker));
      frame = ifind(body, "[ Time Frame:");
      if (frame != std::string_view::npos) {
        current->measure = std::string(trim(body.substr(0, frame)));
        std::string_view rest = body.substr(frame + std::string_view("[ Time Frame:").size());
        current->time_frame = std::string(trim(rest.substr(0, rest.find(']'))));
      } else {
        current->measure = std::string(body);
      }
    } else if (current) {
      description.emplace_back(t);
    }
  }
  flush();
}

void extract_eligibility(const PageView& page, ParsedRecord& record) {
  auto ages = page.inline_value("Ages Eligible for Study");
  if (ages) {
    record.set("minimum_age", ages);
    record.set("maximum_age", ages);
  } else {
    record.set("minimum_age", page.inline_value("Minimum Age"));
    record.set("maximum_age", page.inline_value("Maximum Age"));
  }
  for (auto label : {"Sexes Eligible for Study", "Genders Eligible for Study", "Sexes Eligible", "Gender"})
    if (!record.has("sex")) record.set("sex", page.inline_value(label));
  record.set("healthy_volunteers", page.inline_value("Accepts Healthy Volunteers"));
  size_t inc = page.find_label("Inclusion Criteria");
  size_t exc = page.find_label("Exclusion Criteria");
  std::string all;
  if (inc != npos) {
    Section s = section_at(page, inc);
    record.set("inclusion_criteria", page.block(s));
    all = page.text(inc) + "\n" + page.block(s);
  }
  if (exc != npos) {
    Section s = section_at(page, exc);
    record.set("exclusion_criteria", page.block(s));
    all += (all.empty() ? "" : "\n\n") + page.text(exc) + "\n" + page.block(s);
  }
  if (!all.empty()) record.set("eligibility_criteria", all);
}

bool ends_with_site_status(std::string_view line, std::string& facility, std::string& status) {
  for (auto s : kSiteStatuses) {
    if (line.size() > s.size() + 1 && iends_with(line, s) && line[line.size() - s.size() - 1] == ' ') {
      facility = std::string(trim(line.substr(0, line.size() - s.size())));
      status = std::string(line.substr(line.size() - s.size()));
      return true;
    }
  }
  return false;
}

// "City, State, Zip, Country": first part city, last country, in between zip (digits) or state.
void fill_place(LocationRaw& location, std::string_view line) {
  auto parts = split_trimmed(line, ",");
  if (parts.empty()) return;
  location.city = parts.front();
  if (parts.size() >= 2) location.country = parts.back();
  for (size_t k = 1; k + 1 < parts.size(); ++k) {
    bool digits = parts[k].find_first_of("0123456789") != std::string::npos;
    (digits ? location.zip : location.state) = parts[k];
  }
}

void extract_contacts_and_locations(const PageView& page, ParsedRecord& record) {
  for (size_t i : {page.find_label("Layout table for location contacts"), page.find_label("Contacts")}) {
    if (i == npos) continue;
    Section s = section_at(page, i);
    for (size_t k = s.begin; k < s.end; ++k) {
      std::string_view t = page.text(k);
      if (!istarts_with(t, "Contact:")) continue;
      record.add_central_contact(split_contact_line(t.substr(8)));
    }
    break;
  }
  size_t at = page.find_any_label({"Layout table for location information", "Locations"});
  if (at == npos) return;
  Section s = section_at(page, at);
  std::vector<LocationRaw> locations;
  std::string group_country;
  for (size_t k = s.begin; k < s.end; ++k) {
    std::string_view t = page.text(k);
    if (istarts_with(t, "Contact:")) {
      if (!locations.empty()) locations.back().contacts.push_back(split_contact_line(t.substr(8)));
      continue;
    }
    if (istarts_with(t, "Principal Investigator:") || istarts_with(t, "Sub-Investigator:")) continue;
    std::string facility, status;
    bool has_status = ends_with_site_status(t, facility, status);
    std::string_view next = k + 1 < s.end ? std::string_view(page.text(k + 1)) : std::string_view();
    auto next_parts = split_trimmed(next, ",");
    bool next_is_place = next_parts.size() >= 2 && !istarts_with(next, "Contact:") &&
                         (has_status || (!group_country.empty() && next_parts.back() == group_country));
    if (next_is_place) {
      LocationRaw location;
      location.facility = has_status ? facility : std::string(t);
      if (has_status) location.status = status;
      fill_place(location, next);
      locations.push_back(std::move(location));
      ++k;
    } else {
      auto parts = split_trimmed(t, ",");
      group_country = parts.empty() ? std::string() : parts.front();
    }
  }
  for (const auto& location : locations) record.add_location(location);
}

void extract_sponsors(const PageView& page, ParsedRecord& record) {
  size_t at = page.find_label("Sponsors and Collaborators");
  if (at != npos) {
    auto names = page.line_list(section_at(page, at));
    for (size_t k = 0; k < names.size(); ++k) {
      if (k == 0) record.set_sponsor("lead_sponsor", names[k], std::nullopt);
      else record.add_collaborator(names[k], std::nullopt);
    }
  } else if (size_t sp = page.find_label("Sponsor"); sp != npos && sp + 1 < page.size()) {
    // When the text dump put another label right after "Sponsor:", the name's place is lost.
    if (page.text(sp + 1).back() != ':') record.set_sponsor("lead_sponsor", page.text(sp + 1), std::nullopt);
  }
  size_t rp = page.find_any_label({"Information provided by (Responsible Party)", "Information provided by"});
  if (rp != npos && rp + 1 < page.size())
    record.set_responsible_party(std::nullopt, page.text(rp + 1), std::nullopt);
  auto ids = page.inline_value("Other Study ID Numbers");
  record.set("org_study_id", ids);
}

// "Principal Investigator: Zhaoming Ye, professor Second Affiliated Hospital, …": the affiliation is
// recognised only when it is an organisation named elsewhere on the page.
void extract_officials(const PageView& page, ParsedRecord& record) {
  std::vector<std::string> orgs;
  if (auto lead = find_member(record.doc(), "lead_sponsor"); lead && lead->IsObject())
    if (auto n = get_string(*lead, "name")) orgs.push_back(*n);
  for (const auto& c : find_member(record.doc(), "collaborators")->GetArray())
    if (auto n = get_string(c, "name")) orgs.push_back(*n);
  for (const auto& l : find_member(record.doc(), "locations")->GetArray())
    if (auto n = get_string(l, "facility")) orgs.push_back(*n);
  size_t at = page.find_any_label({"Layout table for investigator information", "Investigators"});
  if (at == npos) return;
  Section s = section_at(page, at);
  for (size_t k = s.begin; k < s.end; ++k) {
    std::string_view t = page.text(k);
    size_t colon = t.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view role = trim(t.substr(0, colon));
    if (!(iequals(role, "Principal Investigator") || iequals(role, "Study Chair") ||
          iequals(role, "Study Director")))
      continue;
    std::string_view rest = trim(t.substr(colon + 1));
    PersonRaw person;
    person.role = std::string(role);
    for (const auto& org : orgs) {
      if (rest.size() > org.size() && iends_with(rest, org)) {
        person.affiliation = org;
        rest = trim(rest.substr(0, rest.size() - org.size()));
        break;
      }
    }
    if (!person.affiliation) record.warn(str_cat("officials: affiliation not separable from \"", rest, "\""));
    person.name = std::string(rest);
    record.add_official(person);
  }
}

void extract_terms(const PageView& page, ParsedRecord& record) {
  size_t at = page.find_label("Additional relevant MeSH terms");
  if (at != npos) {
    size_t from = at + 1;
    if (page.is_label(from, "Layout table for MeSH terms")) ++from;
    size_t stop = page.find_any_label(kSectionStops, from);
    for (size_t k = from; k < (stop == npos ? page.size() : stop); ++k) record.add_to_list("mesh_terms", page.text(k));
  }
  size_t kw = page.find_prefix("Keywords provided by");
  if (kw != npos) record.set_list("keywords", page.line_list(section_at(page, kw)));
}

}  // namespace

void extract_ctgov_text(const PageView& page, ParsedRecord& record) {
  extract_header(page, record);
  extract_summary(page, record);
  std::vector<std::string> table_interventions;
  extract_condition_table(page, record, table_interventions);
  extract_design(page, record);
  extract_arms(page, record, table_interventions);
  extract_outcomes(page, record, "Primary Outcome Measures", "primary_outcomes");
  extract_outcomes(page, record, "Secondary Outcome Measures", "secondary_outcomes");
  extract_eligibility(page, record);
  extract_contacts_and_locations(page, record);
  extract_sponsors(page, record);
  extract_officials(page, record);
  extract_terms(page, record);
}

}  // namespace trialmill
