// Eligibility thresholds: parameter names, comparators, numbers and units read off the tokens of
// one criterion. A phrase is either "<parameter> [filler] <bound> [, and/or <bound>]..." or an
// age written value-first ("18-70 years of age"). Every step looks a bounded number of tokens
// ahead, so a criterion is scanned in linear time.
#include "trialmill/normalize/thresholds.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "trialmill/error.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

using threshold_detail::Tk;
using threshold_detail::Token;
using threshold_detail::TokenList;
using threshold_detail::tokenize;
using Params = std::vector<std::string_view>;

// ---- parameter names -------------------------------------------------------------------------

enum AliasFlag : unsigned {
  kExactCase = 1,        // "Cr", "TB", "PT", "eGFR": only as written
  kNeedsComparator = 2,  // "TB", "PT": only when a comparator follows at once
};

struct AliasSpec {
  std::string_view text;
  std::string_view params;  // one or more canonical names, space-separated
  unsigned flags = 0;
};

// Names as they appear in criteria -> canonical parameters. The longest match wins.
// clang-format off
constexpr AliasSpec kAliases[] = {
    {"age", "AGE"}, {"aged", "AGE"}, {"ages", "AGE"},
    {"ECOG", "ECOG"}, {"Eastern Cooperative Oncology Group", "ECOG"}, {"Zubrod", "ECOG"},
    {"Karnofsky", "KARNOFSKY"}, {"KPS", "KARNOFSKY"},
    {"Karnofsky performance status", "KARNOFSKY"}, {"Karnofsky performance score", "KARNOFSKY"},
    {"Karnofsky score", "KARNOFSKY"},
    {"life expectancy", "LIFE_EXPECTANCY"}, {"expected survival", "LIFE_EXPECTANCY"},
    {"expected survival time", "LIFE_EXPECTANCY"}, {"estimated survival", "LIFE_EXPECTANCY"},
    {"estimated life expectancy", "LIFE_EXPECTANCY"}, {"expected lifetime", "LIFE_EXPECTANCY"},
    {"survival expectancy", "LIFE_EXPECTANCY"}, {"predicted survival", "LIFE_EXPECTANCY"},
    {"life expectation", "LIFE_EXPECTANCY"}, {"expected life span", "LIFE_EXPECTANCY"},
    {"expected lifespan", "LIFE_EXPECTANCY"}, {"anticipated life expectancy", "LIFE_EXPECTANCY"},
    {"hemoglobin", "HEMOGLOBIN"}, {"haemoglobin", "HEMOGLOBIN"}, {"Hb", "HEMOGLOBIN"},
    {"Hgb", "HEMOGLOBIN"}, {"hematocrit", "HEMATOCRIT"}, {"haematocrit", "HEMATOCRIT"},
    {"HCT", "HEMATOCRIT", kExactCase},
    {"WBC", "WBC"}, {"white blood cell", "WBC"}, {"white blood cells", "WBC"},
    {"white blood cell count", "WBC"}, {"white blood count", "WBC"}, {"white cell count", "WBC"},
    {"leukocyte count", "WBC"}, {"leukocytes", "WBC"}, {"leucocytes", "WBC"},
    {"leucocyte count", "WBC"},
    {"ANC", "ANC"}, {"absolute neutrophil count", "ANC"}, {"absolute neutrophils count", "ANC"},
    {"absolute neutrophil", "ANC"}, {"neutrophil count", "ANC"}, {"neutrophils", "ANC"},
    {"neutrophil", "ANC"}, {"neutrophil granulocytes", "ANC"},
    {"neutrophil-to-lymphocyte ratio", "NLR"}, {"neutrophil to lymphocyte ratio", "NLR"},
    {"NLR", "NLR"},
    {"lymphocyte count", "LYMPHOCYTES"}, {"absolute lymphocyte count", "LYMPHOCYTES"},
    {"lymphocytes", "LYMPHOCYTES"}, {"ALC", "LYMPHOCYTES", kExactCase},
    {"PLT", "PLATELETS"}, {"platelet", "PLATELETS"}, {"platelets", "PLATELETS"},
    {"platelet count", "PLATELETS"}, {"platelet counts", "PLATELETS"},
    {"blood platelet", "PLATELETS"}, {"thrombocytes", "PLATELETS"},
    {"thrombocyte count", "PLATELETS"},
    {"bilirubin", "BILIRUBIN"}, {"total bilirubin", "BILIRUBIN"}, {"serum bilirubin", "BILIRUBIN"},
    {"TBIL", "BILIRUBIN"}, {"T-BIL", "BILIRUBIN"}, {"BIL", "BILIRUBIN"},
    {"TB", "BILIRUBIN", kExactCase | kNeedsComparator},
    {"direct bilirubin", "DIRECT_BILIRUBIN"}, {"conjugated bilirubin", "DIRECT_BILIRUBIN"},
    {"ALT", "ALT"}, {"alanine aminotransferase", "ALT"}, {"alanine transaminase", "ALT"},
    {"alanine amino transferase", "ALT"}, {"SGPT", "ALT"}, {"GPT", "ALT", kExactCase},
    {"glutamic pyruvic transaminase", "ALT"},
    {"AST", "AST"}, {"aspartate aminotransferase", "AST"}, {"aspartate transaminase", "AST"},
    {"aspartate amino transferase", "AST"}, {"SGOT", "AST"}, {"GOT", "AST", kExactCase},
    {"glutamic oxaloacetic transaminase", "AST"},
    {"transaminases", "ALT AST"}, {"aminotransferases", "ALT AST"},
    {"alkaline phosphatase", "ALP"}, {"ALP", "ALP"}, {"AKP", "ALP"},
    {"GGT", "GGT"}, {"gamma-glutamyl transferase", "GGT"},
    {"creatinine", "CREATININE"}, {"serum creatinine", "CREATININE"},
    {"Cr", "CREATININE", kExactCase}, {"SCr", "CREATININE"},
    {"creatinine clearance", "CREATININE_CLEARANCE"}, {"CrCl", "CREATININE_CLEARANCE"},
    {"CCr", "CREATININE_CLEARANCE"}, {"CLcr", "CREATININE_CLEARANCE"},
    {"endogenous creatinine clearance", "CREATININE_CLEARANCE"},
    {"calculated creatinine clearance", "CREATININE_CLEARANCE"},
    {"estimated creatinine clearance", "CREATININE_CLEARANCE"},
    {"measured creatinine clearance", "CREATININE_CLEARANCE"},
    {"eGFR", "GFR", kExactCase}, {"GFR", "GFR"}, {"glomerular filtration rate", "GFR"},
    {"estimated glomerular filtration rate", "GFR"},
    {"BUN", "BUN"}, {"blood urea nitrogen", "BUN"}, {"urea nitrogen", "BUN"},
    {"INR", "INR"}, {"international normalized ratio", "INR"},
    {"international normalised ratio", "INR"}, {"PT-INR", "INR"},
    {"APTT", "APTT"}, {"PTT", "APTT"}, {"activated partial thromboplastin time", "APTT"},
    {"partial thromboplastin time", "APTT"},
    {"prothrombin time", "PROTHROMBIN_TIME"},
    {"PT", "PROTHROMBIN_TIME", kExactCase | kNeedsComparator},
    {"QTc", "QTC"}, {"QTcF", "QTC"}, {"QTcB", "QTC"}, {"corrected QT interval", "QTC"},
    {"corrected QT", "QTC"}, {"QT corrected", "QTC"},
    {"LVEF", "LVEF"}, {"left ventricular ejection fraction", "LVEF"},
    {"ejection fraction", "LVEF"},
    {"systolic blood pressure", "BLOOD_PRESSURE_SYSTOLIC"},
    {"systolic pressure", "BLOOD_PRESSURE_SYSTOLIC"}, {"systolic BP", "BLOOD_PRESSURE_SYSTOLIC"},
    {"SBP", "BLOOD_PRESSURE_SYSTOLIC"},
    {"diastolic blood pressure", "BLOOD_PRESSURE_DIASTOLIC"},
    {"diastolic pressure", "BLOOD_PRESSURE_DIASTOLIC"},
    {"diastolic BP", "BLOOD_PRESSURE_DIASTOLIC"}, {"DBP", "BLOOD_PRESSURE_DIASTOLIC"},
    {"blood pressure", "BLOOD_PRESSURE"}, {"BP", "BLOOD_PRESSURE", kExactCase},
    {"albumin", "ALBUMIN"}, {"serum albumin", "ALBUMIN"}, {"ALB", "ALBUMIN"},
    {"FEV1", "FEV1"}, {"forced expiratory volume in 1 second", "FEV1"},
    {"forced expiratory volume in one second", "FEV1"},
    {"DLCO", "DLCO"}, {"SpO2", "OXYGEN_SATURATION"}, {"oxygen saturation", "OXYGEN_SATURATION"},
    {"BMI", "BMI"}, {"body mass index", "BMI"}, {"body weight", "BODY_WEIGHT"},
    {"M protein", "M_PROTEIN"}, {"M-protein", "M_PROTEIN"}, {"monoclonal protein", "M_PROTEIN"},
    {"M spike", "M_PROTEIN"}, {"M-spike", "M_PROTEIN"}, {"paraprotein", "M_PROTEIN"},
    {"monoclonal gammaglobulin", "M_PROTEIN"}, {"monoclonal globulin", "M_PROTEIN"},
    {"monoclonal immunoglobulin", "M_PROTEIN"},
    {"urinary M protein", "URINE_M_PROTEIN"}, {"urine M protein", "URINE_M_PROTEIN"},
    {"urinary M-protein", "URINE_M_PROTEIN"}, {"urine M-protein", "URINE_M_PROTEIN"},
    {"urine monoclonal protein", "URINE_M_PROTEIN"},
    {"free light chain", "FREE_LIGHT_CHAIN"}, {"free light chains", "FREE_LIGHT_CHAIN"},
    {"FLC", "FREE_LIGHT_CHAIN"}, {"iFLC", "FREE_LIGHT_CHAIN"},
    {"fasting blood glucose", "FASTING_GLUCOSE"}, {"fasting glucose", "FASTING_GLUCOSE"},
    {"fasting plasma glucose", "FASTING_GLUCOSE"}, {"fasting blood sugar", "FASTING_GLUCOSE"},
    {"FBG", "FASTING_GLUCOSE"}, {"FPG", "FASTING_GLUCOSE"},
    {"blood glucose", "GLUCOSE"}, {"glucose", "GLUCOSE"},
    {"HbA1c", "HBA1C"}, {"glycated hemoglobin", "HBA1C"}, {"glycosylated hemoglobin", "HBA1C"},
    {"HBV DNA", "HBV_DNA"}, {"HBV-DNA", "HBV_DNA"}, {"hepatitis B virus DNA", "HBV_DNA"},
    {"hepatitis B virus (HBV) DNA", "HBV_DNA"},
    {"HCV RNA", "HCV_RNA"}, {"HCV-RNA", "HCV_RNA"}, {"hepatitis C virus (HCV) RNA", "HCV_RNA"},
    {"24-hour urine protein", "URINE_PROTEIN_24H"}, {"24 hour urine protein", "URINE_PROTEIN_24H"},
    {"24-hour urinary protein", "URINE_PROTEIN_24H"}, {"24-h urine protein", "URINE_PROTEIN_24H"},
    {"24h urine protein", "URINE_PROTEIN_24H"}, {"24-hour protein", "URINE_PROTEIN_24H"},
    {"24-hour proteinuria", "URINE_PROTEIN_24H"}, {"proteinuria", "PROTEINURIA"},
    {"urine protein-to-creatinine ratio", "UPCR"}, {"urine protein creatinine ratio", "UPCR"},
    {"UPCR", "UPCR"},
    {"potassium", "POTASSIUM"}, {"sodium", "SODIUM"}, {"calcium", "CALCIUM"},
    {"magnesium", "MAGNESIUM"}, {"LDH", "LDH"}, {"lactate dehydrogenase", "LDH"},
    {"PSA", "PSA"}, {"prostate-specific antigen", "PSA"}, {"prostate specific antigen", "PSA"},
    {"CD4", "CD4_COUNT"},
};
// clang-format on

struct Alias {
  std::vector<std::string> norms;  // token norms
  std::vector<std::string> raws;   // token text as written (exact-case aliases)
  Params params;
  unsigned flags = 0;
};

struct AliasMatch {
  const Alias* alias = nullptr;
  size_t end = 0;  // token after the match
};

class AliasIndex {
 public:
  AliasIndex() {
    for (const AliasSpec& spec : kAliases) {
      Alias a;
      for (const Token& t : tokenize(spec.text)) {
        a.norms.emplace_back(t.norm);
        a.raws.emplace_back(spec.text.substr(t.begin, t.end - t.begin));
      }
      std::string_view rest = spec.params;
      while (!rest.empty()) {
        size_t sp = rest.find(' ');
        a.params.push_back(rest.substr(0, sp));
        rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
      }
      a.flags = spec.flags;
      aliases_.push_back(std::move(a));
    }
    // (Keys are views of the aliases' own first words, which stay where they are from here on.)
    for (size_t i = 0; i < aliases_.size(); ++i) by_first_[aliases_[i].norms[0]].push_back(i);
    for (const auto& entry : by_first_) maybe_first_[quick_key(entry.first)] = true;
  }

  // The longest alias starting at token i.
  // False when no alias can start with this token: not a word or number, or no first word of
  // that length and first two bytes (most words).
  bool may_start(const Token& t) const {
    return (t.type == Tk::word || t.type == Tk::number) && maybe_first_[quick_key(t.norm)];
  }

  AliasMatch match(std::string_view text, const std::vector<Token>& t, size_t i) const {
    AliasMatch best;
    if (i >= t.size() || !may_start(t[i])) return best;
    auto found = by_first_.find(t[i].norm);
    if (found == by_first_.end()) return best;
    for (size_t index : found->second) {
      const Alias& a = aliases_[index];
      if (i + a.norms.size() > t.size() || i + a.norms.size() <= best.end) continue;
      bool ok = true;
      for (size_t k = 0; ok && k < a.norms.size(); ++k) {
        const Token& tok = t[i + k];
        ok = tok.norm == a.norms[k] &&
             (!(a.flags & kExactCase) || text.substr(tok.begin, tok.end - tok.begin) == a.raws[k]);
      }
      if (ok) best = {&a, i + a.norms.size()};
    }
    return best;
  }

 private:
  std::vector<Alias> aliases_;
  std::unordered_map<std::string_view, std::vector<size_t>> by_first_;
  // A filter before the hash look-up: (length, first two bytes) of every first word.
  static size_t quick_key(std::string_view w) {
    size_t len = std::min<size_t>(w.size(), 31);
    auto c0 = static_cast<unsigned char>(w.empty() ? 0 : w[0]) & 0x7F;
    auto c1 = static_cast<unsigned char>(w.size() < 2 ? 0 : w[1]) & 0x7F;
    return (len << 14) | (c0 << 7) | c1;
  }
  std::vector<bool> maybe_first_ = std::vector<bool>(size_t{32} << 14);
};

const AliasIndex& alias_index() {
  static const AliasIndex index;
  return index;
}

// ---- comparators in words ---------------------------------------------------------------------

struct WordComparatorSpec {
  std::string_view words;
  std::string_view cmp;
};

// clang-format off
constexpr WordComparatorSpec kWordComparators[] = {
    {"greater than or equal to", ">="}, {"more than or equal to", ">="},
    {"higher than or equal to", ">="}, {"greater than or equal", ">="},
    {"equal to or greater than", ">="}, {"equal to or more than", ">="},
    {"equal to or higher than", ">="}, {"equal or greater than", ">="},
    {"less than or equal to", "<="}, {"lower than or equal to", "<="},
    {"less than or equal", "<="}, {"equal to or less than", "<="},
    {"equal to or lower than", "<="}, {"equal or less than", "<="},
    {"at least", ">="}, {"not less than", ">="}, {"no less than", ">="},
    {"not lower than", ">="}, {"no lower than", ">="}, {"not below", ">="},
    {"no fewer than", ">="}, {"a minimum of", ">="}, {"minimum of", ">="},
    {"no more than", "<="}, {"not more than", "<="}, {"not greater than", "<="},
    {"no greater than", "<="}, {"not higher than", "<="}, {"no higher than", "<="},
    {"not exceeding", "<="}, {"not to exceed", "<="}, {"not above", "<="}, {"up to", "<="},
    {"at most", "<="}, {"a maximum of", "<="}, {"maximum of", "<="},
    {"greater than", ">"}, {"more than", ">"}, {"higher than", ">"}, {"longer than", ">"},
    {"older than", ">"}, {"in excess of", ">"}, {"exceeding", ">"}, {"exceeds", ">"},
    {"above", ">"}, {"over", ">"},
    {"less than", "<"}, {"lower than", "<"}, {"fewer than", "<"}, {"shorter than", "<"},
    {"younger than", "<"}, {"below", "<"}, {"under", "<"},
    {"equal to", "="}, {"equals", "="},
};
// clang-format on

struct WordComparator {
  std::vector<std::string> words;
  std::string cmp;
};

// Longest first, so "less than or equal to" wins over "less than".
const std::vector<WordComparator>& word_comparators() {
  static const std::vector<WordComparator> list = [] {
    std::vector<WordComparator> out;
    for (const auto& spec : kWordComparators) {
      WordComparator w;
      for (const Token& t : tokenize(spec.words)) w.words.emplace_back(t.norm);
      w.cmp = std::string(spec.cmp);
      out.push_back(std::move(w));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.words.size() > b.words.size(); });
    return out;
  }();
  return list;
}

// The word comparators by first word, each list in word_comparators() order (longest first):
// a word is tried against the few that start with it, not all fifty-odd.
const std::unordered_map<std::string_view, std::vector<const WordComparator*>>& word_comparators_by_first() {
  static const auto index = [] {
    std::unordered_map<std::string_view, std::vector<const WordComparator*>> out;
    for (const WordComparator& w : word_comparators()) out[w.words.front()].push_back(&w);
    return out;
  }();
  return index;
}

// ---- what a parameter accepts -----------------------------------------------------------------

bool contains(const Params& params, std::string_view p) {
  return std::find(params.begin(), params.end(), p) != params.end();
}

bool is_time_unit(const std::optional<std::string>& u) {
  return u && (*u == "years" || *u == "months" || *u == "weeks" || *u == "days" || *u == "hours");
}

bool unit_fits(std::string_view p, const std::optional<std::string>& u) {
  bool time = is_time_unit(u);
  if (p == "AGE" || p == "LIFE_EXPECTANCY") return !u || time;
  if (time) return false;
  if (p == "ECOG") return !u;
  if (p == "KARNOFSKY" || p == "LVEF" || p == "OXYGEN_SATURATION") return !u || *u == "%";
  if (p == "QTC") return !u || *u == "ms";
  if (p.starts_with("BLOOD_PRESSURE")) return !u || *u == "mmHg";
  return true;
}

bool value_fits(std::string_view p, double v, std::optional<double> upper,
                const std::optional<std::string>& unit) {
  double hi = upper.value_or(v);
  if (!std::isfinite(v) || !std::isfinite(hi) || v < 0 || hi < v) return false;
  if (p == "ECOG") return hi <= 5 && v == std::floor(v) && hi == std::floor(hi);
  if (p == "KARNOFSKY") return hi <= 100;
  if (p == "AGE" && (!unit || *unit == "years")) return hi <= 150;
  return true;
}

bool is_score(const Params& params) {
  return contains(params, "ECOG") || contains(params, "KARNOFSKY");
}

// Words that may stand between "age" and its bound ("Age at screening ≥ 18").
bool age_filler(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "of",    "is",      "must",     "be",        "should",     "at",          "the",
      "time",  "patient", "patients", "subject",   "subjects",   "participant", "participants",
      "range", "between", "from",     "screening", "enrollment", "enrolment",   "in",
      "years", "year",    "limit",    "limits",    "group"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

// Words that start another clause: a number after them is not the parameter's bound
// ("ALT elevation leading to more than 2 dose delays").
bool clause_word(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "to",     "with",  "without", "for",   "after",   "before",    "during",    "within",
      "prior",  "since", "due",     "who",   "which",   "that",      "if",        "unless",
      "except", "when",  "where",   "while", "leading", "requiring", "resulting", "than"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

struct ConditionSpec {
  std::string_view needle;
  std::string_view name;
};

// Qualifiers a bound may be given for ("ALT < 5 × ULN in the presence of liver metastases").
// clang-format off
constexpr ConditionSpec kConditions[] = {
    {"liver metast", "liver metastases"},       {"metastases to liver", "liver metastases"},
    {"metastases to the liver", "liver metastases"}, {"hepatic metast", "liver metastases"},
    {"liver involvement", "liver metastases"},  {"hepatic involvement", "liver metastases"},
    {"metastasis to liver", "liver metastases"}, {"metastasis to the liver", "liver metastases"},
    {"bone metast", "bone metastases"},         {"metastases to bone", "bone metastases"},
    {"gilbert", "Gilbert's syndrome"},          {"marrow involvement", "bone marrow involvement"},
    {"marrow infiltration", "bone marrow involvement"},
};
// clang-format on

// ---- the scanner ------------------------------------------------------------------------------

struct Element {
  std::string cmp;
  double value = 0;
  std::optional<double> upper;
  std::optional<double> second;  // "140/90 mmHg": the diastolic value
  std::optional<std::string> unit;
  std::optional<std::string> sex;
  size_t begin = 0;  // tokens [begin, end)
  size_t end = 0;
  bool older = false;  // "... or older"
};

struct Mention {
  size_t begin = 0;
  size_t end = 0;
  Params params;
  bool needs_comparator = false;
};

constexpr size_t kMaxElements = 6;
constexpr size_t kMaxParams = 4;
constexpr size_t kMaxFillerWords = 6;
constexpr size_t kConditionWindow = 240;  // bytes

// Numbers as the duplicate check has always compared them: printed with six significant digits.
bool same_number(double a, double b) {
  if (a == b) return true;
  char x[64], y[64];
  std::snprintf(x, sizeof x, "%.6g", a);
  std::snprintf(y, sizeof y, "%.6g", b);
  return std::string_view(x) == std::string_view(y);
}

// The fields that make two thresholds of one criterion the same bound, as one string.
std::string bound_key(const Threshold& t) {
  return str_cat(t.parameter, '|', t.comparator, '|', t.value, '|', t.upper.value_or(-1), '|',
                 t.unit.value_or(""), '|', t.sex.value_or(""), '|', t.condition.value_or(""));
}

// The same comparison as equal bound_key()s, without building them.
bool same_bound(const Threshold& a, const Threshold& b) {
  return a.parameter == b.parameter && a.comparator == b.comparator &&
         same_number(a.value, b.value) && same_number(a.upper.value_or(-1), b.upper.value_or(-1)) &&
         a.unit.value_or("") == b.unit.value_or("") && a.sex.value_or("") == b.sex.value_or("") &&
         a.condition.value_or("") == b.condition.value_or("");
}

class Scanner {
 public:
  Scanner(std::string_view text, CriterionKind kind, size_t index)
      : s_(text), tokens_(tokenize(text)), t_(tokens_.tokens), kind_(kind), index_(index) {}

  std::vector<Threshold> run() {
    // A value-first age ends in "of age", "old" or "or older": without one of those words the
    // criterion has none, and its numbers need not be tried as one.
    bool may_have_age_phrase = false;
    for (size_t k = 0; k < t_.size() && !may_have_age_phrase; ++k)
      if (t_[k].type == Tk::word && t_[k].norm.size() >= 3 && t_[k].norm.size() <= 5)
        may_have_age_phrase = norm(k) == "age" || norm(k) == "old" || norm(k) == "older";
    size_t i = 0;
    while (i < t_.size()) {
      const Token& tok = t_[i];
      if (tok.type == Tk::brk) {
        seg_begin_ = tok.end;
        ++i;
        continue;
      }
      if (auto m = mention_at(i)) {
        size_t end = 0;
        if (phrase_after(*m, end))
          i = end;
        else
          i = std::max(m->end, i + 1);
        continue;
      }
      size_t end = 0;
      if (may_have_age_phrase && (tok.type == Tk::number || tok.type == Tk::cmp) && age_phrase(i, end)) {
        i = end;
        continue;
      }
      ++i;
    }
    return std::move(out_);
  }

 private:
  std::string_view s_;
  threshold_detail::TokenList tokens_;
  const std::vector<Token>& t_;  // tokens_.tokens
  CriterionKind kind_;
  size_t index_;
  std::vector<Threshold> out_;
  std::unordered_set<std::string> seen_;  // bound_key of out_, once out_ is too long to scan
  // alias_at(i) for each token, computed on first use: the phrase scanners ask again and again.
  mutable std::vector<AliasMatch> alias_memo_;
  mutable std::vector<char> alias_known_;  // (not vector<bool>: its resize and access cost more)
  size_t seg_begin_ = 0;  // byte where the current sentence/clause began
  size_t last_end_ = 0;   // byte after the last phrase that gave thresholds

  // ---- token tests ----
  bool is(size_t i, Tk type) const { return i < t_.size() && t_[i].type == type; }
  // Compared as a view: against a literal, the length decides first (as std::string it would be
  // a strlen and a compare per test, and unit_at tests a word against dozens).
  std::string_view norm(size_t i) const { return t_[i].norm; }
  bool is_word(size_t i, std::string_view w) const { return is(i, Tk::word) && t_[i].norm == w; }
  bool is_number(size_t i) const { return is(i, Tk::number) && t_[i].value >= 0; }
  bool is_word_in(size_t i, std::initializer_list<std::string_view> words) const {
    if (!is(i, Tk::word)) return false;
    return std::find(words.begin(), words.end(), t_[i].norm) != words.end();
  }
  // Tokens matched when the space-separated words of `phrase` start at token i, else 0.
  size_t phrase_at(size_t i, std::string_view phrase) const {
    size_t n = 0;
    while (!phrase.empty()) {
      size_t sp = phrase.find(' ');
      if (!is_word(i + n, phrase.substr(0, sp))) return 0;
      ++n;
      phrase = sp == std::string_view::npos ? std::string_view() : phrase.substr(sp + 1);
    }
    return n;
  }
  AliasMatch alias_at(size_t i) const {
    if (i >= t_.size() || !alias_index().may_start(t_[i])) return {};  // before any memo
    if (alias_known_.empty()) {
      alias_memo_.resize(t_.size());
      alias_known_.resize(t_.size());
    }
    if (!alias_known_[i]) {
      alias_memo_[i] = alias_index().match(s_, t_, i);
      alias_known_[i] = true;
    }
    return alias_memo_[i];
  }

  // ---- parameter mentions: "ALT and AST", "Serum creatinine (Cr)", "QT interval (QTcF)" ----
  std::optional<Mention> mention_at(size_t i) const {
    AliasMatch a = alias_at(i);
    if (!a.alias) return std::nullopt;
    // "women of childbearing age" is no age bound.
    if (contains(a.alias->params, "AGE") && i > 0 &&
        is_word_in(i - 1, {"childbearing", "bearing", "reproductive", "gestational", "bone"}))
      return std::nullopt;
    Mention m;
    m.begin = i;
    m.params = a.alias->params;
    m.needs_comparator = (a.alias->flags & kNeedsComparator) != 0;
    size_t j = abbreviation(a.end, m);
    // Lists naming several parameters: "ALT and AST", "AST/ALT", "ALT, AST or bilirubin".
    while (m.params.size() < kMaxParams) {
      size_t k = j;
      if (is(k, Tk::comma)) ++k;
      if (is_word_in(k, {"and", "or"}) || is(k, Tk::slash)) ++k;
      if (k == j) break;
      AliasMatch b = alias_at(k);
      if (!b.alias || (b.alias->flags & kNeedsComparator)) break;
      for (std::string_view p : b.alias->params)
        if (!contains(m.params, p)) m.params.push_back(p);
      m.needs_comparator = false;
      j = abbreviation(b.end, m);
    }
    m.end = j;
    return m;
  }

  // "(ANC)" after a name: the abbreviation is skipped; a more specific one ("QT interval
  // (QTcF)") replaces a single name.
  size_t abbreviation(size_t j, Mention& m) const {
    if (!is(j, Tk::open)) return j;
    AliasMatch b = alias_at(j + 1);
    if (!b.alias || !is(b.end, Tk::close)) return j;
    if (m.params.size() == 1 && b.alias->params.size() == 1) m.params = b.alias->params;
    m.needs_comparator = false;
    return b.end + 1;
  }

  // ---- comparators, numbers, units ----
  std::optional<std::string> comparator(size_t& p) const {
    if (is(p, Tk::cmp)) {
      // "> or = 40": one comparator written in three tokens.
      std::string_view c = norm(p);
      if ((c == ">" || c == "<") && is_word(p + 1, "or") && is(p + 2, Tk::cmp) &&
          norm(p + 2) == "=") {
        p += 3;
        return std::string(c) + "=";
      }
      return std::string(t_[p++].norm);
    }
    if (!is(p, Tk::word)) return std::nullopt;
    const auto& by_first = word_comparators_by_first();
    auto candidates = by_first.find(norm(p));
    if (candidates == by_first.end()) return std::nullopt;
    for (const WordComparator* c : candidates->second) {
      const WordComparator& w = *c;
      bool ok = true;
      for (size_t k = 0; ok && k < w.words.size(); ++k) ok = is_word(p + k, w.words[k]);
      if (ok) {
        p += w.words.size();
        return w.cmp;
      }
    }
    return std::nullopt;
  }

  // "× upper limit of normal (ULN)", "times the ULN", "ULN", "times normal" at p.
  bool uln_phrase(size_t& p, bool after_times) const {
    size_t q = p;
    if (is_word(q, "the")) ++q;
    if (is_word(q, "institutional")) ++q;
    bool found = false;
    if (is_word(q, "uln")) {
      ++q;
      found = true;
    } else {
      static constexpr std::string_view kUln[] = {
          "upper limit of normal", "upper limits of normal", "upper limit of the normal",
          "upper normal limit",    "normal upper limit",     "upper limit normal"};
      for (std::string_view words : kUln) {
        if (size_t n = phrase_at(q, words)) {
          q += n;
          found = true;
          break;
        }
      }
      if (found && is_word(q, "range")) ++q;
      if (!found && after_times && is_word(q, "normal")) {
        ++q;
        found = true;
      }
    }
    if (!found) return false;
    if (is(q, Tk::open) && is_word(q + 1, "uln") && is(q + 2, Tk::close)) q += 3;
    p = q;
    return true;
  }

  // Tokens of a per-microlitre denominator at q ("mm3", "µL", "mcL", "mm^3"), else 0.
  size_t per_microlitre(size_t q) const {
    if (is_word_in(q, {"mm3", "ul", "mcl"})) return 1;
    if (is_word(q, "mm") && is(q + 1, Tk::caret) && is(q + 2, Tk::number) && norm(q + 2) == "3")
      return 3;
    return 0;
  }

  // Tokens of "m2" / "m²" / "m^2" at q, else 0.
  size_t square_metre(size_t q) const {
    if (is_word(q, "m2")) return 1;
    if (is_word(q, "m") && is(q + 1, Tk::caret) && is(q + 2, Tk::number) && norm(q + 2) == "2")
      return 3;
    return 0;
  }

  // "10^9/L", "10⁹/L", "10^12/L", "10^3/µL" at p (the "10" a number token, or "x10" glued).
  std::optional<std::string> power_unit(size_t& p) const {
    bool ten = (is(p, Tk::number) && norm(p) == "10") || is_word(p, "x10");
    if (!ten) return std::nullopt;
    size_t q = p + 1;
    std::string exponent;
    if (is(q, Tk::sup9)) {
      exponent = "9";
      ++q;
    } else if (is(q, Tk::caret) && is(q + 1, Tk::number) &&
               (norm(q + 1) == "9" || norm(q + 1) == "12" || norm(q + 1) == "3")) {
      exponent = t_[q + 1].norm;
      q += 2;
    } else {
      return std::nullopt;
    }
    if (!is(q, Tk::slash)) return std::nullopt;
    if (exponent != "3" && is_word(q + 1, "l")) {
      p = q + 2;
      return "10^" + exponent + "/L";
    }
    if (size_t n = exponent == "3" ? per_microlitre(q + 1) : 0) {  // 10^3/µL = 10^9/L
      p = q + 1 + n;
      return "10^9/L";
    }
    return std::nullopt;
  }

  std::optional<std::string> unit_at(size_t& p) const {
    // Multipliers: "× 109/L" (the registry's lost superscript), "× 10^9/L", "× ULN".
    if (is(p, Tk::times) || is_word(p, "x") || is_word(p, "times")) {
      size_t q = p + 1;
      if (is(q, Tk::number) && (norm(q) == "109" || norm(q) == "1012") &&
          is(q + 1, Tk::slash) && is_word(q + 2, "l")) {
        p = q + 3;
        return norm(q) == "109" ? "10^9/L" : "10^12/L";
      }
      if (auto u = power_unit(q)) {
        p = q;
        return u;
      }
      if (uln_phrase(q, true)) {
        p = q;
        return "x ULN";
      }
      return std::nullopt;
    }
    if (is_word(p, "xuln")) {
      ++p;
      return "x ULN";
    }
    // "0.50x109/L": the "x" glued to the lost superscript.
    if (is_word_in(p, {"x109", "x1012"}) && is(p + 1, Tk::slash) && is_word(p + 2, "l")) {
      bool nine = norm(p) == "x109";
      p += 3;
      return nine ? "10^9/L" : "10^12/L";
    }
    if (auto u = power_unit(p)) return u;
    if (uln_phrase(p, false)) return "x ULN";
    if (is(p, Tk::percent)) {
      ++p;
      size_t q = p;
      if (is_word(q, "of")) ++q;
      if (is_word(q, "the")) ++q;
      if (is_word(q, "predicted")) {
        p = q + 1;
        if (is_word_in(p, {"normal", "value", "values"})) ++p;
        return "% predicted";
      }
      return "%";
    }
    if (is(p, Tk::slash)) {
      if (size_t n = per_microlitre(p + 1)) {
        p += 1 + n;
        return "/mm3";
      }
    }
    if (!is(p, Tk::word)) return std::nullopt;
    std::string_view w = norm(p);
    auto take = [&](size_t n, std::string u) {
      p += n;
      return std::optional<std::string>(std::move(u));
    };
    if (w == "years" || w == "year" || w == "yrs" || w == "yr") return take(1, "years");
    if (w == "months" || w == "month") return take(1, "months");
    if (w == "weeks" || w == "week" || w == "wks" || w == "wk") return take(1, "weeks");
    if (w == "days" || w == "day") return take(1, "days");
    if (w == "hours" || w == "hour" || w == "hrs" || w == "hr") return take(1, "hours");
    if (w == "ms" || w == "msec" || w == "msecs" || w == "millisecond" || w == "milliseconds")
      return take(1, "ms");
    if (w == "mmhg") return take(1, "mmHg");
    if (w == "mm" && is_word(p + 1, "hg")) return take(2, "mmHg");
    if (w == "ml" && is(p + 1, Tk::slash) && is_word_in(p + 2, {"min", "minute", "minutes"})) {
      if (is(p + 3, Tk::slash) && is(p + 4, Tk::number) && norm(p + 4) == "1.73") {
        if (size_t n = square_metre(p + 5)) return take(5 + n, "mL/min/1.73m2");
      }
      return take(3, "mL/min");
    }
    if (w == "kg" && is(p + 1, Tk::slash)) {
      if (size_t n = square_metre(p + 2)) return take(2 + n, "kg/m2");
    }
    if ((w == "cells" || w == "k") && is(p + 1, Tk::slash)) {
      // "K/µL" is thousands per microlitre: 10^9/L.
      if (size_t n = per_microlitre(p + 2)) return take(2 + n, w == "k" ? "10^9/L" : "/mm3");
    }
    // clang-format off
    static constexpr std::pair<std::string_view, std::string_view> kAmounts[] = {
        {"g", "g"},       {"gm", "g"},      {"gms", "g"},     {"mg", "mg"},     {"ug", "µg"},     {"mcg", "µg"},   {"ng", "ng"},
        {"pg", "pg"},     {"kg", "kg"},     {"mmol", "mmol"}, {"umol", "µmol"},
        {"nmol", "nmol"}, {"pmol", "pmol"}, {"mol", "mol"},   {"iu", "IU"},    {"miu", "mIU"},
        {"u", "U"},       {"meq", "mEq"},   {"copies", "copies"}, {"cps", "copies"},
        {"cells", "cells"}};
    // clang-format on
    for (const auto& [word, amount] : kAmounts) {
      if (w != word) continue;
      if (is(p + 1, Tk::slash)) {
        size_t q = p + 2;
        if (is_word(q, "l")) return take(3, str(amount, "/L"));
        if (is_word(q, "dl")) return take(3, str(amount, "/dL"));
        if (is_word(q, "ml")) return take(3, str(amount, "/mL"));
        if (is_word(q, "ul")) return take(3, str(amount, "/µL"));
        if (is(q, Tk::number) && norm(q) == "24" &&
            is_word_in(q + 1, {"h", "hr", "hrs", "hour", "hours"}))
          return take(4, str(amount, "/24h"));
        if (is_word_in(q, {"24h", "24hr", "24hrs"})) return take(3, str(amount, "/24h"));
        if (is_word_in(q, {"day", "d"})) return take(3, str(amount, "/day"));
      }
      if (amount == "g" || amount == "mg" || amount == "µg" || amount == "kg" || amount == "IU")
        return take(1, std::string(amount));
      return std::nullopt;
    }
    if (w == "l") return take(1, "L");
    if (w == "ml") return take(1, "mL");
    if (w == "dl") return take(1, "dL");
    if (w == "mm") return take(1, "mm");
    if (w == "cm") return take(1, "cm");
    return std::nullopt;
  }

  static std::string str(std::string_view a, std::string_view b) {
    std::string out(a);
    out += b;
    return out;
  }

  // ---- sex qualifiers: "males: > 450 ms", "> 470 ms in women", "(men)" ----
  static std::optional<std::string> sex_word(std::string_view w) {
    if (w == "men" || w == "man" || w == "males" || w == "male") return "MALE";
    if (w == "women" || w == "woman" || w == "females" || w == "female") return "FEMALE";
    return std::nullopt;
  }

  std::optional<std::string> sex_prefix(size_t& p) const {
    size_t q = p;
    if (is_word_in(q, {"in", "for"})) ++q;
    if (!is(q, Tk::word)) return std::nullopt;
    auto sex = sex_word(t_[q].norm);
    if (!sex) return std::nullopt;
    ++q;
    if (is_word_in(q, {"patients", "subjects", "participants"})) ++q;
    if (is(q, Tk::colon)) ++q;
    p = q;
    return sex;
  }

  std::optional<std::string> sex_suffix(size_t& p) const {
    size_t q = p;
    bool paren = is(q, Tk::open);
    if (paren) ++q;
    bool prep = is_word_in(q, {"in", "for"});
    if (prep) ++q;
    if (!paren && !prep) return std::nullopt;
    if (!is(q, Tk::word)) return std::nullopt;
    auto sex = sex_word(t_[q].norm);
    if (!sex) return std::nullopt;
    ++q;
    if (is_word_in(q, {"patients", "subjects", "participants"})) ++q;
    if (paren) {
      if (!is(q, Tk::close)) return std::nullopt;
      ++q;
    }
    p = q;
    return sex;
  }

  // "or more", "or older", "and above" after a bare number.
  std::optional<std::string> trailing_comparator(size_t& p, bool& older) const {
    if (!is_word_in(p, {"or", "and"})) return std::nullopt;
    if (is_word_in(p + 1, {"more", "greater", "above", "higher", "older", "over", "longer"})) {
      older = norm(p + 1) == "older";
      p += 2;
      return ">=";
    }
    if (is_word_in(p + 1, {"less", "fewer", "below", "lower", "younger", "under"})) {
      p += 2;
      return "<=";
    }
    return std::nullopt;
  }

  // "≥ normal low limit (50%)": the bound is the number in brackets.
  bool lln_bound(size_t& p, Element& e) const {
    size_t q = p;
    bool low = false;
    for (size_t n = 0; n < 6 && is(q, Tk::word); ++n, ++q)
      if (norm(q) == "lln" || norm(q) == "low" || norm(q) == "lower") low = true;
    if (!low || !is(q, Tk::open) || !is_number(q + 1)) return false;
    e.value = t_[q + 1].value;
    q += 2;
    e.unit = unit_at(q);
    if (!is(q, Tk::close)) return false;
    p = q + 1;
    return true;
  }

  // One bound at k: "≥ 1.5 × 109/L", "0-1", "0, 1, or 2", "men ≥ 450 ms", "18 years or older".
  // `first`: lists and bare numbers of performance scores are allowed.
  std::optional<Element> element(size_t k, const Params& params, bool first) const {
    Element e;
    e.begin = k;
    size_t p = k;
    e.sex = sex_prefix(p);
    if (auto cmp = comparator(p)) {
      e.cmp = *cmp;
      if (is_number(p)) {
        e.value = t_[p++].value;
        if (contains(params, "BLOOD_PRESSURE") && is(p, Tk::slash) && is_number(p + 1)) {
          e.second = t_[p + 1].value;
          p += 2;
        }
        e.unit = unit_at(p);
      } else if (!lln_bound(p, e)) {
        return std::nullopt;
      }
    } else if (is_word(p, "between") && is_number(p + 1)) {
      e.value = t_[p + 1].value;
      p += 2;
      auto u1 = unit_at(p);
      if (!(is_word_in(p, {"and", "to"}) || is(p, Tk::dash)) || !is_number(p + 1))
        return std::nullopt;
      e.upper = t_[p + 1].value;
      p += 2;
      auto u2 = unit_at(p);
      if (u1 && u2 && u1 != u2) return std::nullopt;  // "3 months to 17 years"
      e.unit = u2 ? u2 : u1;
      e.cmp = "range";
    } else if (is_number(p)) {
      e.value = t_[p++].value;
      if (is(p, Tk::plus) && t_[p].begin == t_[p - 1].end) {  // "18+ years"
        ++p;
        e.cmp = ">=";
        e.unit = unit_at(p);
      } else {
        auto u1 = unit_at(p);
        bool dash = is(p, Tk::dash) || is_word(p, "to");
        if (dash && is_number(p + 1)) {
          e.upper = t_[p + 1].value;
          p += 2;
          auto u2 = unit_at(p);
          if (u1 && u2 && u1 != u2) return std::nullopt;  // "3 months to 17 years"
          e.unit = u2 ? u2 : u1;
          e.cmp = "range";
        } else if (auto trailing = trailing_comparator(p, e.older)) {
          e.cmp = *trailing;
          e.unit = u1;
        } else if (first && !u1 && is_score(params)) {
          if (!score_list(p, e)) {
            // "ECOG 1"; but "0 or 2" is no list we can read, and no single score either.
            size_t q = is(p, Tk::comma) ? p + 1 : p;
            if (is_word_in(q, {"or", "and"})) ++q;
            if (!contains(params, "ECOG") || (q > p && is_number(q))) return std::nullopt;
            e.cmp = "=";  // "ECOG 1"
          }
        } else {
          return std::nullopt;
        }
      }
    } else {
      return std::nullopt;
    }
    if (!e.sex) e.sex = sex_suffix(p);
    e.end = p;
    return e;
  }

  // "0, 1, or 2" / "0 or 1" after the first number (at p): consecutive whole numbers -> range.
  bool score_list(size_t& p, Element& e) const {
    std::vector<double> values{e.value};
    size_t q = p;
    while (values.size() < 8) {
      size_t r = q;
      bool comma = is(r, Tk::comma);
      if (comma) ++r;
      bool conj = is_word_in(r, {"or", "and"});
      if (conj) ++r;
      if ((!comma && !conj) || !is_number(r)) break;
      values.push_back(t_[r].value);
      q = r + 1;
      if (conj) break;
    }
    if (values.size() < 2) return false;
    for (size_t n = 1; n < values.size(); ++n)
      if (values[n] != values[n - 1] + 1 || values[n] != std::floor(values[n])) return false;
    e.cmp = "range";
    e.upper = values.back();
    p = q;
    return true;
  }

  // Bounds joined by ",", "and", "or", "(" after a first one at k.
  std::vector<Element> chain(size_t k, const Params& params, bool first) const {
    std::vector<Element> out;
    auto e = element(k, params, first);
    if (!e) return out;
    out.push_back(std::move(*e));
    while (out.size() < kMaxElements) {
      size_t q = out.back().end;
      if (is(q, Tk::comma)) ++q;
      if (is_word_in(q, {"and", "or", "but", "to"}))
        ++q;
      else if (is(q, Tk::open))
        ++q;
      if (q == out.back().end) break;
      auto next = element(q, params, false);
      // "≥ 450 ms and ≥ 2 ..." -- a unitless bound after one with a unit is something else.
      if (!next || (!next->unit && out.back().unit)) break;
      out.push_back(std::move(*next));
    }
    // "≥ 18 and ≤ 70 years": the unit written once serves the bounds before it.
    for (size_t n = out.size() - 1; n-- > 0;)
      if (!out[n].unit && out[n + 1].unit) out[n].unit = out[n + 1].unit;
    return out;
  }

  // ---- phrases ----
  // After a mention: filler words ("level", "score:", "(performance status)"), then bounds.
  bool phrase_after(const Mention& m, size_t& end) {
    size_t k = m.end;
    if (m.needs_comparator) {
      size_t q = k;
      if (is(q, Tk::colon)) ++q;
      if (!comparator(q)) return false;
    }
    bool age = contains(m.params, "AGE");
    size_t words = 0, depth = 0, steps = 0;
    std::vector<Element> elems;
    while (steps++ < 16) {
      elems = chain(k, m.params, true);
      if (!elems.empty()) break;
      if (!is(k, Tk::word) && !is(k, Tk::open) && !is(k, Tk::close) && !is(k, Tk::colon) &&
          !(is(k, Tk::dash) && depth > 0))
        return false;
      if (is(k, Tk::word)) {
        if (alias_at(k).alias || ++words > kMaxFillerWords || clause_word(t_[k].norm)) return false;
        if (age && !age_filler(t_[k].norm)) return false;
      }
      if (is(k, Tk::open)) ++depth;
      if (is(k, Tk::close) && depth > 0) --depth;
      ++k;
    }
    if (elems.empty()) return false;
    std::optional<std::string> prefix =
        condition_in(std::max(seg_begin_, last_end_), t_[m.begin].begin);
    size_t stop = close_brackets(m.begin, elems.back().end);
    if (!emit(m.begin, elems, m.params, prefix, stop)) return false;
    end = stop;
    return true;
  }

  // The phrase's end moved past the ")" that close brackets opened inside it.
  size_t close_brackets(size_t begin, size_t end) const {
    size_t open = 0;
    for (size_t k = begin; k < end; ++k) {
      if (t_[k].type == Tk::open)
        ++open;
      else if (t_[k].type == Tk::close && open > 0)
        --open;
    }
    while (open > 0 && is(end, Tk::close)) ++end, --open;
    return end;
  }

  // Value-first ages: "18-70 years of age", "≥ 18 and ≤ 70 years of age", "18 years or older".
  bool age_phrase(size_t i, size_t& end) {
    static const Params kAge{"AGE"};
    std::vector<Element> elems = chain(i, kAge, false);
    if (elems.empty()) return false;
    size_t p = elems.back().end;
    bool older = std::any_of(elems.begin(), elems.end(), [](const Element& e) { return e.older; });
    bool ok = older;
    if (!ok && phrase_at(p, "of age"))
      p += 2, ok = true;
    else if (!ok && is_word(p, "old"))
      p += 1, ok = true;
    else if (!ok && is(p, Tk::dash) && is_word(p + 1, "old"))
      p += 2, ok = true;
    if (!ok) return false;
    for (const Element& e : elems)
      if (!is_time_unit(e.unit)) return false;
    if (!emit(i, elems, kAge, std::nullopt, p)) return false;
    end = p;
    return true;
  }

  // One threshold per bound and parameter; returns whether any was kept.
  bool emit(size_t begin_tok, const std::vector<Element>& elems, const Params& params,
            const std::optional<std::string>& prefix_condition, size_t end_tok) {
    size_t begin = t_[begin_tok].begin;
    size_t end = t_[end_tok - 1].end;
    std::string text(s_.substr(begin, end - begin));
    size_t before = out_.size();
    for (size_t n = 0; n < elems.size(); ++n) {
      const Element& e = elems[n];
      size_t from = t_[e.end - 1].end;
      size_t to = n + 1 < elems.size() ? t_[elems[n + 1].begin].begin : suffix_end(e.end);
      std::optional<std::string> condition = condition_in(from, to);
      if (!condition) condition = prefix_condition;
      for (std::string_view p : params) {
        if (p == "BLOOD_PRESSURE") {  // "blood pressure ≥ 140/90 mmHg"
          if (!e.second || e.cmp == "range" || !unit_fits("BLOOD_PRESSURE_SYSTOLIC", e.unit))
            continue;
          add("BLOOD_PRESSURE_SYSTOLIC", e, e.value, condition, text);
          add("BLOOD_PRESSURE_DIASTOLIC", e, *e.second, condition, text);
          continue;
        }
        if (!unit_fits(p, e.unit) || !value_fits(p, e.value, e.upper, e.unit)) continue;
        add(p, e, e.value, condition, text);
      }
    }
    if (out_.size() == before) return false;
    last_end_ = end;
    return true;
  }

  void add(std::string_view parameter, const Element& e, double value,
           const std::optional<std::string>& condition, const std::string& text) {
    Threshold t;
    t.kind = kind_;
    t.criterion = index_;
    t.parameter = std::string(parameter);
    t.comparator = e.cmp;
    t.value = value;
    t.upper = e.upper;
    t.unit = e.unit;
    t.sex = e.sex;
    t.condition = condition;
    t.text = text;
    // The same bound said twice in one criterion is reported once. A criterion gives a handful
    // of thresholds, where a scan beats building and hashing a key for each; a hostile one can
    // give tens of thousands, where a scan would be quadratic.
    constexpr size_t kScanLimit = 16;
    if (out_.size() < kScanLimit) {
      for (const Threshold& o : out_)
        if (same_bound(o, t)) return;
    } else {
      if (seen_.empty())
        for (const Threshold& o : out_) seen_.insert(bound_key(o));
      if (!seen_.insert(bound_key(t)).second) return;
    }
    out_.push_back(std::move(t));
  }

  // Where the words after a phrase stop: the clause's end or the next parameter name.
  size_t suffix_end(size_t k) const {
    for (size_t n = 0; n < 24 && k < t_.size(); ++n, ++k)
      if (t_[k].type == Tk::brk || alias_at(k).alias) return t_[k].begin;
    return k < t_.size() ? t_[k].begin : s_.size();
  }

  // A qualifier such as "liver metastases" in the bytes [from, to), introduced by "if", "in",
  // "for", "with", "when" ... and not negated.
  std::optional<std::string> condition_in(size_t from, size_t to) const {
    if (to <= from || to > s_.size()) return std::nullopt;
    if (to - from > kConditionWindow) to = from + kConditionWindow;
    std::string_view r = s_.substr(from, to - from);
    while (!r.empty() && (is_space(r.front()) || r.front() == '(' || r.front() == ',' ||
                          r.front() == ':' || r.front() == '\n'))
      r.remove_prefix(1);
    static constexpr std::string_view kTriggers[] = {
        "if ",    "in ",          "for ",          "with ",         "when ",
        "where ", "accompanied ", "patients with", "subjects with", "participants with"};
    bool triggered = std::any_of(std::begin(kTriggers), std::end(kTriggers),
                                 [&](std::string_view t) { return istarts_with(r, t); });
    if (!triggered) return std::nullopt;
    if (icontains(r, "without") || icontains(r, " no ") || icontains(r, "absence") ||
        icontains(r, "non-") || icontains(r, " not "))
      return std::nullopt;
    for (const ConditionSpec& c : kConditions)
      if (icontains(r, c.needle)) return std::string(c.name);
    return std::nullopt;
  }
};

// Whole numbers as integers ("18", not "18.0").
JsonValue number_value(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return JsonValue(static_cast<int64_t>(v));
  return JsonValue(v);
}

}  // namespace

std::string_view criterion_kind_name(CriterionKind kind) {
  return kind == CriterionKind::inclusion ? "inclusion" : "exclusion";
}

std::vector<Threshold> extract_thresholds(std::string_view criterion, CriterionKind kind,
                                          size_t index) {
  // Every threshold's bound is a number token, and only an ASCII digit starts one: most
  // criteria have none and need no scan.
  // (A plain loop: find_first_of calls memchr over the ten digits for every byte.)
  if (std::none_of(criterion.begin(), criterion.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return {};
  return Scanner(criterion, kind, index).run();
}

std::vector<Threshold> extract_eligibility_thresholds(const std::vector<std::string>& inclusion,
                                                      const std::vector<std::string>& exclusion) {
  std::vector<Threshold> out;
  for (size_t i = 0; i < inclusion.size(); ++i)
    for (auto& t : extract_thresholds(inclusion[i], CriterionKind::inclusion, i))
      out.push_back(std::move(t));
  for (size_t i = 0; i < exclusion.size(); ++i)
    for (auto& t : extract_thresholds(exclusion[i], CriterionKind::exclusion, i))
      out.push_back(std::move(t));
  return out;
}

JsonValue threshold_to_json(const Threshold& t, JsonAllocator& alloc) {
  JsonValue o(rapidjson::kObjectType);
  set_string(o, "kind", criterion_kind_name(t.kind), alloc);
  set_member(o, "criterion", JsonValue(static_cast<uint64_t>(t.criterion)), alloc);
  set_string(o, "parameter", t.parameter, alloc);
  set_string(o, "comparator", t.comparator, alloc);
  set_member(o, "value", number_value(t.value), alloc);
  set_member(o, "upper", t.upper ? number_value(*t.upper) : JsonValue(rapidjson::kNullType), alloc);
  set_optional_string(o, "unit", t.unit, alloc);
  set_optional_string(o, "sex", t.sex, alloc);
  set_optional_string(o, "condition", t.condition, alloc);
  set_string(o, "text", t.text, alloc);
  return o;
}

JsonValue thresholds_to_json(const std::vector<Threshold>& thresholds, JsonAllocator& alloc) {
  JsonValue out(rapidjson::kArrayType);
  for (const Threshold& t : thresholds) out.PushBack(threshold_to_json(t, alloc), alloc);
  return out;
}

}  // namespace trialmill
