#include "trialmill/parse/page_parser.hpp"

#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/parse/extractors.hpp"
#include "trialmill/parse/format_detect.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

void check_bytes(const std::string& bytes) {
  if (trim(bytes).empty()) throw make_error("empty page");
  if (bytes.find('\0') != std::string::npos || control_byte_ratio(bytes) > 0.01)
    throw make_error("binary content, not a page");
}

// A page that is only a loading screen or a challenge: nothing of the study in it.
bool is_interstitial(const PageView& page) {
  if (page.size() > 8) return false;
  for (size_t i = 0; i < page.size(); ++i)
    if (icontains(page.text(i), "Working...") || icontains(page.text(i), "Loading") ||
        icontains(page.text(i), "Just a moment") || icontains(page.text(i), "Checking your browser"))
      return true;
  return false;
}

void extract(const std::string& format, const PageView& page, ParsedRecord& record) {
  if (format == kFormatVeeva) extract_veeva(page, record);
  else if (format == kFormatCtgovHtml) extract_ctgov_text(page, record);
  else if (format == kFormatMeddatax) extract_meddatax(page, record);
  else if (format == kFormatTrialx) extract_trialx(page, record);
  else throw make_error("no parser for format ", format);
}

}  // namespace

std::vector<JsonDocument> parse_page(const std::string& raw_bytes, const PageInput& input) {
  check_bytes(raw_bytes);
  std::string bytes = is_valid_utf8(raw_bytes) ? raw_bytes : sanitize_utf8(raw_bytes);
  PageForm form = detect_form(bytes);
  if (form == PageForm::json) throw make_error("ClinicalTrials.gov API JSON is not supported yet");
  PageView page(form == PageForm::html ? lines_from_html(bytes) : lines_from_text(bytes));
  if (page.size() == 0) throw make_error("no visible text on the page");

  std::optional<std::string> format = input.format;
  if (!format) format = detect_format(page, input.url.value_or(""));
  if (!format) {
    if (is_interstitial(page)) throw make_error("interstitial page (loading screen), no study content");
    throw make_error("unrecognised page format");
  }

  ParsedRecord record;
  extract(*format, page, record);
  auto nct = record.get("nct_id");
  if (!nct || !is_nct_id(*nct)) {
    if (is_interstitial(page)) throw make_error("interstitial page (loading screen), no study content");
    throw make_error("no NCT ID found on the ", *format, " page");
  }

  auto& doc = record.doc();
  auto& a = doc.GetAllocator();
  JsonValue& source = doc["source"];
  set_string(source, "format", *format, a);
  set_optional_string(source, "url", input.url, a);
  set_optional_string(source, "fetched_at", input.fetched_at, a);
  set_string(source, "sha256", sha256_hex(raw_bytes), a);
  std::vector<JsonDocument> out;
  out.push_back(std::move(doc));
  return out;
}

}  // namespace trialmill
