#pragma once
// Machine-usable eligibility thresholds ("HB ≥ 90 g/L", "ECOG 0-1", "QTc > 450 ms in men")
// found in the inclusion/exclusion criteria. A hand-written scanner over each criterion (no
// regular expressions, linear in the text): a recognised parameter name, a comparator and a
// number make a threshold; a number whose parameter is not recognised gives nothing.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/json.hpp"

namespace trialmill {

enum class CriterionKind { inclusion, exclusion };

// "inclusion" / "exclusion".
std::string_view criterion_kind_name(CriterionKind kind);

struct Threshold {
  CriterionKind kind = CriterionKind::inclusion;
  size_t criterion = 0;                  // 0-based index into inclusion_/exclusion_criteria
  std::string parameter;                 // canonical UPPER_SNAKE name: "HEMOGLOBIN", "AGE", ...
  std::string comparator;                // ">=" "<=" ">" "<" "=" or "range"
  double value = 0;                      // the bound, or the low end of a range
  std::optional<double> upper;           // the high end of a range, else nullopt
  std::optional<std::string> unit;       // normalized: "g/L" "10^9/L" "x ULN" "years" "%" ...
  std::optional<std::string> sex;        // "MALE" / "FEMALE" when the bound is for one sex
  std::optional<std::string> condition;  // short qualifier, e.g. "liver metastases"
  std::string text;                      // the matched phrase, exactly as in the source
};

// The thresholds of one criterion, in text order; `kind` and `index` are copied into each.
// Identical thresholds within the criterion are reported once. Never throws on odd input.
std::vector<Threshold> extract_thresholds(std::string_view criterion,
                                          CriterionKind kind = CriterionKind::inclusion,
                                          size_t index = 0);

// All thresholds of a record: the inclusion criteria first, then the exclusion criteria.
std::vector<Threshold> extract_eligibility_thresholds(const std::vector<std::string>& inclusion,
                                                      const std::vector<std::string>& exclusion);

// {"kind","criterion","parameter","comparator","value","upper","unit","sex","condition","text"};
// whole numbers are written as integers.
JsonValue threshold_to_json(const Threshold& threshold, JsonAllocator& alloc);
JsonValue thresholds_to_json(const std::vector<Threshold>& thresholds, JsonAllocator& alloc);

// ---- internals shared by thresholds*.cpp (and open to tests) ---------------------------------
namespace threshold_detail {

enum class Tk : unsigned char {
  word,    // letters (then digits): "hb", "qtcf", "fev1"; "µ"/"μ" folded to "u"
  number,  // "1,500" -> norm "1500"; "4.010^9" splits into "4.0" and "10"
  cmp,     // ">=" "<=" ">" "<" "=" (from ≥ ≤ >= \> &gt; ...)
  times,   // × * ✕
  dash,    // - – — ~
  slash,
  percent,
  colon,
  comma,
  open,   // ( [ {
  close,  // ) ] }
  caret,  // ^
  sup9,   // ⁹
  plus,
  brk,  // ; . (sentence end) newline ! ?
  other,
};

struct Token {
  Tk type = Tk::other;
  size_t begin = 0;  // byte span in the text
  size_t end = 0;
  // Words in ASCII lower case, numbers as digits, comparators as ">=" etc.: a literal or a view
  // into the storage of the TokenList holding the token.
  std::string_view norm;
  double value = 0;  // numbers
};

// The tokens of one text and the storage their norms point into (one block for all of them
// instead of a string per token), moved together.
struct TokenList {
  std::vector<Token> tokens;
  std::unique_ptr<char[]> storage;
  auto begin() const { return tokens.begin(); }
  auto end() const { return tokens.end(); }
};

TokenList tokenize(std::string_view text);

}  // namespace threshold_detail

}  // namespace trialmill
