// Pages of aggregator sites without a parser of their own: label/value heuristics over the line
// stream. A label stands on its own line (value on the next lines) or starts a line ("Label:
// value", or "Label value" for short values). Only the fields such pages commonly show are looked
// for.
#include <algorithm>
#include <array>

#include "trialmill/error.hpp"
#include "trialmill/parse/extract_helpers.hpp"
#include "trialmill/parse/extractors.hpp"
#include "trialmill/parse/page_kind.hpp"
#include "trialmill/parse/value_shapes.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

constexpr size_t npos = PageView::npos;

enum class Field {
  status,
  phase,
  study_type,
  enrollment,
  sex,
  ages,
  min_age,
  max_age,
  healthy,
  conditions,
  interventions,
  sponsor,
  start,
  primary_completion,
  completion,
  org_id,
  summary,
  description,
  first_posted,
  last_update,
  last_verified,
  secondary_id
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
    // Protocol numbers as trial finders label them (cancer centers, cooperative groups).
    Label{"Protocol No.", Field::org_id, ""},
    Label{"Protocol Number", Field::org_id, ""},
    Label{"Protocol ID", Field::org_id, ""},
    Label{"Protocol IDs", Field::org_id, ""},
    Label{"Sponsor Study ID", Field::org_id, ""},
    Label{"Sponsor Protocol ID", Field::org_id, ""},
    Label{"Sponsor Protocol Number", Field::org_id, ""},
    Label{"Study Number", Field::org_id, ""},
    Label{"Trial Number", Field::org_id, ""},
    Label{"Study ID", Field::org_id, ""},
    Label{"Trial ID", Field::org_id, ""},
    Label{"Secondary Protocol No.", Field::secondary_id, ""},
    Label{"Secondary IDs", Field::secondary_id, ""},
    Label{"Other Trial IDs", Field::secondary_id, ""},
    Label{"Other IDs", Field::secondary_id, ""},
    Label{"Trial Status", Field::status, ""},
    Label{"Study Status", Field::status, ""},
    Label{"Enrollment Status", Field::status, ""},
    Label{"Recruiting Status", Field::status, ""},
    Label{"Study Recruitment Status", Field::status, ""},
    Label{"Trial Phase", Field::phase, ""},
    Label{"Trial Phases", Field::phase, ""},
    Label{"Study Phase", Field::phase, ""},
    Label{"Eligible Ages", Field::ages, ""},
    Label{"Age Range", Field::ages, ""},
    Label{"Min Age", Field::min_age, ""},
    Label{"Max Age", Field::max_age, ""},
    Label{"Study Sponsor", Field::sponsor, ""},
    Label{"Trial Sponsor", Field::sponsor, ""},
    Label{"Sponsor(s)", Field::sponsor, ""},
    Label{"Number of Participants", Field::enrollment, ""},
    Label{"Accrual Goal", Field::enrollment, "Estimated"},
    Label{"Enrollment/number of participants", Field::enrollment, ""},
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

struct TitleLabel {
  std::string_view text;
  const char* field;
};

// Labels of a trial's titles across registries and trial finders.
constexpr std::array kTitleLabels = {
    TitleLabel{"Official Title", "official_title"},
    TitleLabel{"Scientific title", "official_title"},
    TitleLabel{"Full Title", "official_title"},
    TitleLabel{"Protocol Title", "official_title"},
    TitleLabel{"Full Study Title", "official_title"},
    TitleLabel{"Public title", "brief_title"},
    TitleLabel{"Brief Title", "brief_title"},
    TitleLabel{"Study Title", "brief_title"},
    TitleLabel{"Trial Title", "brief_title"},
    TitleLabel{"Title", "brief_title"},
    TitleLabel{"Study Name", "brief_title"},
    TitleLabel{"Clinical Trial Title", "brief_title"},
    TitleLabel{"Trial Name", "brief_title"},
};

// Headings that end a value list without being a field themselves.
const std::initializer_list<std::string_view> kStops = {"Inclusion Criteria",
                                                        "Exclusion Criteria",
                                                        "Eligibility",
                                                        "Eligibility Criteria",
                                                        "Criteria",
                                                        "Details",
                                                        "Overview",
                                                        "Study Overview",
                                                        "Contacts and Locations",
                                                        "Locations",
                                                        "Timeline",
                                                        "Participants",
                                                        "Study Design",
                                                        "Arms",
                                                        "Outcomes",
                                                        "About",
                                                        "Full info",
                                                        "Trial Locations",
                                                        "All Listed Sponsors",
                                                        "Study information",
                                                        "Administrative data",
                                                        "Clinical Study ID",
                                                        "Recruitment information / eligibility",
                                                        "Study Locations",
                                                        "Treatment",
                                                        "Inclusion",
                                                        "Exclusion"};

const Label* own_line_label(const PageView& page, size_t i) {
  for (const auto& l : kLabels)
    if (page.is_label(i, l.text)) return &l;
  return nullptr;
}

// "Label: value" or, for a short value, "Label value" on one line.
std::optional<std::string> inline_value(std::string_view line, std::string_view label) {
  if (!istarts_with(line, label) || line.size() == label.size()) return std::nullopt;
  std::string_view rest = line.substr(label.size());
  if (rest.front() == ':')
    rest = rest.substr(1);
  else if (rest.front() != ' ' || rest.size() > 80)
    return std::nullopt;
  rest = trim(rest);
  if (rest.empty() || rest.front() == ':' || rest.front() == '(') return std::nullopt;
  return std::string(rest);
}

// The longest label that starts the line with a value after it ("Age group 25 Years …" is
// "Age group", not "Age").
std::optional<std::pair<const Label*, std::string>> line_label(std::string_view line) {
  std::optional<std::pair<const Label*, std::string>> best;
  for (const auto& l : kLabels)
    if (auto v = inline_value(line, l.text);
        v && (!best || l.text.size() > best->first->text.size()))
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
    if (!out.empty() && page.line(i).blank_before && !is_typed_intervention(out.back() + ": x"))
      break;
    if (auto other = line_label(page.text(i)); other && (!own || other->first->field != own->field))
      break;
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
                    (lower(current.back()) ||
                     (i + 1 < line.size() && lower(line[i + 1]) && upper(current.back())));
    if (boundary) {
      out.push_back(current);
      current.clear();
    }
    current.push_back(c);
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

// Sex as pages write it, both sexes spelled out included ("Male and Female", "Men and women").
bool looks_like_sex_value(std::string_view v) {
  if (looks_like_sex(v)) return true;
  std::string key = fold_key(v);
  if (key.size() > 40) return false;
  for (std::string_view w :
       {"male", "female", "men", "women", "both", "all genders", "all sexes", "boys", "girls"})
    if (key.rfind(w, 0) == 0) return true;
  return false;
}

bool is_no_limit(std::string_view v) {
  std::string key = fold_key(v);
  return key == "n a" || key == "none" || key == "no limit" || key == "no maximum" ||
         key == "no minimum" || key == "not applicable" || key == "no age limit";
}

// "Yes", "No", "Accepts healthy volunteers", "Does not accept healthy volunteers".
bool looks_like_healthy(std::string_view v) {
  std::string key = fold_key(v);
  if (key.size() > 45) return false;
  for (std::string_view w : {"yes", "no", "accepts", "does not accept", "healthy volunteers",
                             "not accepted", "true", "false", "accepted"})
    if (key.rfind(w, 0) == 0) return true;
  return false;
}

// "NRG-GY018 (primary)" -> "NRG-GY018"; "IRB: PRO00107486" -> "PRO00107486".
std::string strip_id_qualifier(std::string_view id) {
  id = trim(id);
  if (size_t open = id.find(" ("); open != std::string_view::npos) id = trim(id.substr(0, open));
  if (size_t colon = id.find(':'); colon != std::string_view::npos && colon + 1 < id.size())
    id = trim(id.substr(colon + 1));
  return std::string(id);
}

// An identifier: one to three short tokens with a digit, no sentence ("S1418", "NRG GY018",
// "NCI-2019-02186", "RTOG 1216", "(ATEMPT) 14-221" is not one).
bool looks_like_identifier(std::string_view id) {
  if (id.empty() || id.size() > 30 || id.find_first_of("0123456789") == std::string_view::npos)
    return false;
  if (split_trimmed(id, " ").size() > 3) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ' ' ||
          c == '.' || c == '/'))
      return false;
  // "NCI-2011-03797" holds a year and is an identifier; "June 2019" is a date.
  for (std::string_view month :
       {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"})
    if (istarts_with(id, month)) return false;
  return true;
}

// A cooperative-group or sponsor protocol number standing alone: capital letters then digits,
// maybe joined by '-' or '_' ("S1418", "NRG-LU008", "EA3191", "A021806", "AHOD2131",
// "PCRC_EA8143", "NCI-2014-01532"). Drug codes look the same, so only headings are searched.
bool looks_like_protocol_number(std::string_view w) {
  if (w.size() < 4 || w.size() > 20 || is_nct_id(w)) return false;
  size_t letters = 0, digits = 0;
  for (char c : w) {
    if (c >= 'A' && c <= 'Z')
      ++letters;
    else if (c >= '0' && c <= '9')
      ++digits;
    else if (c != '-' && c != '_')
      return false;
  }
  return letters >= 1 && digits >= 3 && w.front() >= 'A' && w.front() <= 'Z';
}

// "Name of the ethic committee：", "code:": a label (ASCII or full-width colon), never a value.
bool ends_like_label(std::string_view v) {
  v = trim(v);
  return (!v.empty() && v.back() == ':') ||
         (v.size() >= 3 && v.substr(v.size() - 3) == "\xEF\xBC\x9A");
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
        bool id_list = label->field == Field::org_id || label->field == Field::secondary_id;
        auto values = values_after(page_, i, long_value ? 40 : id_list ? 6 : 1);
        if (!values.empty()) assign(*label, values);
      } else if (auto inline_label = line_label(page_.text(i))) {
        assign(*inline_label->first, {inline_label->second});
      }
    }
    heading_identifiers();
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
        all_known =
            all_known && (looks_like_phase(w) || looks_like_status(w) || looks_like_study_type(w));
      if (!all_known) continue;
      for (const auto& w : words) {
        const char* field = looks_like_phase(w)    ? "phases"
                            : looks_like_status(w) ? "overall_status"
                                                   : "study_type";
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
      size_t hv_start = std::min(
          {ifind(t, "Does not accept"), ifind(t, "Accepts healthy"), ifind(t, "No healthy")},
          std::less<size_t>());
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
        record_.set("healthy_volunteers",
                    std::string(trim(t.substr(hv_start, hv + 18 - hv_start))));
      return;
    }
  }

  // "Contact Steven Boyd, PhD" then "Phone 4032203664" and "Email x@y" rows.
  void contact() {
    for (size_t i = 0; i < page_.size(); ++i) {
      auto name = inline_value(page_.text(i), "Contact");
      if (!name || looks_like_phone(*name) || looks_like_email(*name) || ends_like_label(*name))
        continue;
      PersonRaw person;
      person.name = name;
      for (size_t k = i + 1; k < page_.size() && k < i + 3; ++k) {
        if (auto phone = inline_value(page_.text(k), "Phone"); phone && looks_like_phone(*phone))
          person.phone = phone;
        if (auto email = inline_value(page_.text(k), "Email"); email && looks_like_email(*email))
          person.email = email;
      }
      record_.add_central_contact(person);
      return;
    }
  }

  // The title a label names ("Official Title", "Public title"), else the page's heading: the
  // first line near the top that has a title's shape, chrome and labels skipped.
  void title() {
    labelled_titles();
    if (record_.has("brief_title")) return;
    if (auto official = record_.get("official_title")) {
      record_.set("brief_title", official);
      return;
    }
    std::optional<std::string> best;
    int candidates = 0;
    // The heading stands above the trial's fields: the search ends at the first field label.
    for (size_t i = 0; i < page_.size() && i < 30; ++i) {
      std::string_view t = page_.text(i);
      if (own_line_label(page_, i) || line_label(t)) break;
      if (is_chrome_line(t) || is_stop(page_, i) || is_title_label(page_.label_text(i)) ||
          starts_with_title_label(t) || names_a_label(t))
        continue;
      std::string cleaned = clean_title(t);
      if (!looks_like_title(cleaned) || split_trimmed(cleaned, " ").size() < 4) continue;
      // A site's name or a category often stands above the trial's title ("Georgia's Online
      // Cancer Information Center", "Head and Neck Cancer"): of the first few heading lines the
      // longest is the title.
      if (!best || cleaned.size() > best->size()) best = cleaned;
      if (++candidates == 3) break;
    }
    if (best) record_.set("brief_title", best);
  }

  static bool starts_with_title_label(std::string_view t) {
    for (const auto& l : kTitleLabels)
      if (istarts_with(t, l.text) && t.size() > l.text.size() &&
          (t[l.text.size()] == ' ' || t[l.text.size()] == ':'))
        return true;
    return false;
  }

  // "Clinical Trial Details — Status: Recruiting": a line holding a "Label:" of a field.
  static bool names_a_label(std::string_view t) {
    for (const auto& l : kLabels) {
      size_t at = ifind(t, l.text);
      if (at != std::string_view::npos && at + l.text.size() < t.size() &&
          t[at + l.text.size()] == ':')
        return true;
    }
    return false;
  }

  static bool is_title_label(std::string_view label) {
    for (const auto& l : kTitleLabels)
      if (iequals(label, l.text)) return true;
    return false;
  }

  // A title under its label, inline or on the next line; "See Detailed Description" points to
  // the field whose value is the title.
  void labelled_titles() {
    for (size_t i = 0; i < page_.size(); ++i) {
      for (const auto& l : kTitleLabels) {
        std::optional<std::string> value;
        if (page_.is_label(i, l.text) && i + 1 < page_.size()) value = page_.text(i + 1);
        // "Title: value", or a table row "Study Title value" for labels of two words or more.
        else if (auto v = inline_value(page_.text(i), l.text);
                 v && (page_.text(i)[l.text.size()] == ':' ||
                       l.text.find(' ') != std::string_view::npos))
          value = v;
        if (!value) continue;
        if (istarts_with(*value, "see ")) {
          // A copy: `value` is replaced below while the target is still looked for.
          const std::string target(trim(std::string_view(*value).substr(4)));
          size_t at = page_.find_label(target, i + 1);
          value = at != npos && at + 1 < page_.size()
                      ? std::optional<std::string>(page_.text(at + 1))
                      : std::nullopt;
          // A table row "Detailed Description <value>".
          for (size_t k = i + 1; !value && k < page_.size(); ++k)
            if (istarts_with(page_.text(k), target) && page_.text(k).size() > target.size() + 1 &&
                page_.text(k)[target.size()] == ' ')
              value = std::string(trim(std::string_view(page_.text(k)).substr(target.size())));
          if (!value) continue;
        }
        std::string cleaned = clean_title(*value);
        if (auto defect = title_defect(cleaned, /*labelled=*/true)) {
          record_.warn(
              str_cat(l.field, ": dropped \"", cleaned.substr(0, 80), "\" (", *defect, ")"));
          continue;
        }
        if (!record_.has(l.field)) record_.set(l.field, cleaned);
      }
    }
  }

  void assign(const Label& label, const std::vector<std::string>& values) {
    const std::string& v = values.front();
    std::optional<std::string> type;
    if (!label.type.empty()) type = std::string(label.type);
    auto set_once = [&](const char* field, const std::string& value) {
      if (!record_.has(field)) record_.set(field, value);
    };
    // A value without its field's shape is dropped with a warning, never stored: a help text
    // under "Accepts Healthy Volunteers", a heading "Phase" above a table, a menu entry.
    auto shaped = [&](const char* field, bool ok) {
      if (!ok)
        record_.warn(
            str_cat(field, ": dropped \"", v.substr(0, 80), "\" (not the shape of its field)"));
      return ok;
    };
    switch (label.field) {
      case Field::status:
        if (shaped("overall_status", looks_like_status(v))) set_once("overall_status", v);
        break;
      case Field::phase:
        // "Phase: 2", "Phase III" split by a table cell: the number alone under the label.
        if (!looks_like_phase(v) && v.size() <= 8 && looks_like_phase("Phase " + v))
          set_once("phases", "Phase " + v);
        else if (shaped("phases", looks_like_phase(v)))
          set_once("phases", v);
        break;
      case Field::study_type:
        if (shaped("study_type", looks_like_study_type(v))) set_once("study_type", v);
        break;
      case Field::enrollment:
        if (!record_.has("enrollment") && shaped("enrollment", looks_like_enrollment(v)))
          record_.set_typed("enrollment", "count", v, type);
        break;
      case Field::sex:
        if (shaped("sex", looks_like_sex_value(v))) set_once("sex", v);
        break;
      case Field::ages:
        if (!looks_like_age(v) && split_age_and_sex(v)) break;
        if (shaped("minimum_age", looks_like_age(v)) && !record_.has("minimum_age")) {
          record_.set("minimum_age", v);
          record_.set("maximum_age", v);
        }
        break;
      case Field::min_age:
        if (shaped("minimum_age", looks_like_age(v) || is_no_limit(v))) set_once("minimum_age", v);
        break;
      case Field::max_age:
        if (shaped("maximum_age", looks_like_age(v) || is_no_limit(v))) set_once("maximum_age", v);
        break;
      case Field::healthy:
        if (shaped("healthy_volunteers", looks_like_healthy(v))) set_once("healthy_volunteers", v);
        break;
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
        if (!record_.has("start_date") && shaped("start_date", looks_like_date(v)))
          record_.set_typed("start_date", "date", v, type);
        break;
      case Field::primary_completion:
        if (!record_.has("primary_completion_date") &&
            shaped("primary_completion_date", looks_like_date(v)))
          record_.set_typed("primary_completion_date", "date", v, type);
        break;
      case Field::completion:
        if (!record_.has("completion_date") && shaped("completion_date", looks_like_date(v)))
          record_.set_typed("completion_date", "date", v, type);
        break;
      case Field::org_id:
      case Field::secondary_id:
        identifiers(label.field, values);
        break;
      case Field::summary:
        if (!record_.has("brief_summary")) record_.set("brief_summary", join(values, "\n\n"));
        break;
      case Field::description:
        if (!record_.has("detailed_description"))
          record_.set("detailed_description", join(values, "\n\n"));
        break;
      case Field::first_posted:
        if (shaped("first_posted", looks_like_date(v))) set_once("first_posted", v);
        break;
      case Field::last_update:
        if (shaped("last_update_posted", looks_like_date(v))) set_once("last_update_posted", v);
        break;
      case Field::last_verified:
        if (shaped("last_verified", looks_like_date(v))) set_once("last_verified", v);
        break;
    }
  }

  // "18 Years and older, Female", "18-85 All Genders": ages and sex in one value. The sex part is
  // taken; the age part only when it reads as an age (a bare "18-85" has no unit and is dropped).
  bool split_age_and_sex(const std::string& v) {
    size_t at = std::string::npos;
    for (std::string_view w : {"All Genders", "All Sexes", "Both Sexes", "Both", "Male and Female",
                               "Men and Women", "Female", "Male", "Women", "Men"}) {
      size_t found = ifind(v, w);
      if (found != std::string::npos && found > 0 && found < at) at = found;
    }
    if (at == std::string::npos) return false;
    std::string_view age = trim(std::string_view(v).substr(0, at));
    while (!age.empty() && (age.back() == ',' || age.back() == ';' || age.back() == '|'))
      age = trim(age.substr(0, age.size() - 1));
    std::string sex(trim(std::string_view(v).substr(at)));
    if (age.empty() || age.find_first_of("0123456789") == std::string_view::npos ||
        !looks_like_sex_value(sex))
      return false;
    if (!record_.has("sex")) record_.set("sex", sex);
    if (looks_like_age(age)) {
      if (!record_.has("minimum_age")) {
        record_.set("minimum_age", std::string(age));
        record_.set("maximum_age", std::string(age));
      }
    } else {
      record_.warn(str_cat("minimum_age: dropped \"", age, "\" (not the shape of its field)"));
    }
    return true;
  }

  // Protocol numbers under their label: "NRG-GY018 (primary)", one per line or comma-separated.
  // The first becomes org_study_id unless the label says secondary; the others secondary_ids.
  void identifiers(Field field, const std::vector<std::string>& values) {
    for (const auto& value : values) {
      for (auto& part : split_trimmed(value, ",")) {
        std::string id = strip_id_qualifier(part);
        if (!looks_like_identifier(id)) {
          record_.warn(str_cat("org_study_id: dropped \"", id.substr(0, 60),
                               "\" (not the shape of an identifier)"));
          continue;
        }
        add_identifier(id, field == Field::org_id);
      }
    }
  }

  void add_identifier(const std::string& id, bool may_be_org) {
    if (is_nct_id(id)) return;
    auto org = record_.get("org_study_id");
    if (org && fold_key(*org) == fold_key(id)) return;
    if (!org && may_be_org)
      record_.set("org_study_id", id);
    else
      record_.add_to_list("secondary_ids", id);
  }

  // A protocol number shown with the title: a short heading line that is only an ID ("NRG-LU008",
  // "SWOG S1418", "EA3191"), an ID before the title ("AHOD2131: A Randomized …") or in
  // parentheses after it ("… breast cancer (S1418)").
  void heading_identifiers() {
    for (size_t i = 0; i < page_.size() && i < 12; ++i) {
      std::string_view t = page_.text(i);
      if (own_line_label(page_, i) || line_label(t)) break;  // the fields begin: no more headings
      if (is_chrome_line(t)) continue;
      std::vector<std::string> found;
      if (t.size() <= 24) {
        for (auto& w : split_trimmed(t, " "))
          if (looks_like_protocol_number(w)) found.push_back(w);
      }
      size_t colon = t.find(": ");
      if (colon != std::string_view::npos && colon <= 24)
        for (auto& w : split_trimmed(t.substr(0, colon), " "))
          if (looks_like_protocol_number(w)) found.push_back(w);
      if (t.size() > 3 && t.back() == ')') {
        size_t open = t.rfind('(');
        if (open != std::string_view::npos)
          for (auto& w : split_trimmed(t.substr(open + 1, t.size() - open - 2), "/"))
            if (looks_like_protocol_number(w)) found.push_back(w);
      }
      for (const auto& id : found) add_identifier(id, true);
    }
  }

  // A line that is only a type word ("DRUG") gives the type of the name after it.
  void interventions(const std::vector<std::string>& values) {
    std::optional<std::string> type;
    for (const auto& value : values) {
      if (ends_like_label(value)) continue;  // "code：": a label, not a name
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
      while (!t.empty() && (t.back() == '-' || t.back() == ':' || t.back() == ' '))
        t.remove_suffix(1);
      if (iequals(t, heading)) return i;
    }
    return npos;
  }

  size_t section_end(size_t from) const {
    for (size_t i = from + 1; i < page_.size(); ++i)
      if (page_.is_any_label(
              i, {"Exclusion", "Inclusion", "Study Design", "Locations", "Contacts and Locations",
                  "Outcomes", "Arms", "Study information", "Sponsors", "Collaborators",
                  "Study Plan", "Contact", "Outcome Measures"}))
        return i;
    return page_.size();
  }

  const PageView& page_;
  ParsedRecord& record_;
};

}  // namespace

namespace {

// Headings above other trials (related, similar, recently viewed): their IDs are not the page's.
bool is_other_trials_heading(std::string_view line) {
  // A heading: short, a few words, no full stop ("find any related studies." is a help text).
  if (line.size() > 60 || line.empty() || line.back() == '.' || split_trimmed(line, " ").size() > 6)
    return false;
  for (std::string_view w :
       {"related", "similar", "recently viewed", "other trials", "other studies", "you may also",
        "more trials", "more studies", "also viewed", "nearby trials"})
    if (icontains(line, w)) return true;
  return false;
}

// The page's own NCT ID: the one under an identifier label, else the one the page names most
// often outside sections of other trials (first shown wins a tie). IDs of related trials go to
// related_nct_ids.
void own_nct_id(const PageView& page, ParsedRecord& record) {
  std::vector<std::pair<std::string, size_t>> counts;
  std::optional<std::string> labelled;
  bool others = false;
  for (size_t i = 0; i < page.size(); ++i) {
    std::string_view t = page.text(i);
    if (is_other_trials_heading(t)) others = true;
    for (const auto& id : find_all_nct_ids(t)) {
      if (others) {
        record.add_to_list("related_nct_ids", id);
        continue;
      }
      auto it =
          std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == id; });
      if (it == counts.end())
        counts.emplace_back(id, 1);
      else
        ++it->second;
      bool label_line = icontains(t, "NCT ID") || icontains(t, "NCT Number") ||
                        icontains(t, "Identifier") || icontains(t, "Registration number") ||
                        icontains(t, "NCT:");
      bool label_before =
          i > 0 && page.text(i).size() <= 12 &&
          (icontains(page.text(i - 1), "NCT") || icontains(page.text(i - 1), "Identifier") ||
           icontains(page.text(i - 1), "Registration number"));
      if (!labelled && (label_line || label_before)) labelled = id;
    }
  }
  if (labelled) {
    record.set("nct_id", labelled);
    return;
  }
  const std::pair<std::string, size_t>* best = nullptr;
  for (const auto& c : counts)
    if (!best || c.second > best->second) best = &c;
  if (best) record.set("nct_id", best->first);
}

}  // namespace

void extract_generic(const PageView& page, ParsedRecord& record) {
  GenericExtractor(page, record).run();
  own_nct_id(page, record);
}

}  // namespace trialmill
