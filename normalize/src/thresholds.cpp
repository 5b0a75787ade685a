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

#include "thresholds_vocabulary.hpp"
#include "trialmill/error.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

using threshold_detail::Tk;
using threshold_detail::Token;
using threshold_detail::tokenize;
using threshold_detail::TokenList;
using Params = std::vector<std::string_view>;

// ---- parameter names -------------------------------------------------------------------------

using threshold_detail::AliasSpec;
using threshold_detail::kExactCase;
using threshold_detail::kNeedsComparator;

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
    for (const AliasSpec& spec : threshold_detail::aliases()) {
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
    {"greater or equal to", ">="}, {"greater or equal", ">="}, {"greater than equal to", ">="},
    {"more or equal to", ">="}, {"less or equal to", "<="}, {"less or equal", "<="},
    {"less than equal to", "<="},
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
    {"younger than", "<"}, {"below", "<"}, {"under", "<"}, {"under the age of", "<"},
    {"over the age of", ">"}, {"above the age of", ">"}, {"beyond", ">"},
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
const std::unordered_map<std::string_view, std::vector<const WordComparator*>>&
word_comparators_by_first() {
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
  return u && threshold_detail::is_time_unit(*u);
}

// Whether a bound in unit `u` can be the parameter's, by the vocabulary table.
bool unit_fits(std::string_view p, const std::optional<std::string>& u) {
  const auto* spec = threshold_detail::find_parameter(p);
  if (!spec) return !is_time_unit(u);
  return threshold_detail::unit_accepted(*spec, u.value_or(""));
}

// Whether the numbers can be the parameter's (after conversion to its canonical unit).
bool value_fits(std::string_view p, double v, std::optional<double> upper) {
  double hi = upper.value_or(v);
  if (!std::isfinite(v) || !std::isfinite(hi) || v < 0 || hi < v) return false;
  const auto* spec = threshold_detail::find_parameter(p);
  if (!spec) return true;
  if (spec->whole && (v != std::floor(v) || hi != std::floor(hi))) return false;
  return spec->max <= 0 || hi <= spec->max;
}

bool is_score(const Params& params) {
  return contains(params, "ECOG") || contains(params, "KARNOFSKY") || contains(params, "LANSKY");
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
  std::optional<std::string> lower_unit;  // "3 months to 17 years": the low end's own unit
  std::string_view pressure;              // "> 160 mmHg systolic": the one named after it
  size_t num_begin = 0;                   // first token of the number(s) as written
  bool or_before = false;                 // joined to the bound before it by "or"
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
  bool or_list = false;  // "Lansky or Karnofsky > 30": the parameters joined by "or"
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

std::optional<double> word_number(std::string_view w);

class Scanner {
 public:
  Scanner(std::string_view text, CriterionKind kind, size_t index)
      : s_(text), tokens_(tokenize(text)), t_(tokens_.tokens), kind_(kind), index_(index) {
    // Numbers spelled out ("eighteen years of age", "at least three months") read as digits.
    for (Token& t : tokens_.tokens)
      if (t.type == Tk::word)
        if (auto v = word_number(t.norm)) t.type = Tk::number, t.value = *v;
  }

  std::vector<Threshold> run() {
    // A value-first age ends in "of age", "old" or "or older": without one of those words the
    // criterion has none, and its numbers need not be tried as one.
    bool may_have_age_phrase = false;
    for (size_t k = 0; k < t_.size() && !may_have_age_phrase; ++k)
      if (t_[k].type == Tk::word && t_[k].norm.size() >= 3 && t_[k].norm.size() <= 9)
        may_have_age_phrase = norm(k) == "age" || norm(k) == "old" || norm(k) == "older" ||
                              norm(k) == "inclusive" || norm(k) == "younger";
    find_clauses();
    size_t i = 0;
    while (i < t_.size()) {
      const Token& tok = t_[i];
      if (tok.type == Tk::brk) {
        seg_begin_ = tok.end;
        seg_begin_tok_ = i + 1;
        ++i;
        continue;
      }
      // The words of a condition are its subject, not bounds of the trial ("if baseline FEV1 <
      // 2 L then ...", "for children aged under 18 months", "(age < 16)").
      if (const Clause* c = clause_at(i)) {
        last_clause_ = clause_start_[i];
        i = c->end;
        if (c->carry) i = carry_bound(*c, i);
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
      if (tok.type == Tk::number || tok.type == Tk::cmp || tok.type == Tk::word) {
        if (window_at(i, end) || number_first(i, end) ||
            (may_have_age_phrase && age_start_allowed(i) && age_phrase(i, end))) {
          i = end;
          continue;
        }
      }
      ++i;
    }
    // A group of one is no alternative.
    std::unordered_map<int, int> members;
    for (const Threshold& t : out_)
      if (t.or_group) ++members[*t.or_group];
    std::unordered_map<int, int> renumbered;
    for (Threshold& t : out_) {
      if (!t.or_group) continue;
      if (members[*t.or_group] < 2) {
        t.or_group.reset();
        continue;
      }
      auto [it, fresh] =
          renumbered.try_emplace(*t.or_group, static_cast<int>(renumbered.size()) + 1);
      t.or_group = it->second;
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
  size_t seg_begin_ = 0;                   // byte where the current sentence/clause began
  size_t last_end_ = 0;                    // byte after the last phrase that gave thresholds
  size_t seg_begin_tok_ = 0;               // token where the current sentence began
  size_t last_end_tok_ = 0;                // token after the last phrase that gave thresholds
  size_t last_phrase_end_ = 0;             // the same, for "or" between phrases
  size_t last_phrase_first_ = 0;           // its first threshold in out_
  Params last_params_;                     // its parameters
  int groups_ = 0;                         // OR groups given so far

  // A condition: "if ...", "when ...", "unless ...", "for/in [the] <people> ...", "(age ...)", a
  // sentence opening "Patients with X must ...". Tokens [begin, end).
  struct Clause {
    size_t begin = 0;
    size_t end = 0;
    std::string text;        // as written, without the opening word; a known one by its name
    bool suffixable = true;  // may be the condition of the bound just before it
    bool carry = false;      // ends in "then" / "in which case": a bound follows
  };
  std::vector<Clause> clauses_;
  // Per token, computed once (every look-up below is then constant time, so that a hostile
  // criterion of one endless sentence stays linear): the clause starting there (-1: none), the
  // first token of its sentence, the innermost "(" it is inside (npos: none).
  std::vector<int> clause_start_;
  std::vector<size_t> seg_start_;
  std::vector<size_t> open_of_;
  int last_clause_ = -1;         // the last clause the scan passed
  size_t hedge_seg_ = SIZE_MAX;  // the sentence hedged() last looked at, and its answer
  bool hedge_ = false;

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
      if (is_word(k, "and") && is(k + 1, Tk::slash) && is_word(k + 2, "or")) k += 2;  // and/or
      if (is_word(k, "or")) m.or_list = true;
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
  // (QTcF)") replaces a single name. A gloss without numbers ("(SGOT)", "(serum glutamate
  // pyruvate transaminase [SGPT])", "(Cockcroft-Gault)") is skipped too, as often as written.
  size_t abbreviation(size_t j, Mention& m) const {
    for (int round = 0; round < 3 && is(j, Tk::open); ++round) {
      AliasMatch b = alias_at(j + 1);
      if (b.alias && is(b.end, Tk::close)) {
        // ("systolic blood pressure (BP)": the name before is the more specific one)
        if (m.params.size() == 1 && b.alias->params.size() == 1 &&
            !m.params[0].starts_with(b.alias->params[0]))
          m.params = b.alias->params;
        m.needs_comparator = false;
        j = b.end + 1;
        continue;
      }
      size_t k = j + 1, depth = 1;
      for (; k < t_.size() && k < j + 14 && depth > 0; ++k) {
        Tk type = t_[k].type;
        if (type == Tk::open)
          ++depth;
        else if (type == Tk::close)
          --depth;
        else if (type == Tk::number || type == Tk::cmp || type == Tk::brk)
          break;
      }
      if (depth != 0) break;
      m.needs_comparator = false;
      j = k;
    }
    return j;
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
      // "> or equal to 18"
      if ((c == ">" || c == "<") && is_word(p + 1, "or") && is_word(p + 2, "equal")) {
        p += is_word(p + 3, "to") ? 4 : 3;
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
        // "less than (<) 40", "greater than equal to (>=) 4": the symbol repeats the words.
        if (is(p, Tk::open) && is(p + 1, Tk::cmp) && is(p + 2, Tk::close)) p += 3;
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
      if (!found && after_times && is_word_in(q, {"normal", "norm"})) {
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
      if (is(q, Tk::number) && (norm(q) == "109" || norm(q) == "1012") && is(q + 1, Tk::slash) &&
          is_word(q + 2, "l")) {
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
      if (is_word(p + 1, "cumm")) {
        p += 2;
        return "/mm3";
      }
    }
    // "2+" (a dipstick reading): the plus glued to its number.
    if (is(p, Tk::plus) && p > 0 && t_[p].begin == t_[p - 1].end && t_[p - 1].type == Tk::number) {
      ++p;
      return "+";
    }
    // "37.5°C": the degree sign, then the scale.
    if (is(p, Tk::other) && s_.substr(t_[p].begin, 2) == "\xC2\xB0" &&
        t_[p].end == t_[p].begin + 2 && is_word_in(p + 1, {"c", "f"})) {
      bool celsius = norm(p + 1) == "c";
      p += 2;
      return celsius ? "°C" : "°F";
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
    if (w == "bpm") return take(1, "bpm");
    if (w == "beats" && is_word_in(p + 1, {"per", "a"}) && is_word_in(p + 2, {"minute", "min"}))
      return take(3, "bpm");
    if (w == "beats" && is(p + 1, Tk::slash) && is_word_in(p + 2, {"minute", "min"}))
      return take(3, "bpm");
    if (w == "lbs" || w == "lb" || w == "pounds" || w == "pound") return take(1, "lbs");
    if (w == "grams" || w == "gram") return take(1, "g");
    if (w == "kilograms" || w == "kilogram" || w == "kgs") return take(1, "kg");
    if (w == "cc") return take(1, "mL");
    if ((w == "milliliter" || w == "milliliters" || w == "millilitre" || w == "millilitres") &&
        is_word(p + 1, "per") && is_word_in(p + 2, {"minute", "min"}))
      return take(3, "mL/min");
    // "100,000 per cu mm", "per mm3", "per microliter"
    if (w == "per") {
      if (is_word(p + 1, "cu") && is_word(p + 2, "mm")) return take(3, "/mm3");
      if (is_word_in(p + 1, {"cumm", "microliter", "microlitre", "mcl", "ul", "mm3"}))
        return take(2, "/mm3");
      if (size_t n = per_microlitre(p + 1)) return take(1 + n, "/mm3");
    }
    if (w == "cumm") return take(1, "/mm3");

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
        {"mu", "mU"},     {"uiu", "µIU"},
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
    if (is_word_in(p + 1,
                   {"more", "greater", "above", "higher", "older", "over", "longer", "beyond"})) {
      older = norm(p + 1) == "older";
      p += 2;
      return ">=";
    }
    if (is_word_in(p + 1, {"less", "fewer", "below", "lower", "younger", "under"})) {
      older = norm(p + 1) == "younger";  // an age, as "or older" is
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
      e.num_begin = p;
      if (is_number(p)) {
        e.value = t_[p++].value;
        if (contains(params, "BLOOD_PRESSURE") && is(p, Tk::slash) && is_number(p + 1)) {
          e.second = t_[p + 1].value;
          p += 2;
        }
        e.unit = unit_at(p);
        // "≥ 2 weeks to 4 months": a range whose low end carries the comparator.
        if (e.cmp[0] == '>' && (is_word(p, "to") || is(p, Tk::dash)) && is_number(p + 1) &&
            t_[p + 1].value >= e.value) {
          size_t q = p + 2;
          auto u2 = unit_at(q);
          if ((e.unit && u2 && is_time_unit(e.unit) && is_time_unit(u2)) || (!u2 && !e.unit) ||
              (u2 && e.unit == u2)) {
            if (u2 != e.unit) e.lower_unit = e.unit;
            e.upper = t_[p + 1].value;
            e.unit = u2 ? u2 : e.unit;
            e.cmp = "range";
            p = q;
          }
        }
      } else if (!lln_bound(p, e)) {
        return std::nullopt;
      }
    } else if (is_word(p, "between") && is_number(p + 1)) {
      e.num_begin = p + 1;
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
      e.num_begin = p;
      e.value = t_[p++].value;
      if (is(p, Tk::plus) && t_[p].begin == t_[p - 1].end) {  // "18+ years"
        ++p;
        e.cmp = ">=";
        e.unit = unit_at(p);
      } else {
        auto u1 = unit_at(p);
        bool dash = is(p, Tk::dash) || is_word(p, "to");
        size_t of_age = u1 && phrase_at(p, "of age") ? 2 : 0;  // "18 years of age or older"
        if (dash && is_number(p + 1)) {
          e.upper = t_[p + 1].value;
          p += 2;
          auto u2 = unit_at(p);
          // "3 months to 17 years" is an age range only where an age is read; elsewhere it is
          // a span of time.
          if (u1 && u2 && u1 != u2) {
            if (!contains(params, "AGE") || !is_time_unit(u1) || !is_time_unit(u2))
              return std::nullopt;
            e.lower_unit = u1;
          }
          e.unit = u2 ? u2 : u1;
          e.cmp = "range";
        } else if (u1 && is_word(p, "to") && is(p + 1, Tk::cmp) && contains(params, "AGE")) {
          e.cmp = ">=";  // "0 days to < 14 days of age": the low end, the high one follows
          e.unit = u1;
        } else if (size_t q = p + of_age; of_age && trailing_comparator(q, e.older)) {
          e.cmp = *trailing_comparator(p += of_age, e.older);
          e.unit = u1;
          e.older = true;  // the phrase said "of age" itself
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
    if (contains(params, "BLOOD_PRESSURE") && !e.second &&
        is_word_in(p, {"systolic", "diastolic"})) {
      e.pressure = norm(p) == "systolic" ? "BLOOD_PRESSURE_SYSTOLIC" : "BLOOD_PRESSURE_DIASTOLIC";
      ++p;
    }
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
      // "< 100 mmHg at screening or < 95 mmHg at randomization": a time point between bounds
      if (is_word(q, "at") && is(q + 1, Tk::word) && is_word_in(q + 2, {"or", "and"})) q += 2;
      if (is(q, Tk::comma)) ++q;
      bool or_word = is_word(q, "or");
      if (is_word(q, "and") && is(q + 1, Tk::slash) && is_word(q + 2, "or")) q += 2, or_word = true;
      if (is_word_in(q, {"and", "or", "but", "to"}))
        ++q;
      else if (is(q, Tk::open) && !is_number(q + 1))  // "(13-17 years to be capped)": a note
        ++q;
      if (q == out.back().end) break;
      auto next = element(q, params, false);
      // "≥ 450 ms and ≥ 2 ..." -- a unitless bound after one with a unit is something else.
      if (!next || (!next->unit && out.back().unit)) break;
      next->or_before = or_word;
      out.push_back(std::move(*next));
    }
    // "≥ 18 and ≤ 70 years": the unit written once serves the bounds before it.
    for (size_t n = out.size() - 1; n-- > 0;)
      if (!out[n].unit && out[n + 1].unit) out[n].unit = out[n + 1].unit;
    return out;
  }

  // ---- conditions, windows, bounds written before their parameter ----
  static bool person_word(std::string_view w) {
    static constexpr std::string_view kWords[] = {
        "patients",    "patient",  "subjects", "subject",   "participants", "participant",
        "individuals", "children", "child",    "infants",   "infant",       "those",
        "women",       "men",      "males",    "females",   "adults",       "people",
        "persons",     "neonates", "newborns", "girls",     "boys",         "adolescents",
        "pts",         "cases",    "donors",   "recipients"};
    return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
  }

  // The first word of the sentence at k, after a list number ("3.", "a)") and "NOTE:".
  bool sentence_start(size_t k) const {
    size_t q = seg_begin_of(k);
    for (int n = 0; n < 4 && q < k; ++n) {
      if (is(q, Tk::number) || is(q, Tk::close) || is(q, Tk::colon) || is(q, Tk::dash) ||
          is_word_in(q, {"note", "and", "or", "but"}) ||
          (is(q, Tk::word) && t_[q].norm.size() == 1))
        ++q;
      else
        break;
    }
    return q == k;
  }
  size_t seg_begin_of(size_t k) const { return k < seg_start_.size() ? seg_start_[k] : 0; }

  void find_clauses() {
    std::vector<int> depth(t_.size() + 1, 0);
    clause_start_.assign(t_.size() + 1, -1);
    seg_start_.assign(t_.size() + 1, 0);
    open_of_.assign(t_.size() + 1, SIZE_MAX);
    std::vector<size_t> opens;
    for (size_t k = 0, d = 0, seg = 0; k < t_.size(); ++k) {
      depth[k] = static_cast<int>(d);
      seg_start_[k] = seg;
      open_of_[k] = opens.empty() ? SIZE_MAX : opens.back();
      if (t_[k].type == Tk::brk) seg = k + 1, opens.clear();
      if (t_[k].type == Tk::open)
        ++d, opens.push_back(k);
      else if (t_[k].type == Tk::close && d > 0) {
        --d;
        if (!opens.empty()) opens.pop_back();  // (a sentence end forgot the ones before it)
      }
    }
    for (size_t k = 0; k < t_.size(); ++k) {
      Clause c;
      size_t body = k + 1;
      bool initial = false, paren = false;
      if (is_word(k, "if")) {
      } else if (is_word_in(k, {"unless", "when", "whenever"})) {
        c.suffixable = false;
      } else if (is_word_in(k, {"for", "in", "among"})) {
        size_t q = k + 1;
        if (is_word_in(q, {"all", "the"})) ++q;
        // ("for the child to start ART" is a purpose, not a condition)
        bool people = is(q, Tk::word) && person_word(norm(q)) && !is_word(q + 1, "to");
        // "for < 1 year of age", "for 12-17 years old": an age band
        bool band = false;
        if (!people && (is(q, Tk::cmp) || is_number(q)))
          for (size_t r = q; r < q + 6 && r < t_.size() && !band; ++r)
            band = phrase_at(r, "of age") || is_word(r, "old");
        // "for cisplatin administration", "for the carboplatin arm": one treatment's bound
        bool treatment = false;
        if (!people && !band && is_word(k, "for"))
          for (size_t r = k + 1; r < k + 4 && r < t_.size() && is(r, Tk::word) && !treatment; ++r)
            treatment =
                is_word_in(r, {"administration", "arm", "cohort", "treatment", "use", "regimen"});
        if (!people && !band && !treatment) continue;
      } else if (is(k, Tk::open) && is_word_in(k + 1, {"age", "aged", "ages"}) &&
                 !(k > 0 && alias_at(k - 1).alias &&
                   contains(alias_at(k - 1).alias->params, "AGE"))) {
        paren = true;
      } else if (is(k, Tk::word) && person_word(norm(k)) &&
                 is_word_in(k + 1, {"with", "without", "who"}) && sentence_start(k) &&
                 modal_before_number(k)) {
        initial = true;
        body = k;
      } else {
        continue;
      }
      size_t e = body;
      int base = depth[k] + (paren ? 1 : 0);
      size_t stop = 0;  // tokens of the terminator to step over
      for (; e < t_.size() && e < k + 40; ++e) {
        Tk type = t_[e].type;
        if (type == Tk::brk || type == Tk::colon || (type == Tk::comma && depth[e] <= base)) break;
        if (type == Tk::close && depth[e] - 1 < base) {
          stop = 1;
          break;
        }

        if (is_word(e, "then")) {
          c.carry = true;
          stop = 1;
          break;
        }
        if (phrase_at(e, "in which case")) {
          c.carry = true;
          stop = 3;
          break;
        }
        if (initial && e > k + 1 &&
            is_word_in(e, {"must", "should", "are", "is", "need", "needs", "will", "can", "may",
                           "have", "has"}))
          break;
      }
      if (e <= body) continue;
      c.begin = k;
      size_t from = t_[paren ? k + 1 : (initial ? k : k + 1)].begin, to = t_[e - 1].end;
      c.text = clause_text(s_.substr(from, to - from));
      c.end = e + stop;
      if (c.text.empty()) continue;
      clause_start_[k] = static_cast<int>(clauses_.size());
      clauses_.push_back(std::move(c));
      k = e - 1;
    }
  }

  // A known condition by its name ("liver metastases"); otherwise the words as written.
  static std::string clause_text(std::string_view r) {
    while (!r.empty() && (is_space(r.back()) || r.back() == ',')) r.remove_suffix(1);
    bool negated = icontains(r, "without") || icontains(r, " no ") || istarts_with(r, "no ") ||
                   icontains(r, "absence") || icontains(r, " not ");
    if (!negated)
      for (const ConditionSpec& c : kConditions)
        if (icontains(r, c.needle)) return std::string(c.name);
    if (r.size() > 120) r = r.substr(0, 120);
    return std::string(r);
  }

  // "Patients with X must have ...": the sentence says what a subgroup must meet.
  bool modal_before_number(size_t k) const {
    for (size_t q = k; q < t_.size() && t_[q].type != Tk::brk && q < k + 40; ++q) {
      if (t_[q].type == Tk::number || t_[q].type == Tk::cmp) return false;
      if (is_word_in(q, {"must", "should", "required", "need", "needs"})) return true;
    }
    return false;
  }

  const Clause* clause_at(size_t i) const {
    if (i >= clause_start_.size() || clause_start_[i] < 0) return nullptr;
    return &clauses_[static_cast<size_t>(clause_start_[i])];
  }

  // After "unless liver metastases are present in which case it must be ≤ 5 × ULN": the bound
  // belongs to the parameters of the phrase before, under the clause's condition.
  size_t carry_bound(const Clause& c, size_t i) {
    if (last_params_.empty()) return i;
    size_t k = i;
    for (int n = 0; n < 4 && is_word_in(k, {"it", "they", "this", "must", "should", "be", "is",
                                            "are", "the", "limit"});
         ++n)
      ++k;
    std::vector<Element> elems = chain(k, last_params_, false);
    if (elems.empty() || mention_at(k)) return i;
    Params params = last_params_;
    if (!emit(k, elems, params, std::nullopt, elems.back().end, false, c.text)) return i;
    return elems.back().end;
  }

  // "within 28 days", "within the last 6 months", "at least 4 weeks since/prior to/before":
  // a time window, never a value of a parameter.
  bool window_at(size_t i, size_t& end) {
    size_t p = i;
    std::string cmp;
    bool within = is_word(p, "within");
    if (within) {
      ++p;
      if (is_word(p, "the")) ++p;
      if (is_word_in(p, {"last", "past", "previous", "preceding", "prior", "next", "first"})) ++p;
      cmp = "<=";
    } else if (is(p, Tk::cmp) || is(p, Tk::word)) {
      auto c = comparator(p);
      if (!c) return false;
      cmp = *c;
    } else {
      return false;
    }
    if (!is_number(p)) return false;
    double v = t_[p].value;
    size_t q = p + 1;
    auto unit = unit_at(q);
    if (!is_time_unit(unit)) return false;
    if (!within) {
      size_t r = q;
      if (is_word(r, "of")) return false;  // "≥ 12 months of amenorrhea": a duration
      if (!is_word_in(
              r, {"since", "prior", "before", "after", "from", "following", "post", "pre", "ago"}))
        return false;
    }
    Element e;
    e.cmp = cmp;
    e.value = v;
    e.unit = unit;
    e.begin = i;
    e.num_begin = p;
    e.end = q;
    static constexpr std::pair<std::string_view, double> kDays[] = {
        {"years", 365.25}, {"months", 30.4375}, {"weeks", 7}, {"days", 1}, {"hours", 1.0 / 24}};
    Threshold t;
    t.kind = kind_;
    t.criterion = index_;
    t.form = ThresholdForm::window;
    t.parameter = "WINDOW";
    t.comparator = cmp;
    t.unit_written = unit;
    for (const auto& [name, days] : kDays)
      if (*unit == name) t.value = tidy(v * days);
    t.unit = "days";
    t.value_written = std::string(s_.substr(t_[p].begin, t_[q - 1].end - t_[p].begin));
    t.text = std::string(s_.substr(t_[i].begin, t_[q - 1].end - t_[i].begin));
    end = q;
    // The same window said twice in one criterion is reported once.
    for (size_t k = out_.size(), n = 0; k-- > 0 && n < 16; ++n)
      if (same_bound(out_[k], t)) return true;
    out_.push_back(std::move(t));
    return true;
  }

  // A bound written before its parameter: "at least 1500 granulocytes", "< 750 g birth weight",
  // "≥ 37 weeks gestation", "≥ 4 on a 0 to 10 numerical rating scale".
  bool number_first(size_t i, size_t& end) {
    size_t p = i;
    if (!(is(p, Tk::cmp) || is(p, Tk::word))) return false;
    auto cmp = comparator(p);
    if (!cmp || !is_number(p)) return false;
    Element e;
    e.cmp = *cmp;
    e.begin = i;
    e.num_begin = p;
    e.value = t_[p].value;
    size_t q = p + 1;
    e.unit = unit_at(q);
    e.end = q;
    size_t k = q;
    if (is_word(k, "of")) ++k;
    AliasMatch a = alias_at(k);
    if (!a.alias && is_word(q, "on")) {
      // A scale named after the value: "on a 0 to 10 Numerical Rating Scale (NRS)".
      for (size_t r = q + 1; r < t_.size() && r < q + 10 && !a.alias; ++r) {
        if (t_[r].type == Tk::brk) break;
        AliasMatch b = alias_at(r);
        if (!b.alias) continue;
        bool scale = true;
        for (std::string_view pn : b.alias->params) {
          const auto* spec = threshold_detail::find_parameter(pn);
          scale = scale && spec && spec->accepts.empty();
        }
        if (scale)
          a = b, k = r;
        else
          break;
      }
    }
    if (!a.alias || (a.alias->flags & kNeedsComparator) || contains(a.alias->params, "AGE"))
      return false;
    if (clause_at(k)) return false;
    std::vector<Element> elems{e};
    if (!emit(i, elems, a.alias->params, std::nullopt, a.end)) return false;
    end = a.end;
    return true;
  }

  // A value-first age led by a word comparator ("younger than 18 years", "above 18 years of
  // age") is the trial's only at a sentence's start or after the people it is about; "sudden
  // death under 40 years of age" is no age limit.
  bool age_start_allowed(size_t i) const {
    if (t_[i].type == Tk::number || t_[i].type == Tk::cmp) {
      // Inside brackets, after anything but the people or "age": a note ("(≥13 years of age or
      // after onset of menses)").
      size_t open = i < open_of_.size() && open_of_[i] != SIZE_MAX ? open_of_[i] + 1 : 0;
      if (open == 0) return true;
      size_t before = open - 1;
      return before > 0 && is(before - 1, Tk::word) &&
             (person_word(norm(before - 1)) ||
              is_word_in(before - 1, {"age", "aged", "adult", "adults"}));
    }
    if (t_[i].type != Tk::word) return false;
    if (i == 0 || sentence_start(i) || norm(i) == "between") return true;
    size_t k = i - 1;
    return is(k, Tk::comma) || is(k, Tk::colon) ||
           (is(k, Tk::word) && (person_word(norm(k)) ||
                                is_word_in(k, {"be", "are", "is", "aged", "adult", "adults"})));
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
    // "adults under age 60", "over the age of 65": the comparator before the name.
    if (age && m.begin > 0 && is_number(k + (is_word(k, "of") ? 1 : 0))) {
      if (is_word(k, "of")) ++k;
      size_t c = m.begin;
      if (is_word(c - 1, "the") && c > 1) --c;
      if (is_word_in(c - 1, {"under", "over", "above", "below", "beyond"})) {
        Element e;
        e.cmp = is_word_in(c - 1, {"under", "below"}) ? "<" : ">";
        e.begin = e.num_begin = k;
        e.value = t_[k].value;
        size_t q = k + 1;
        e.unit = unit_at(q);
        e.end = q;
        if (!e.unit || is_time_unit(e.unit)) elems.push_back(e);
      }
    }
    while (elems.empty() && steps++ < 16) {
      // Timing between the name and its bound: "PSA prior to study entry > 20 ng/mL".
      if (size_t n = phrase_at(k, "prior to"); n && is(k + 2, Tk::word) && !alias_at(k + 2).alias) {
        k += 3;
        if (is_word_in(k, {"entry", "screening", "registration", "enrollment", "enrolment",
                           "randomization", "visit"}))
          ++k;
        continue;
      }
      if (is_word(k, "at") &&
          is_word_in(k + 1, {"screening", "baseline", "entry", "randomization"})) {
        k += 2;
        continue;
      }
      elems = chain(k, m.params, true);
      if (!elems.empty()) break;
      if (!is(k, Tk::word) && !is(k, Tk::open) && !is(k, Tk::close) && !is(k, Tk::colon) &&
          !(is(k, Tk::dash) && depth > 0) && !(is(k, Tk::plus) && k == m.end))  // "CD4+ count"
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
    if (!emit(m.begin, elems, m.params, prefix, stop, m.or_list)) return false;
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
    // "18 to 79 years inclusive" opening a criterion: what else could it bound.
    else if (!ok && sentence_start(i) &&
             (is_word(p, "inclusive") || (is(p, Tk::comma) && is_word(p + 1, "inclusive"))))
      p += is_word(p, "inclusive") ? 1 : 2, ok = true;
    if (!ok) return false;
    for (const Element& e : elems)
      if (!is_time_unit(e.unit)) return false;
    if (!emit(i, elems, kAge, std::nullopt, p)) return false;
    end = p;
    return true;
  }

  // One threshold per bound and parameter; returns whether any was kept. `or_list`: the
  // parameters were joined by "or".
  bool emit(size_t begin_tok, const std::vector<Element>& elems, const Params& params,
            const std::optional<std::string>& prefix_condition, size_t end_tok,
            bool or_list = false, const std::optional<std::string>& forced_condition = {}) {
    size_t begin = t_[begin_tok].begin;
    size_t end = t_[end_tok - 1].end;
    std::string text(s_.substr(begin, end - begin));
    if (hedged(begin_tok)) return false;
    size_t before = out_.size();
    // A condition clause before the phrase in the same sentence ("if baseline FEV1 < 2 L then",
    // "Subjects without bone marrow metastases must have") holds for all of its bounds.
    std::optional<std::string> clause_prefix = forced_condition;
    if (!clause_prefix && last_clause_ >= 0) {
      const Clause& c = clauses_[static_cast<size_t>(last_clause_)];
      // (the first phrase after it, and the ones joined to that by "and"/"or"/","; not a new
      // statement run on without punctuation: "... ALT ≤ 5 × ULN Albumin ≥ 25 g/L")
      bool joined = last_phrase_end_ <= c.end || joined_list(last_phrase_end_, begin_tok);
      if (c.begin >= seg_begin_tok_ && c.end <= begin_tok && joined) clause_prefix = c.text;
    }
    for (size_t n = 0; n < elems.size(); ++n) {
      const Element& e = elems[n];
      size_t from = t_[e.end - 1].end;
      size_t to = n + 1 < elems.size() ? t_[elems[n + 1].begin].begin : suffix_end(e.end);
      std::optional<std::string> condition = condition_in(from, to);
      if (!condition) condition = suffix_clause(e.end);
      if (!condition) condition = clause_prefix;
      if (!condition) condition = prefix_condition;
      for (std::string_view p : params) {
        if (p == "BLOOD_PRESSURE" && !e.pressure.empty()) {  // "BP > 160 mmHg systolic"
          if (unit_fits(e.pressure, e.unit)) add(e.pressure, e, e.value, condition, text);
          continue;
        }
        if (p == "BLOOD_PRESSURE") {  // "blood pressure ≥ 140/90 mmHg"
          if (!e.second || e.cmp == "range" || !unit_fits("BLOOD_PRESSURE_SYSTOLIC", e.unit))
            continue;
          add("BLOOD_PRESSURE_SYSTOLIC", e, e.value, condition, text);
          add("BLOOD_PRESSURE_DIASTOLIC", e, *e.second, condition, text);
          continue;
        }
        if (!unit_fits(p, e.unit)) continue;
        add(p, e, e.value, condition, text);
      }
    }
    if (out_.size() == before) return false;
    // Alternatives, in an inclusion criterion only: there one of them suffices; in an exclusion
    // criterion each bound joined by "or" excludes on its own, which plain bounds already say.
    if (kind_ == CriterionKind::inclusion) {
      // ("< 10 g/dL in women or < 11 g/dL in men": one bound for each sex, not alternatives)
      bool alternatives = or_list;
      for (size_t n = 1; n < elems.size(); ++n)
        alternatives = alternatives || (elems[n].or_before && elems[n].sex == elems[n - 1].sex);
      int group = 0;
      if (last_phrase_end_ > 0 && joined_by_or(last_phrase_end_, begin_tok)) {
        group = out_[last_phrase_first_].or_group.value_or(0);
        if (group == 0) {
          group = ++groups_;
          for (size_t k = last_phrase_first_; k < before; ++k) out_[k].or_group = group;
        }
      } else if (alternatives) {
        group = ++groups_;
      }
      if (group)
        for (size_t k = before; k < out_.size(); ++k) out_[k].or_group = group;
    }
    last_end_ = end;
    last_end_tok_ = end_tok;
    last_phrase_end_ = end_tok;
    last_phrase_first_ = before;
    last_params_ = params;
    return true;
  }

  // A sentence that only advises ("a CD4 count < 200 cells/mm3 can be used to guide starting
  // ART") sets no limit.
  bool hedged(size_t k) {
    size_t from = seg_begin_of(k), to = k;
    if (from == hedge_seg_) return hedge_;
    hedge_seg_ = from;
    while (to < t_.size() && t_[to].type != Tk::brk) ++to;
    for (size_t q = from; q < to; ++q)
      if (phrase_at(q, "can be used") || phrase_at(q, "may be used") ||
          phrase_at(q, "should generally") || phrase_at(q, "consideration should") ||
          phrase_at(q, "is recommended") || phrase_at(q, "as a guide"))
        return hedge_ = true;
    return hedge_ = false;
  }

  // Only "," "and" "or" between two phrases, at least one of them.
  bool joined_list(size_t from, size_t to) const {
    if (to <= from || to - from > 4) return false;
    for (size_t k = from; k < to; ++k)
      if (!is(k, Tk::comma) && !is_word_in(k, {"and", "or"}) && !is(k, Tk::slash)) return false;
    return true;
  }

  // Only "," "or" "and/or" between two phrases.
  bool joined_by_or(size_t from, size_t to) const {
    if (to <= from || to - from > 6) return false;
    bool saw_or = false;
    for (size_t k = from; k < to; ++k) {
      if (is_word(k, "or"))
        saw_or = true;
      else if (!is(k, Tk::comma) && !is_word(k, "and") && !is(k, Tk::slash) && !is(k, Tk::dash) &&
               !(is(k, Tk::word) && t_[k].norm.size() == 1))  // "S-NT-proBNP"
        return false;
    }
    return saw_or;
  }

  // The text of a condition clause starting right after a bound ("for infants < 12 months",
  // "(age < 16)", "in patients with liver metastases"); an "unless" clause is an exception to
  // the bound before it, not its condition.
  // Up to a few words may come between ("< 30 mL/min using Schwartz formula for individuals
  // ≥ 1 year of age"), but no other parameter, comma or sentence end.
  std::optional<std::string> suffix_clause(size_t k) const {
    for (size_t n = 0; n < 8 && k < t_.size(); ++n, ++k) {
      if (const Clause* c = clause_at(k))
        return c->suffixable ? std::optional<std::string>(c->text) : std::nullopt;
      if (t_[k].type == Tk::brk || (n > 0 && t_[k].type == Tk::comma) || t_[k].type == Tk::number ||
          t_[k].type == Tk::cmp || (n > 0 && alias_at(k).alias))
        return std::nullopt;
    }
    return std::nullopt;
  }

  // Rounded to six significant digits, so a conversion does not show its floating point noise.
  static double tidy(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return std::strtod(buf, nullptr);
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
    t.unit_written = e.lower_unit ? e.lower_unit : e.unit;
    if (e.num_begin < e.end && e.end <= t_.size()) {
      size_t from = t_[e.num_begin].begin, to = t_[e.end - 1].end;
      t.value_written = std::string(s_.substr(from, to - from));
    }
    // The canonical unit: both ends converted, or neither.
    if (const auto* spec = threshold_detail::find_parameter(parameter)) {
      auto lo = threshold_detail::to_canonical(*spec, value,
                                               (e.lower_unit ? e.lower_unit : e.unit).value_or(""));
      std::optional<threshold_detail::Converted> hi;
      if (e.upper) hi = threshold_detail::to_canonical(*spec, *e.upper, e.unit.value_or(""));
      if (lo && (!e.upper || (hi && hi->unit == lo->unit))) {
        t.value = tidy(lo->value);
        if (hi) t.upper = tidy(hi->value);
        t.unit = lo->unit;
      } else if (e.lower_unit) {
        return;  // "3 months to 17 years" that cannot be put in one unit
      }
    }
    if (!value_fits(parameter, t.value, t.upper)) return;
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

// "one" ... "twenty", the tens to "ninety", "hundred".
std::optional<double> word_number(std::string_view w) {
  static constexpr std::string_view kUnits[] = {
      "zero",     "one",     "two",     "three",     "four",     "five",     "six",
      "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
      "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};
  static constexpr std::string_view kTens[] = {"thirty",  "forty",  "fifty", "sixty",
                                               "seventy", "eighty", "ninety"};
  if (w.size() < 3 || w.size() > 9) return std::nullopt;
  for (size_t i = 0; i < std::size(kUnits); ++i)
    if (w == kUnits[i]) return static_cast<double>(i);
  for (size_t i = 0; i < std::size(kTens); ++i)
    if (w == kTens[i]) return 30.0 + 10.0 * static_cast<double>(i);
  if (w == "hundred") return 100.0;
  return std::nullopt;
}

// Whether the text has a number spelled out, for criteria without a digit.
bool has_number_word(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    while (i < text.size() && !letter(text[i])) ++i;
    size_t b = i;
    while (i < text.size() && letter(text[i])) ++i;
    if (i - b >= 3 && i - b <= 9) {
      char w[10];
      for (size_t k = b; k < i; ++k) w[k - b] = static_cast<char>(text[k] | 0x20);
      if (word_number(std::string_view(w, i - b))) return true;
    }
  }
  return false;
}

// Whole numbers as integers ("18", not "18.0").
JsonValue number_value(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return JsonValue(static_cast<int64_t>(v));
  return JsonValue(v);
}

}  // namespace

std::string_view criterion_kind_name(CriterionKind kind) {
  return kind == CriterionKind::inclusion ? "inclusion" : "exclusion";
}

std::string_view threshold_form_name(ThresholdForm form) {
  return form == ThresholdForm::bound ? "bound" : "window";
}

std::vector<Threshold> extract_thresholds(std::string_view criterion, CriterionKind kind,
                                          size_t index) {
  // Every threshold's bound is a number token, and only an ASCII digit starts one: most
  // criteria have none and need no scan.
  // (A plain loop: find_first_of calls memchr over the ten digits for every byte.)
  if (std::none_of(criterion.begin(), criterion.end(),
                   [](char c) { return c >= '0' && c <= '9'; }) &&
      !has_number_word(criterion))
    return {};
  return Scanner(criterion, kind, index).run();
}

std::vector<Threshold> extract_eligibility_thresholds(const std::vector<std::string>& inclusion,
                                                      const std::vector<std::string>& exclusion) {
  std::vector<Threshold> out;
  // OR group ids are numbered per criterion by the scanner; in the record they are 1, 2, ...
  // in order, so that one id names one group.
  int groups = 0;
  auto take = [&](std::vector<Threshold> list) {
    int base = groups;
    for (auto& t : list) {
      if (t.or_group) {
        t.or_group = base + *t.or_group;
        groups = std::max(groups, *t.or_group);
      }
      out.push_back(std::move(t));
    }
  };
  for (size_t i = 0; i < inclusion.size(); ++i)
    take(extract_thresholds(inclusion[i], CriterionKind::inclusion, i));
  for (size_t i = 0; i < exclusion.size(); ++i)
    take(extract_thresholds(exclusion[i], CriterionKind::exclusion, i));
  return out;
}

JsonValue threshold_to_json(const Threshold& t, JsonAllocator& alloc) {
  JsonValue o(rapidjson::kObjectType);
  set_string(o, "kind", criterion_kind_name(t.kind), alloc);
  set_member(o, "criterion", JsonValue(static_cast<uint64_t>(t.criterion)), alloc);
  set_string(o, "form", threshold_form_name(t.form), alloc);
  set_string(o, "parameter", t.parameter, alloc);
  set_string(o, "comparator", t.comparator, alloc);
  set_member(o, "value", number_value(t.value), alloc);
  set_member(o, "upper", t.upper ? number_value(*t.upper) : JsonValue(rapidjson::kNullType), alloc);
  set_optional_string(o, "unit", t.unit, alloc);
  set_optional_string(o, "unit_written", t.unit_written, alloc);
  set_string(o, "value_written", t.value_written, alloc);
  set_optional_string(o, "sex", t.sex, alloc);
  set_optional_string(o, "condition", t.condition, alloc);
  set_member(o, "or_group", t.or_group ? JsonValue(*t.or_group) : JsonValue(rapidjson::kNullType),
             alloc);
  set_string(o, "text", t.text, alloc);
  return o;
}

JsonValue thresholds_to_json(const std::vector<Threshold>& thresholds, JsonAllocator& alloc) {
  JsonValue out(rapidjson::kArrayType);
  for (const Threshold& t : thresholds) out.PushBack(threshold_to_json(t, alloc), alloc);
  return out;
}

}  // namespace trialmill
