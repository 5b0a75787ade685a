// ClinicalTrials.Veeva study pages: a title, the sponsor under its logo, then label lines
// ("Status and phase", "Enrollment", …) each followed by its value lines.
#include "trialmill/error.hpp"
#include "trialmill/parse/extract_helpers.hpp"
#include "trialmill/parse/extractors.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

// Every label that starts a section on a Veeva page; a section runs to the next of these.
const std::initializer_list<std::string_view> kLabels = {
    "Status and phase", "Status", "Phase", "Conditions", "Treatments", "Study type",
    "Funder types", "Identifiers", "Details and patient eligibility", "About",
    "Full description", "Enrollment", "Sex", "Ages", "Volunteers", "Inclusion criteria",
    "Exclusion criteria", "Inclusion and exclusion criteria", "Trial design", "Primary purpose",
    "Allocation", "Interventional model", "Masking", "Trial contacts and locations",
    "Central trial contact", "Sites", "Site", "Data sourced from clinicaltrials.gov",
    "Clinical trials", "Trial documents", "Timeline", "Sponsors", "Collaborators",
    "Observational model", "Time perspective", "Outcomes", "Patient groups"};

bool is_page_chrome(std::string_view line) {
  return iequals(line, "ClinicalTrials.Veeva") || iequals(line, "Menu") ||
         iequals(line, "Loading...") || istarts_with(line, "© Copyright") ||
         iequals(line, "Find clinical trialsTrials by location");
}

std::optional<std::string> first_line(const PageView& page, Section s) {
  if (s.empty()) return std::nullopt;
  return page.text(s.begin);
}

Section section(const PageView& page, std::string_view label) {
  size_t at = page.find_label(label);
  if (at == PageView::npos) return {page.size(), page.size()};
  return page.section_after(at, kLabels);
}

// Title, then the sponsor under a "<name> logo" line or a one-letter logo placeholder.
void extract_header(const PageView& page, ParsedRecord& record) {
  size_t first_label = page.find_any_label(kLabels);
  std::vector<std::string> head;
  for (size_t i = 0; i < page.size() && i < first_label; ++i) {
    const std::string& t = page.text(i);
    if (is_page_chrome(t)) continue;
    head.push_back(t);
  }
  if (head.empty()) return;
  std::string title = head.front();
  record.set("acronym", take_trailing_acronym(title));  // Veeva appends the acronym in parentheses
  record.set("brief_title", title);
  std::optional<std::string> sponsor;
  for (size_t i = 1; i < head.size(); ++i) {
    const std::string& t = head[i];
    if (iends_with(t, " logo") || t.size() <= 2) continue;
    sponsor = t;
  }
  if (sponsor) record.set_sponsor("lead_sponsor", sponsor, std::nullopt);
}

void extract_status_phase(const PageView& page, ParsedRecord& record) {
  Section s = section(page, "Status and phase");
  if (s.empty()) s = section(page, "Status");
  std::vector<std::string> phases;
  for (const auto& line : page.line_list(s)) {
    if (looks_like_phase(line)) phases.push_back(line);
    else if (!record.has("overall_status")) record.set("overall_status", line);
  }
  if (phases.size() == 1) record.set("phases", phases.front());
  else if (phases.size() > 1) record.set_list("phases", phases);
}

void extract_identifiers(const PageView& page, ParsedRecord& record) {
  std::vector<std::string> plain;
  for (const auto& line : page.line_list(section(page, "Identifiers"))) {
    if (is_nct_id(line)) {
      if (!record.has("nct_id")) record.set("nct_id", to_upper(line));
      continue;
    }
    if (line.find('(') != std::string::npos && line.back() == ')') {
      record.add_to_list("secondary_ids", line);  // "2004-001234-12 (EudraCT Number)"
    } else {
      plain.push_back(line);
    }
  }
  // Veeva lists the sponsor's protocol number without a label; only when it is the one plain
  // identifier can it be told apart from the others.
  if (plain.size() == 1) {
    record.set("org_study_id", plain.front());
  } else {
    record.set_list("secondary_ids", plain);
  }
}

void extract_criteria(const PageView& page, ParsedRecord& record) {
  size_t inc = page.find_label("Inclusion criteria");
  size_t exc = page.find_label("Exclusion criteria");
  size_t both = page.find_label("Inclusion and exclusion criteria");
  std::string all;
  if (inc != PageView::npos) {
    Section s = page.section_after(inc, kLabels);
    record.set("inclusion_criteria", page.block(s));
    all += page.text(inc) + "\n" + page.block(s);
  }
  if (exc != PageView::npos) {
    Section s = page.section_after(exc, kLabels);
    record.set("exclusion_criteria", page.block(s));
    if (!all.empty()) all += "\n\n";
    all += page.text(exc) + "\n" + page.block(s);
  }
  if (both != PageView::npos && all.empty()) {
    all = page.text(both) + "\n" + page.block(page.section_after(both, kLabels));
  }
  if (!all.empty()) record.set("eligibility_criteria", all);
}

// "30 participants in 2 patient groups", then per group: label, type line ("Experimental group"),
// optional "Description:" lines, optional "Treatment:" lines of typed interventions.
void extract_arms(const PageView& page, ParsedRecord& record) {
  size_t start = PageView::npos;
  for (size_t i = 0; i < page.size(); ++i) {
    const std::string& t = page.text(i);
    if (icontains(t, " participants in ") && (icontains(t, " group") || icontains(t, " cohort"))) {
      start = i;
      break;
    }
  }
  if (start == PageView::npos) return;
  Section s = page.section_after(start, kLabels);
  enum class Mode { none, description, treatment } mode = Mode::none;
  std::optional<ArmRaw> arm;
  std::vector<std::string> description;
  auto flush = [&] {
    if (!arm) return;
    if (!description.empty()) arm->description = join(description, "\n");
    record.add_arm(*arm);
    arm.reset();
    description.clear();
  };
  for (size_t i = s.begin; i < s.end; ++i) {
    const std::string& t = page.text(i);
    bool next_is_type = i + 1 < s.end && is_arm_type_line(page.text(i + 1));
    bool next_is_part = i + 1 < s.end && page.is_any_label(i + 1, {"Description", "Treatment"});
    if (page.is_label(i, "Description")) {
      mode = Mode::description;
    } else if (page.is_any_label(i, {"Treatment", "Treatments"})) {
      mode = Mode::treatment;
    } else if (next_is_type || (mode != Mode::description && next_is_part) ||
               (mode == Mode::treatment && !is_typed_intervention(t))) {
      flush();
      arm = ArmRaw{};
      arm->label = t;
      if (next_is_type) arm->type = page.text(++i);
      mode = Mode::none;
    } else if (arm && mode == Mode::description) {
      description.push_back(t);
    } else if (arm && mode == Mode::treatment) {
      arm->intervention_names.push_back(t);
    }
  }
  flush();
}

// Whether the page was cut off, judged from its structure rather than one footer string (a
// footer redesign must not make every page "truncated"): a whole page goes on past its study
// to the closing sections (contacts and locations, the data-source note, the site's links,
// the footer), and its last section has a value. Nullopt for a whole page, else why not.
std::optional<std::string> truncation(const PageView& page) {
  static const std::initializer_list<std::string_view> kClosing = {
      "Trial contacts and locations",         "Central trial contact", "Sites",          "Site",
      "Data sourced from clinicaltrials.gov", "Clinical trials",       "Trial documents"};
  size_t last = page.size();
  while (last > 0 && is_page_chrome(page.text(last - 1))) --last;
  if (last == 0) return std::nullopt;  // nothing but chrome: no study to cut
  if (page.is_any_label(last - 1, kLabels) && !page.is_any_label(last - 1, kClosing))
    return str_cat("the page ends at the label \"", page.text(last - 1), "\" with no value");
  if (page.find_any_label(kClosing) == PageView::npos &&
      page.find_prefix("© Copyright") == PageView::npos)
    return std::string("the page ends before the closing sections (contacts, data source, footer)");
  return std::nullopt;
}

}  // namespace

void extract_veeva(const PageView& page, ParsedRecord& record) {
  extract_header(page, record);
  extract_status_phase(page, record);
  record.set_list("conditions", page.line_list(section(page, "Conditions")));
  for (const auto& line : page.line_list(section(page, "Treatments"))) {
    InterventionRaw intervention;
    intervention.name = line;
    record.add_intervention(intervention);
  }
  record.set("study_type", first_line(page, section(page, "Study type")));
  // Funder types cover the sponsor and the collaborators; one type can only be the sponsor's.
  auto funders = page.line_list(section(page, "Funder types"));
  if (funders.size() == 1 && record.has("lead_sponsor")) {
    record.set_sponsor("lead_sponsor", get_string(*find_member(record.doc(), "lead_sponsor"), "name"),
                       funders.front());
  }
  extract_identifiers(page, record);
  record.set("brief_summary", page.paragraphs(section(page, "About")));
  record.set("detailed_description", page.paragraphs(section(page, "Full description")));
  record.set_typed("enrollment", "count", first_line(page, section(page, "Enrollment")),
                   std::nullopt);
  record.set("sex", first_line(page, section(page, "Sex")));
  auto ages = first_line(page, section(page, "Ages"));
  record.set("minimum_age", ages);
  record.set("maximum_age", ages);
  record.set("healthy_volunteers", first_line(page, section(page, "Volunteers")));
  extract_criteria(page, record);
  record.set("primary_purpose", first_line(page, section(page, "Primary purpose")));
  record.set("allocation", first_line(page, section(page, "Allocation")));
  record.set("intervention_model", first_line(page, section(page, "Interventional model")));
  record.set("masking", first_line(page, section(page, "Masking")));
  extract_arms(page, record);
  if (auto cut = truncation(page))
    record.warn(str_cat(kTruncatedWarningPrefix, " ", *cut, "; fields after the cut are missing"));
  for (const auto& line : page.line_list(section(page, "Central trial contact"))) {
    PersonRaw person = split_contact_line(line);
    record.add_central_contact(person);
  }
}

}  // namespace trialmill
