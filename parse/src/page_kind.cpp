// The page-kind gate. Each test reads the page's line stream for what a reader would see at a
// glance: an error heading with nothing of a trial around it, a table of dated versions, a
// results count over many trials, a cookie notice and nothing else. The tests are by kind of
// page, not by site, so that pages of sites no one here has seen are judged the same way.
#include "trialmill/parse/page_kind.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "trialmill/error.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

// Labels that trial pages of every kind of site show beside their values. A page with several
// of them is a trial page even when it also shows an error or cookie line somewhere.
constexpr std::array<std::string_view, 30> kTrialLabels = {"status",
                                                           "recruitment status",
                                                           "overall status",
                                                           "phase",
                                                           "phases",
                                                           "trial phase",
                                                           "study type",
                                                           "eligibility",
                                                           "eligibility criteria",
                                                           "inclusion criteria",
                                                           "exclusion criteria",
                                                           "sponsor",
                                                           "lead sponsor",
                                                           "condition",
                                                           "conditions",
                                                           "intervention",
                                                           "interventions",
                                                           "enrollment",
                                                           "gender",
                                                           "sex",
                                                           "age",
                                                           "ages",
                                                           "brief summary",
                                                           "summary",
                                                           "official title",
                                                           "start date",
                                                           "primary outcome",
                                                           "study design",
                                                           "protocol id",
                                                           "nct number"};

bool is_trial_label(std::string_view label) {
  std::string key = fold_key(label);
  for (auto l : kTrialLabels)
    if (key == l) return true;
  return false;
}

size_t count_trial_labels(const PageView& page) {
  size_t n = 0;
  for (size_t i = 0; i < page.size(); ++i) {
    std::string_view t = page.text(i);
    if (t.size() > 40) {
      // "Status: Recruiting" — the label before a colon.
      size_t colon = t.find(':');
      if (colon == std::string_view::npos || colon > 40) continue;
      t = t.substr(0, colon);
    }
    if (is_trial_label(label_key(t))) ++n;
  }
  return n;
}

// Headings of error pages: the page has nothing else to say.
constexpr std::array<std::string_view, 12> kErrorHeadings = {
    "an error has occurred", "error",          "page not found", "404",
    "404 not found",         "error 404",      "not found",      "500 internal server error",
    "study not found",       "no study found", "access denied",  "forbidden"};

bool is_error_heading(std::string_view line) {
  std::string key = fold_key(line);
  for (auto e : kErrorHeadings)
    if (key == e) return true;
  return false;
}

bool is_error_sentence(std::string_view line) {
  return icontains(line, "page cannot be displayed") || icontains(line, "page cannot be found") ||
         icontains(line, "page could not be found") || icontains(line, "page you requested") ||
         icontains(line, "page you are looking for") || icontains(line, "invalid nct id") ||
         icontains(line, "is not a valid nct") || icontains(line, "no study with the id");
}

std::optional<std::string> error_page(const PageView& page, size_t trial_labels) {
  if (trial_labels >= 3) return std::nullopt;
  bool heading = false;
  std::string sentence;
  for (size_t i = 0; i < page.size(); ++i) {
    if (is_error_heading(page.text(i))) heading = true;
    if (sentence.empty() && is_error_sentence(page.text(i))) sentence = page.text(i);
  }
  if (!heading && sentence.empty()) return std::nullopt;
  if (!sentence.empty()) {
    if (sentence.size() > 100) sentence = sentence.substr(0, 97) + "...";
    return str_cat("error page, not a trial: \"", sentence, "\"");
  }
  // A bare "Error" heading alone is weak: require that the page shows nothing of a trial.
  if (trial_labels == 0)
    return std::string("error page, not a trial (an error heading and no trial fields)");
  return std::nullopt;
}

// "2005_06_23", "2005-06-23", "June 23, 2005" at the start of a line: a row of a version table.
bool starts_with_date(std::string_view t) {
  if (t.size() >= 10 && std::isdigit(static_cast<unsigned char>(t[0])) &&
      std::isdigit(static_cast<unsigned char>(t[3])) &&
      (t[4] == '_' || t[4] == '-' || t[4] == '/') && std::isdigit(static_cast<unsigned char>(t[5])))
    return true;
  return false;
}

std::optional<std::string> history_list(const PageView& page) {
  size_t heading = PageView::npos;
  for (size_t i = 0; i < page.size() && heading == PageView::npos; ++i) {
    std::string_view t = page.text(i);
    if ((istarts_with(t, "History of NCT") && t.size() <= 24) ||
        page.is_any_label(i, {"History of Changes", "Study Record Versions", "Record History",
                              "Version History"}))
      heading = i;
  }
  if (heading == PageView::npos) return std::nullopt;
  size_t dated = 0;
  for (size_t i = heading + 1; i < page.size(); ++i)
    if (starts_with_date(page.text(i))) ++dated;
  if (dated < 2) return std::nullopt;
  std::string what = page.text(heading);
  return str_cat("history list of a study's versions (\"", what, "\", ", dated,
                 " versions), not a trial record");
}

// Headings above other trials on a trial's page: their NCT IDs are not the page's trial.
bool is_related_heading(std::string_view line) {
  // A heading: short, a few words, no full stop ("find any related studies." is a help text).
  if (line.size() > 60 || line.empty() || line.back() == '.' || split_trimmed(line, " ").size() > 6)
    return false;
  return icontains(line, "related") || icontains(line, "similar") ||
         icontains(line, "recently viewed") || icontains(line, "other trials") ||
         icontains(line, "other studies") || icontains(line, "you may also") ||
         icontains(line, "more trials") || icontains(line, "more studies") ||
         icontains(line, "also viewed");
}

bool is_results_count(std::string_view line) {
  if (line.size() > 80) return false;
  std::string key = fold_key(line);
  if (key == "search results" || istarts_with(key, "search results for") ||
      istarts_with(key, "showing results"))
    return true;
  // "1,234 results", "25 studies found", "Showing 1-10 of 120 trials"
  if (istarts_with(key, "showing ") && key.find(" of ") != std::string::npos) return true;
  size_t i = 0;
  while (i < key.size() && (std::isdigit(static_cast<unsigned char>(key[i])) || key[i] == ' ')) ++i;
  if (i == 0) return false;
  std::string_view rest = std::string_view(key).substr(i);
  return istarts_with(rest, "results") || istarts_with(rest, "studies found") ||
         istarts_with(rest, "trials found") || istarts_with(rest, "matching");
}

std::optional<std::string> listing(const PageView& page) {
  std::map<std::string, size_t> ids;  // NCT ID -> lines naming it, outside related sections
  bool results_count = false;
  bool related = false;
  for (size_t i = 0; i < page.size(); ++i) {
    std::string_view t = page.text(i);
    if (is_related_heading(t)) related = true;
    if (is_results_count(t)) results_count = true;
    if (related) continue;
    for (const auto& id : find_all_nct_ids(t)) ++ids[id];
  }
  if (results_count && ids.size() >= 2)
    return str_cat("listing or search results page (", ids.size(),
                   " trials), not one trial's page");
  if (ids.size() < 5) return std::nullopt;
  size_t total = 0, top = 0;
  for (const auto& [id, n] : ids) {
    total += n;
    top = std::max(top, n);
  }
  // A trial's page names its own ID again and again; a listing names each of its trials once.
  if (top * 3 >= total) return std::nullopt;
  return str_cat("listing page of ", ids.size(), " trials, not one trial's page");
}

std::optional<std::string> cookie_wall(const PageView& page) {
  size_t cookie = 0, content = 0;
  for (size_t i = 0; i < page.size(); ++i) {
    std::string_view t = page.text(i);
    if (icontains(t, "cookie"))
      ++cookie;
    else if (!is_chrome_line(t) && t.size() > 3)
      ++content;
  }
  if (cookie == 0 || content >= 5) return std::nullopt;
  return std::string("cookie wall: the page shows a cookie notice and no trial");
}

// The root element of an XML document: the first start tag after the prolog, comments and
// doctype. Empty when the bytes do not start with markup.
std::string root_element(std::string_view bytes) {
  std::string_view t = trim(bytes);
  if (t.size() >= 3 && static_cast<unsigned char>(t[0]) == 0xEF) t = t.substr(3);  // UTF-8 BOM
  size_t i = 0;
  while (i < t.size()) {
    while (i < t.size() && is_space(t[i])) ++i;
    if (i >= t.size() || t[i] != '<') return {};
    if (t.compare(i, 4, "<!--") == 0) {
      size_t end = t.find("-->", i);
      if (end == std::string_view::npos) return {};
      i = end + 3;
    } else if (t.compare(i, 2, "<?") == 0 || t.compare(i, 2, "<!") == 0) {
      size_t end = t.find('>', i);
      if (end == std::string_view::npos) return {};
      i = end + 1;
    } else {
      size_t start = i + 1, end = start;
      while (end < t.size() && !is_space(t[end]) && t[end] != '>' && t[end] != '/') ++end;
      return std::string(t.substr(start, end - start));
    }
  }
  return {};
}

bool shows_history_link(const PageView& page) {
  for (size_t i = 0; i < page.size() && i < 30; ++i)
    if (icontains(page.text(i), "History of this study")) return true;
  return false;
}

}  // namespace

bool is_chrome_line(std::string_view line) {
  std::string_view t = trim(line);
  while (!t.empty() && (t.front() == '>' || t.front() == '|')) t = trim(t.substr(1));  // "> Skip repeated content"
  if (t.empty()) return true;
  if (icontains(t, "cookie")) return true;
  if (istarts_with(t, "skip to") || istarts_with(t, "skip navigation") ||
      istarts_with(t, "jump to"))
    return true;
  if (icontains(t, "official website of") || icontains(t, "here's how you know") ||
      icontains(t, "enable javascript") || icontains(t, "javascript is disabled") ||
      icontains(t, "browser is out of date") || icontains(t, "will be unattended"))
    return true;
  if (istarts_with(t, "please note") || istarts_with(t, "notice:") ||
      istarts_with(t, "important:") || istarts_with(t, "☰") || istarts_with(t, "©") ||
      istarts_with(t, "copyright"))
    return true;
  // Breadcrumbs: "Home > Clinical Trials > Cancer", "Home / Research / Trials".
  for (std::string_view sep : {" > ", " » ", " / ", " | "}) {
    size_t n = 0;
    for (size_t at = t.find(sep); at != std::string_view::npos; at = t.find(sep, at + 1)) ++n;
    if (n >= 2 && istarts_with(t, "home")) return true;
  }
  // Images' alternative text and site headers run into one line: "Flag of the European Union EU
  // Clinical Trials Register Help", "Site logo".
  if (istarts_with(t, "flag of") || istarts_with(t, "logo") || iends_with(t, " logo") ||
      istarts_with(t, "decorative "))
    return true;
  std::string key = fold_key(t);
  {
    auto words = split_trimmed(key, " ");
    static constexpr std::array<std::string_view, 9> kBarEnds = {
        "help", "login", "log in", "sign in", "menu", "faq", "faqs", "english", "search"};
    if (words.size() >= 2 && words.size() <= 8)
      for (auto end : kBarEnds)
        if (words.back() == end) return true;
  }
  static constexpr std::array<std::string_view, 32> kMenu = {"home",
                                                             "menu",
                                                             "search",
                                                             "main menu",
                                                             "close",
                                                             "back",
                                                             "print",
                                                             "share",
                                                             "email",
                                                             "login",
                                                             "log in",
                                                             "sign in",
                                                             "sign up",
                                                             "register",
                                                             "contact",
                                                             "contact us",
                                                             "about",
                                                             "about us",
                                                             "donate",
                                                             "find a trial",
                                                             "find a clinical trial",
                                                             "find studies",
                                                             "search text",
                                                             "submit search",
                                                             "back to search results",
                                                             "back to results",
                                                             "toggle navigation",
                                                             "open menu",
                                                             "close menu",
                                                             "print this page",
                                                             "share this page",
                                                             "accept"};
  for (auto m : kMenu)
    if (key == m) return true;
  return false;
}

std::optional<std::string> not_one_trial(const PageView& page) {
  size_t labels = count_trial_labels(page);
  if (auto why = error_page(page, labels)) return why;
  if (auto why = history_list(page)) return why;
  if (auto why = listing(page)) return why;
  if (labels < 2)
    if (auto why = cookie_wall(page)) return why;
  return std::nullopt;
}

std::optional<std::string> unread_markup(std::string_view bytes, const PageView& page) {
  std::string root = root_element(bytes.substr(0, 8192));
  if (!root.empty() && !iequals(root, "html")) {
    std::string_view t = trim(bytes);
    bool xml = istarts_with(t, "<?xml") || (!iequals(root, "body") && !iequals(root, "div") &&
                                            !iequals(root, "head") && !iequals(root, "p"));
    if (xml) return str_cat("XML document <", root, ">: no parser reads this format");
  }
  // A dated version of a study on the ClinicalTrials.gov Archive site: "View of NCT… on <date>".
  for (size_t i = 0; i < page.size() && i < 30; ++i)
    if (istarts_with(page.text(i), "View of NCT") && shows_history_link(page))
      return str_cat("ClinicalTrials.gov Archive version page (\"", page.text(i),
                     "\"): no parser reads this format");
  // Markup shown as text: most lines are tags.
  size_t tags = 0;
  for (size_t i = 0; i < page.size(); ++i) {
    std::string_view t = page.text(i);
    if (!t.empty() && t.front() == '<' && t.back() == '>') ++tags;
  }
  if (page.size() >= 5 && tags * 2 >= page.size())
    return std::string("markup that no parser reads (most lines are tags)");
  return std::nullopt;
}

}  // namespace trialmill
