// trialx.com study pages: the title (shown twice), a row of unlabelled facts (status, ages, sex,
// phase), "Overview", "Eligibility", and "Study details" with conditions, NCT ID and sponsor.
#include "trialmill/error.hpp"
#include "trialmill/parse/extract_helpers.hpp"
#include "trialmill/parse/extractors.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

constexpr size_t npos = PageView::npos;

const std::initializer_list<std::string_view> kLabels = {
    "Powered by AI", "Overview", "Eligibility", "Inclusion Criteria", "Exclusion Criteria",
    "Study details", "Send a message", "FAQs", "Primary Contact", "Locations", "Sponsor"};

bool is_chrome(std::string_view line) { return iequals(line, "Image"); }

}  // namespace

void extract_trialx(const PageView& page, ParsedRecord& record) {
  size_t first_label = page.find_any_label(kLabels);
  std::vector<std::string> head;
  for (size_t i = 0; i < page.size() && i < first_label; ++i)
    if (!is_chrome(page.text(i))) head.push_back(page.text(i));
  size_t k = 0;
  if (!head.empty()) record.set("brief_title", head[k++]);
  while (k < head.size() && head[k] == head.front()) ++k;  // the title's second rendering
  // The fact row has no labels; each fact is recognised by its form.
  for (; k < head.size(); ++k) {
    const std::string& t = head[k];
    if (looks_like_phase(t)) record.set("phases", t);
    else if (looks_like_age(t)) {
      record.set("minimum_age", t);
      record.set("maximum_age", t);
    } else if (looks_like_sex(t)) record.set("sex", t);
    else if (looks_like_status(t)) record.set("overall_status", t);
    else record.warn(str_cat("unrecognised fact \"", t, "\" ignored"));
  }
  size_t overview = page.find_label("Overview");
  if (overview != npos) record.set("brief_summary", page.paragraphs(page.section_after(overview, kLabels)));

  size_t inc = page.find_label("Inclusion Criteria");
  size_t exc = page.find_label("Exclusion Criteria");
  std::string all;
  if (inc != npos) {
    Section s = page.section_after(inc, kLabels);
    record.set("inclusion_criteria", page.block(s));
    all = page.text(inc) + "\n" + page.block(s);
  }
  if (exc != npos) {
    Section s = page.section_after(exc, kLabels);
    record.set("exclusion_criteria", page.block(s));
    all += (all.empty() ? "" : "\n\n") + page.text(exc) + "\n" + page.block(s);
  }
  record.set("eligibility_criteria", all);

  // Study details: condition lines, the NCT ID, the sponsor, and a date without a label.
  size_t details = page.find_label("Study details");
  if (details != npos) {
    Section s = page.section_after(details, kLabels);
    size_t id_line = npos;
    for (size_t i = s.begin; i < s.end; ++i) {
      if (is_nct_id(page.text(i))) {
        id_line = i;
        break;
      }
    }
    if (id_line != npos) {
      record.set("nct_id", to_upper(page.text(id_line)));
      for (size_t i = s.begin; i < id_line; ++i) record.add_to_list("conditions", page.text(i));
      if (id_line + 1 < s.end) record.set_sponsor("lead_sponsor", page.text(id_line + 1), std::nullopt);
      for (size_t i = id_line + 2; i < s.end && i < id_line + 3; ++i)
        record.warn(str_cat("unlabelled date \"", page.text(i), "\" not assigned to a field"));
    }
  }
}

}  // namespace trialmill
