// meddatax.com study pages: a heading per field ("Recruitment Status", "Clinical Phase", …),
// each section opened by a sentence of the site's own text, then the value lines.
#include <array>

#include "trialmill/error.hpp"
#include "trialmill/parse/extract_helpers.hpp"
#include "trialmill/parse/extractors.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

constexpr size_t npos = PageView::npos;

const std::initializer_list<std::string_view> kLabels = {
    "Study Results", "Basic Information", "Recruitment Status", "Clinical Phase",
    "Total Enrollment", "Study Classification", "Study Start Date", "Primary Completion Date",
    "Study Completion Date", "Brief Summary", "Detailed Description", "Conditions", "Keywords",
    "Study Design", "Allocation Method", "Intervention Model", "Primary Study Purpose",
    "Blinding Strategy", "Study Groups", "Interventions", "Outcome Measures", "Primary Outcomes",
    "Secondary Outcomes", "Eligibility Criteria", "Inclusion Criteria", "Exclusion Criteria",
    "Minimum Eligible Age", "Maximum Eligible Age", "Eligible Sex", "Accepts Healthy Volunteers",
    "Sponsors", "Responsible Party", "Principal Investigators", "Locations", "Countries",
    "Central Contacts", "Facility Contacts", "Other Identifiers", "More Related Trials",
    "View full results"};

// The sentence the site puts under each heading; it is not study content.
constexpr std::array<std::string_view, 21> kBoilerplate = {
    "Get a concise snapshot", "Review the sponsor-provided synopsis", "Dive into the extended narrative",
    "See the medical conditions", "Understand how the trial is structured", "Review each arm or cohort",
    "Learn about the drugs", "Check the participation requirements", "Meet the organizations",
    "Identify the individual or organization", "Learn about the lead researchers",
    "Explore where the study", "Review the countries", "Reach out to these primary contacts",
    "Find local site contact", "Review additional registry numbers", "Additional clinical trials that may",
    "The study team has not published", "Outcome measurements, participant flow",
    "Explore the outcome measures", "Review the primary and secondary"};

bool is_boilerplate(std::string_view line) {
  for (auto prefix : kBoilerplate)
    if (istarts_with(line, prefix)) return true;
  return false;
}

// The lines under `label`, boilerplate removed.
std::vector<std::string> values(const PageView& page, std::string_view label, size_t from = 0) {
  size_t at = page.find_label(label, from);
  if (at == npos) return {};
  std::vector<std::string> out;
  for (auto& line : page.line_list(page.section_after(at, kLabels)))
    if (!is_boilerplate(line)) out.push_back(std::move(line));
  return out;
}

Section content(const PageView& page, std::string_view label) {
  size_t at = page.find_label(label);
  if (at == npos) return {page.size(), page.size()};
  Section s = page.section_after(at, kLabels);
  while (!s.empty() && is_boilerplate(page.text(s.begin))) ++s.begin;
  return s;
}

std::optional<std::string> first(const std::vector<std::string>& lines) {
  if (lines.empty()) return std::nullopt;
  return lines.front();
}

// "Role: CONTACT", "Group Type EXPERIMENTAL": the value after a fixed prefix.
std::optional<std::string> after_prefix(std::string_view line, std::string_view prefix) {
  if (!istarts_with(line, prefix)) return std::nullopt;
  std::string_view rest = trim(line.substr(prefix.size()));
  if (!rest.empty() && rest.front() == ':') rest = trim(rest.substr(1));
  return std::string(rest);
}

// People blocks: name, "Role: X", then phone / email / affiliation lines.
std::vector<PersonRaw> people(const std::vector<std::string>& lines) {
  std::vector<PersonRaw> out;
  for (const auto& line : lines) {
    if (auto role = after_prefix(line, "Role:")) {
      if (!out.empty()) out.back().role = role;
    } else if (looks_like_email(line)) {
      if (!out.empty()) out.back().email = line;
    } else if (looks_like_phone(line)) {
      if (!out.empty()) out.back().phone = line;
    } else if (!out.empty() && out.back().role && !out.back().affiliation && !out.back().phone &&
               !out.back().email) {
      out.back().affiliation = line;
    } else {
      out.push_back(PersonRaw{line, {}, {}, {}, {}});
    }
  }
  return out;
}

// Study Groups: "label / description… / Group Type X" then per intervention
// "name / description… / Intervention Type Y".
void extract_groups(const PageView& page, ParsedRecord& record) {
  std::vector<std::string> chunk;
  std::vector<ArmRaw> arms;
  for (const auto& line : values(page, "Study Groups")) {
    if (auto type = after_prefix(line, "Group Type")) {
      ArmRaw arm;
      arm.type = type;
      if (!chunk.empty()) arm.label = chunk.front();
      if (chunk.size() > 1) arm.description = join({chunk.begin() + 1, chunk.end()}, "\n");
      arms.push_back(std::move(arm));
      chunk.clear();
    } else if (auto itype = after_prefix(line, "Intervention Type")) {
      if (!arms.empty() && !chunk.empty())
        arms.back().intervention_names.push_back(str_cat(*itype, ": ", chunk.front()));
      chunk.clear();
    } else {
      chunk.push_back(line);
    }
  }
  for (const auto& arm : arms) record.add_arm(arm);
}

void extract_interventions(const PageView& page, ParsedRecord& record) {
  std::vector<std::string> chunk;
  for (const auto& line : values(page, "Interventions")) {
    if (auto type = after_prefix(line, "Intervention Type")) {
      if (chunk.empty()) continue;
      InterventionRaw intervention;
      intervention.type = type;
      intervention.name = chunk.front();
      if (chunk.size() > 1) intervention.description = join({chunk.begin() + 1, chunk.end()}, "\n");
      record.add_intervention(intervention);
      chunk.clear();
    } else {
      chunk.push_back(line);
    }
  }
}

void extract_sponsors(const PageView& page, ParsedRecord& record) {
  std::vector<std::string> chunk;
  for (const auto& line : values(page, "Sponsors")) {
    if (auto role = after_prefix(line, "Sponsor Role")) {
      std::optional<std::string> name = first(chunk), cls;
      if (chunk.size() > 1) cls = chunk[1];
      if (iequals(*role, "lead")) record.set_sponsor("lead_sponsor", name, cls);
      else record.add_collaborator(name, cls);
      chunk.clear();
    } else {
      chunk.push_back(line);
    }
  }
}

void extract_responsible_party(const PageView& page, ParsedRecord& record) {
  auto lines = values(page, "Responsible Party");
  if (lines.empty()) return;
  std::optional<std::string> type, name = lines.front();
  for (const auto& line : lines)
    if (auto role = after_prefix(line, "Responsibility Role")) type = role;
  record.set_responsible_party(type, name, std::nullopt);
}

void extract_locations(const PageView& page, ParsedRecord& record) {
  auto lines = values(page, "Locations");
  std::vector<LocationRaw> locations;
  for (size_t k = 0; k < lines.size(); ++k) {
    if (auto status = after_prefix(lines[k], "Site Status")) {
      if (!locations.empty()) locations.back().status = status;
      continue;
    }
    LocationRaw location;
    location.facility = lines[k];
    if (k + 1 < lines.size() && !istarts_with(lines[k + 1], "Site Status")) {
      auto parts = split_trimmed(lines[++k], ",");
      if (!parts.empty()) location.city = parts.front();
      if (parts.size() >= 2) location.country = parts.back();
      if (parts.size() >= 3) location.state = parts[1];
      if (parts.size() >= 4) location.zip = parts[2];
    }
    locations.push_back(std::move(location));
  }
  // Facility contacts name no facility; they belong to a location only when there is one.
  auto facility_contacts = people(values(page, "Facility Contacts"));
  if (locations.size() == 1) locations.front().contacts = facility_contacts;
  else if (!facility_contacts.empty())
    record.warn("facility contacts not attributable to one of several locations");
  for (const auto& location : locations) record.add_location(location);
}

void extract_identifiers(const PageView& page, ParsedRecord& record) {
  std::optional<std::string> value;
  for (const auto& line : values(page, "Other Identifiers")) {
    if (auto source = after_prefix(line, "Identifier Source")) {
      if (value && iequals(*source, "org_study_id")) record.set("org_study_id", value);
      else if (value) record.add_to_list("secondary_ids", *value);
      value.reset();
    } else if (!istarts_with(line, "Identifier Type")) {
      value = line;
    }
  }
}

}  // namespace

void extract_meddatax(const PageView& page, ParsedRecord& record) {
  if (page.size() > 0) record.set("brief_title", page.text(0));
  record.set("nct_id", page.inline_value("NCT ID"));
  record.set("last_update_posted", page.inline_value("Last Updated"));
  auto results = values(page, "Study Results");
  record.set("has_results", first(results));
  record.set("overall_status", first(values(page, "Recruitment Status")));
  record.set("phases", first(values(page, "Clinical Phase")));
  record.set_typed("enrollment", "count", first(values(page, "Total Enrollment")), std::nullopt);
  record.set("study_type", first(values(page, "Study Classification")));
  record.set_typed("start_date", "date", first(values(page, "Study Start Date")), std::nullopt);
  record.set_typed("primary_completion_date", "date", first(values(page, "Primary Completion Date")),
                   std::nullopt);
  record.set_typed("completion_date", "date", first(values(page, "Study Completion Date")), std::nullopt);
  record.set("brief_summary", page.paragraphs(content(page, "Brief Summary")));
  record.set("detailed_description", page.paragraphs(content(page, "Detailed Description")));
  record.set_list("conditions", values(page, "Conditions"));
  record.set_list("keywords", values(page, "Keywords"));
  record.set("allocation", first(values(page, "Allocation Method")));
  record.set("intervention_model", first(values(page, "Intervention Model")));
  record.set("primary_purpose", first(values(page, "Primary Study Purpose")));
  record.set("masking", first(values(page, "Blinding Strategy")));
  extract_groups(page, record);
  extract_interventions(page, record);
  Section inc = content(page, "Inclusion Criteria"), exc = content(page, "Exclusion Criteria");
  record.set("inclusion_criteria", page.block(inc));
  record.set("exclusion_criteria", page.block(exc));
  std::string all;
  if (!inc.empty()) all = "Inclusion Criteria\n" + page.block(inc);
  if (!exc.empty()) all += (all.empty() ? "" : "\n\n") + std::string("Exclusion Criteria\n") + page.block(exc);
  record.set("eligibility_criteria", all);
  record.set("minimum_age", first(values(page, "Minimum Eligible Age")));
  record.set("maximum_age", first(values(page, "Maximum Eligible Age")));
  record.set("sex", first(values(page, "Eligible Sex")));
  record.set("healthy_volunteers", first(values(page, "Accepts Healthy Volunteers")));
  extract_sponsors(page, record);
  extract_responsible_party(page, record);
  for (const auto& person : people(values(page, "Principal Investigators"))) record.add_official(person);
  extract_locations(page, record);
  for (const auto& person : people(values(page, "Central Contacts"))) record.add_central_contact(person);
  extract_identifiers(page, record);
  for (const auto& line : values(page, "More Related Trials"))
    for (const auto& id : find_all_nct_ids(line))
      if (id != record.get("nct_id")) record.add_to_list("related_nct_ids", id);
}

}  // namespace trialmill
