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

// What a threshold is: a bound on a parameter of the patient, or a time window ("within 28
// days", "at least 4 weeks since") that bounds how long ago something happened -- never a value
// of a parameter.
enum class ThresholdForm { bound, window };

// "bound" / "window".
std::string_view threshold_form_name(ThresholdForm form);

struct Threshold {
  CriterionKind kind = CriterionKind::inclusion;
  size_t criterion = 0;  // 0-based index into inclusion_/exclusion_criteria
  ThresholdForm form = ThresholdForm::bound;
  std::string parameter;                    // canonical UPPER_SNAKE name: "HEMOGLOBIN", "AGE", ...
                                            // (a window: "WINDOW")
  std::string comparator;                   // ">=" "<=" ">" "<" "=" or "range"
  double value = 0;                         // the bound in `unit`, or the low end of a range
  std::optional<double> upper;              // the high end of a range, else nullopt
  std::optional<std::string> unit;          // the parameter's canonical unit when the written one
                                            // converts to it ("g/dL", "10^9/L", "years"), else the
                                            // written unit normalized ("x ULN", "copies/mL")
  std::optional<std::string> unit_written;  // the unit as written, normalized ("g/L", "/mm3")
  std::string value_written;                // number(s) and unit exactly as written: "1,500/mm^3"
  std::optional<std::string> sex;           // "MALE" / "FEMALE" when the bound is for one sex
  // Set when the bound applies only if something holds ("liver metastases", "baseline FEV1 <
  // 2 L", "age < 16"): a matching service must not apply it to everyone.
  std::optional<std::string> condition;
  // Bounds of one criterion that are alternatives ("creatinine < 1.5 x ULN or creatinine
  // clearance >= 60 mL/min") share an id, unique within the record: meeting one suffices.
  std::optional<int> or_group;
  std::string text;  // the matched phrase, exactly as in the source
};

// The thresholds of one criterion, in text order; `kind` and `index` are copied into each.
// Identical thresholds within the criterion are reported once. Never throws on odd input.
std::vector<Threshold> extract_thresholds(std::string_view criterion,
                                          CriterionKind kind = CriterionKind::inclusion,
                                          size_t index = 0);

// All thresholds of a record: the inclusion criteria first, then the exclusion criteria.
std::vector<Threshold> extract_eligibility_thresholds(const std::vector<std::string>& inclusion,
                                                      const std::vector<std::string>& exclusion);

// {"kind","criterion","form","parameter","comparator","value","upper","unit","unit_written",
//  "value_written","sex","condition","or_group","text"}; whole numbers are written as integers.
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
