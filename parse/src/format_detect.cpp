#include "trialmill/parse/format_detect.hpp"

#include <array>
#include <string>

#include "trialmill/parse/ctgov_archive.hpp"
#include "trialmill/parse/ctgov_xml.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

struct Marker {
  std::string_view format;
  std::string_view text;  // a line equal to this (label match) or, with `prefix`, starting with it
  bool prefix;
  int weight;
};

// Lines that only one layout shows. A page needs a score of 3 to be recognised.
constexpr std::array kMarkers = {
    Marker{kFormatVeeva, "ClinicalTrials.Veeva", false, 3},
    Marker{kFormatVeeva, "Status and phase", false, 2},
    Marker{kFormatVeeva, "Details and patient eligibility", false, 2},
    Marker{kFormatVeeva, "Funder types", false, 2},
    Marker{kFormatVeeva, "Trial contacts and locations", false, 1},
    Marker{kFormatVeeva, "Data sourced from clinicaltrials.gov", false, 2},
    Marker{kFormatVeeva, "Volunteers", false, 1},
    Marker{kFormatVeeva, "Full description", false, 1},
    Marker{kFormatVeeva, "© Copyright 2026 Veeva Systems", false, 3},
    Marker{kFormatMeddatax, "Basic Information", false, 1},
    Marker{kFormatMeddatax, "Study Classification", false, 2},
    Marker{kFormatMeddatax, "Clinical Phase", false, 1},
    Marker{kFormatMeddatax, "Blinding Strategy", false, 2},
    Marker{kFormatMeddatax, "NCT ID:", true, 1},
    Marker{kFormatMeddatax, "Get a concise snapshot of the trial", true, 2},
    Marker{kFormatTrialx, "Powered by AI", false, 2},
    Marker{kFormatTrialx, "Step 1 Get in touch with the nearest study center", true, 2},
    Marker{kFormatTrialx, "We have submitted the contact information you provided to the research team at",
           true, 2},
    Marker{kFormatTrialx, "Study details", false, 1},
    Marker{kFormatCtgovHtml, "Recruitment Status :", true, 2},
    Marker{kFormatCtgovHtml, "ClinicalTrials.gov Identifier", true, 2},
    Marker{kFormatCtgovHtml, "Layout table for", true, 1},
    Marker{kFormatCtgovHtml, "First received:", true, 1},
    Marker{kFormatCtgovHtml, "First Posted :", true, 1},
    Marker{kFormatCtgovHtml, "Information from the National Library of Medicine", false, 1},
    Marker{kFormatCtgovHtml, "The safety and scientific validity of this study is the responsibility", true, 2},
    Marker{kFormatCtgovHtml, "Sponsors and Collaborators", false, 1},
};

}  // namespace

PageForm detect_form(std::string_view bytes) {
  std::string_view t = trim(bytes);
  if (!t.empty() && (t.front() == '{' || t.front() == '[')) return PageForm::json;
  if (!t.empty() && t.front() == '<') {
    std::string head = to_lower(t.substr(0, 512));
    if (head.find("<!doctype html") != std::string::npos || head.find("<html") != std::string::npos ||
        head.find("<body") != std::string::npos || head.find("<div") != std::string::npos ||
        head.find("<head") != std::string::npos || head.find("<!--") == 0 || head.find("<p") == 0)
      return PageForm::html;
  }
  return PageForm::text;
}

std::optional<std::string> detect_document_format(std::string_view bytes) {
  if (looks_like_ctgov_xml(bytes)) return std::string(kFormatCtgovXml);
  return std::nullopt;
}

std::optional<std::string> format_from_url(std::string_view url) {
  std::string u = to_lower(url);
  if (u.find("ctv.veeva.com") != std::string::npos) return std::string(kFormatVeeva);
  if (u.find("meddatax.com") != std::string::npos) return std::string(kFormatMeddatax);
  if (u.find("trialx.com") != std::string::npos) return std::string(kFormatTrialx);
  if (u.find("clinicaltrials.gov/api/") != std::string::npos) return std::string(kFormatCtgovJson);
  if (u.find("clinicaltrials.gov") != std::string::npos) return std::string(kFormatCtgovHtml);
  return std::nullopt;
}

std::optional<std::string> detect_format(const PageView& page, std::string_view url) {
  // An Archive version page is on clinicaltrials.gov too, but is no study page of the registry.
  if (archive_version_date(page)) return std::string(kFormatCtgovArchive);
  if (auto by_url = format_from_url(url); by_url && *by_url != kFormatCtgovJson) return by_url;
  std::array<int, 4> scores{};
  std::array<std::string_view, 4> formats = {kFormatVeeva, kFormatMeddatax, kFormatTrialx, kFormatCtgovHtml};
  // Per marker, computed once: its label key, and the long ones lower-cased for the search
  // anywhere in a line (done on a lower-cased copy of the line, which is the same
  // ASCII-insensitive match as icontains, with the library's fast find).
  static const auto keys = [] {
    std::array<std::string_view, kMarkers.size()> k{};
    for (size_t j = 0; j < kMarkers.size(); ++j) k[j] = label_key(kMarkers[j].text);
    return k;
  }();
  static const auto lowered = [] {
    std::array<std::string, kMarkers.size()> l{};
    for (size_t j = 0; j < kMarkers.size(); ++j)
      if (kMarkers[j].prefix && kMarkers[j].text.size() > 30) l[j] = to_lower(kMarkers[j].text);
    return l;
  }();
  // A label match or a prefix match needs the first letters to match: markers are skipped on
  // their first letter before any comparison.
  auto first_lower = [](std::string_view s) {
    char c = s.empty() ? '\0' : s.front();
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  static const auto key_first = [&] {
    std::array<char, kMarkers.size()> f{};
    for (size_t j = 0; j < kMarkers.size(); ++j)
      f[j] = first_lower(kMarkers[j].prefix ? kMarkers[j].text : keys[j]);
    return f;
  }();
  std::string lower_line;
  for (size_t i = 0; i < page.size(); ++i) {
    const std::string& t = page.text(i);
    std::string_view label = page.label_text(i);
    const char label_first = first_lower(label);
    const char text_first = first_lower(t);
    bool lower_done = false;
    for (size_t j = 0; j < kMarkers.size(); ++j) {
      const Marker& m = kMarkers[j];
      bool hit = false;
      if (!m.prefix) {
        hit = label_first == key_first[j] && label.size() == keys[j].size() && iequals(label, keys[j]);
      } else if (text_first == key_first[j] && t.size() >= m.text.size() && istarts_with(t, m.text)) {
        hit = true;
      } else if (m.text.size() > 30 && t.size() >= m.text.size()) {
        if (!lower_done) {
          lower_line = to_lower(t);
          lower_done = true;
        }
        hit = lower_line.find(lowered[j]) != std::string::npos;
      }
      if (!hit) continue;
      for (size_t f = 0; f < formats.size(); ++f)
        if (formats[f] == m.format) scores[f] += m.weight;
    }
  }
  size_t best = 0;
  for (size_t f = 1; f < scores.size(); ++f)
    if (scores[f] > scores[best]) best = f;
  if (scores[best] < 3) return std::nullopt;
  return std::string(formats[best]);
}

}  // namespace trialmill
