#include "trialmill/parse/page_parser.hpp"

#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/parse/ctgov_archive.hpp"
#include "trialmill/parse/ctgov_v2_json.hpp"
#include "trialmill/parse/ctgov_xml.hpp"
#include "trialmill/parse/extractors.hpp"
#include "trialmill/parse/format_detect.hpp"
#include "trialmill/parse/page_kind.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

void check_bytes(std::string_view bytes) {
  if (trim(bytes).empty()) throw make_error("empty page");
  if (bytes.find('\0') != std::string_view::npos || control_byte_ratio(bytes) > 0.01)
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
  else if (format == kFormatCtgovArchive) extract_ctgov_archive(page, record);
  else throw make_error("no parser for format ", format);
}

// A page that does not show its NCT ID may still be known to be that trial's page: its URL names
// exactly one, or the listing that led to it did.
void take_nct_id_from_context(ParsedRecord& record, const PageInput& input) {
  if (record.has("nct_id")) return;
  if (input.nct_id && is_nct_id(*input.nct_id)) {
    record.set("nct_id", to_upper(*input.nct_id));
    record.warn("nct_id taken from the listing, not shown on the page");
    return;
  }
  if (!input.url) return;
  auto ids = find_all_nct_ids(*input.url);
  if (ids.size() != 1) return;
  record.set("nct_id", ids.front());
  record.warn("nct_id taken from the page's URL, not shown on the page");
}

size_t count_fields(const ParsedRecord& record) {
  size_t n = 0;
  for (const auto& m : record.doc().GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (name == "nct_id" || name == "source" || name == "parse_warnings") continue;
    if (!is_empty_value(m.value)) ++n;
  }
  return n;
}

}  // namespace

namespace {

JsonDocument parse_markup_page(std::string_view raw_bytes, PageForm form, const PageInput& input) {
  if (raw_bytes.size() > kMaxPageBytes)
    throw make_error("page too large: ", raw_bytes.size(), " bytes (limit ", kMaxPageBytes, ")");
  check_bytes(raw_bytes);
  std::string bytes = is_valid_utf8(raw_bytes) ? std::string(raw_bytes) : sanitize_utf8(raw_bytes);
  std::vector<PageLine> lines = form == PageForm::html ? lines_from_html(bytes) : lines_from_text(bytes);
  if (form == PageForm::text) unpipe_markdown_tables(lines);
  PageView page(std::move(lines));
  if (page.size() == 0) throw make_error("no visible text on the page");
  // Pages of the registry that are not one study's record, refused with what they are.
  if (is_archive_history_page(page)) {
    auto dates = archive_history_dates(page);
    throw make_error("ClinicalTrials.gov Archive history list (", dates.size(), " versions",
                     dates.empty() ? "" : str_cat(", ", dates.front(), " to ", dates.back()),
                     "), not a study record; give its version pages");
  }
  if (auto reason = ctgov_error_page_reason(page)) throw make_error(*reason);
  // Detection first: a format detected here (or named by the caller) takes precedence over the
  // gate's "no parser reads this", so a dedicated parser only needs its detection entry.
  std::optional<std::string> format = input.format;
  if (!format) format = detect_format(page, input.url.value_or(""));
  if (!format && is_interstitial(page))
    throw make_error("interstitial page (loading screen), no study content");
  if (!format)
    if (auto why = unread_markup(bytes, page)) throw make_error(*why);
  // The page-kind gate, in front of every extractor: only a page showing one trial goes on.
  if (auto why = not_one_trial(page)) throw make_error(*why);

  ParsedRecord record;
  if (format) {
    extract(*format, page, record);
  } else {
    extract_generic(page, record);
    format = std::string(kFormatGeneric);
  }
  take_nct_id_from_context(record, input);
  auto nct = record.get("nct_id");
  if (!nct || !is_nct_id(*nct)) {
    if (is_interstitial(page)) throw make_error("interstitial page (loading screen), no study content");
    if (*format != kFormatGeneric) throw make_error("no NCT ID found on the ", *format, " page");
    // Trial finders of hospitals and cancer centers show a protocol number or only a title: the
    // record goes on with nct_id null and the store resolves it against the trials it holds.
    // Without an NCT ID to anchor it, the page must show a heading that is a title (no closing
    // full stop: not a site's sentence) and at least two of the trial's fields besides it.
    auto title = record.get("brief_title");
    size_t titles = 1 + (record.has("official_title") ? 1 : 0);
    if (!title || title->back() == '.' || count_fields(record) < titles + 2)
      throw make_error("unrecognised page format");
    record.warn(record.has("org_study_id") || record.has("secondary_ids")
                    ? "nct_id not shown on the page: to be resolved by its protocol numbers or title"
                    : "nct_id not shown on the page: to be resolved by its title");
  }
  // The fallback must find the trial's own fields, not just an ID somewhere on an unknown page.
  // A title that passed its shape test counts as one of them.
  if (*format == kFormatGeneric && count_fields(record) < (record.has("brief_title") ? 2u : 3u))
    throw make_error("unrecognised page format");

  auto& doc = record.doc();
  auto& a = doc.GetAllocator();
  JsonValue& source = doc["source"];
  set_string(source, "format", *format, a);
  set_optional_string(source, "url", input.url, a);
  set_optional_string(source, "fetched_at", input.fetched_at, a);
  set_string(source, "sha256", sha256_hex(raw_bytes), a);
  // A past version of the study: the record is as of that date (see docs/parsed-record.md).
  if (*format == kFormatCtgovArchive) {
    auto date = archive_version_date(page);
    if (!date) throw make_error("ClinicalTrials.gov Archive page shows no version date");
    set_string(source, "version_date", *date, a);
  }
  return std::move(doc);
}

}  // namespace

void parse_page_records(std::string_view bytes, const PageInput& input,
                        const std::function<void(JsonDocument&&)>& emit,
                        const std::function<void(std::string&&)>& on_error) {
  // Only a page's start decides its form; a JSON page is never scanned whole for binary bytes.
  PageForm form = detect_form(bytes.substr(0, 4096));
  if (form == PageForm::json && (!input.format || *input.format == kFormatCtgovJson)) {
    for_each_ctgov_v2_study(bytes, input, emit,
                            [&](CtgovV2StudyError&& error) { on_error(std::move(error.message)); });
    return;
  }
  if (form == PageForm::json) throw make_error("JSON page given as format ", *input.format);
  // Documents whose format their first bytes tell (legacy XML) go to their reader, never to the
  // line-based detection or the generic reader.
  if (auto document = detect_document_format(bytes.substr(0, 4096))) {
    if (input.format && *input.format != *document)
      throw make_error(*document, " document given as format ", *input.format);
    emit(parse_ctgov_xml(bytes, input));
    return;
  }
  if (input.format && *input.format == kFormatCtgovXml) throw make_error("not a <clinical_study> XML document");
  emit(parse_markup_page(bytes, form, input));
}

std::vector<JsonDocument> parse_page(std::string_view bytes, const PageInput& input) {
  std::vector<JsonDocument> out;
  parse_page_records(
      bytes, input, [&](JsonDocument&& record) { out.push_back(std::move(record)); },
      [&](std::string&& message) { throw Error(message); });
  return out;
}

}  // namespace trialmill
