#pragma once
// The trial record of the contract (shared/contract/trial-record.md, mirrored in docs/schema.md)
// as data: every field, its kind and its value set. Stages build and read records as JSON
// documents; this table is what checks them and what the store and tests iterate over.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trialmill/json.hpp"

namespace trialmill {

// Value sets of the contract.
enum class Vocabulary {
  none,
  overall_status,
  phase,
  study_type,
  date_type,  // ACTUAL ESTIMATED (enrollment type too)
  allocation,
  intervention_model,
  masking,
  primary_purpose,
  arm_type,
  intervention_type,
  sex,
  age_unit,
  sponsor_class,
  responsible_party_type,
  official_role,
  source_format,
};

std::span<const std::string_view> vocabulary_values(Vocabulary vocabulary);
bool in_vocabulary(Vocabulary vocabulary, std::string_view value);
std::string_view vocabulary_name(Vocabulary vocabulary);

enum class FieldKind {
  string,         // string|null
  enum_value,     // string from a vocabulary|null
  enum_list,      // [string from a vocabulary]
  string_list,    // [string]
  boolean,        // bool|null
  number,         // number|null
  age,            // {value, unit}|null
  dated,          // {date, type}|null
  enrollment,     // {count, type}|null
  object,         // an object whose members are checked separately|null
  object_list,    // [object]
};

struct FieldSpec {
  std::string_view name;
  FieldKind kind;
  Vocabulary vocabulary = Vocabulary::none;
};

// Lists are [] when absent; every other kind is null.
inline bool is_list_kind(FieldKind kind) {
  return kind == FieldKind::enum_list || kind == FieldKind::string_list || kind == FieldKind::object_list;
}

// The top-level fields of a trial record, in the order records are written.
std::span<const FieldSpec> trial_fields();
const FieldSpec* find_trial_field(std::string_view name);

// A trial record with every contract field absent (null or []), in contract order.
JsonDocument empty_trial_record();

// Checks a normalized trial record against the contract; returns one message per problem
// (empty when the record conforms). Used by tests and as a guard before storing.
std::vector<std::string> validate_trial_record(const JsonValue& record);

// A parse_warnings entry that starts with this marks a page cut off before its end: its values may
// be partial (a list cut mid-way), not just missing. Parse writes it; store trusts such a record
// only to fill what is empty.
inline constexpr std::string_view kTruncatedWarningPrefix = "truncated:";

// Source formats (the `source.format` value set, aggregator sites included).
inline constexpr std::string_view kFormatCtgovJson = "ctgov-v2-json";
inline constexpr std::string_view kFormatCtgovHtml = "ctgov-html";
inline constexpr std::string_view kFormatCtgovXml = "ctgov-xml";
inline constexpr std::string_view kFormatCtgovArchive = "ctgov-archive";
inline constexpr std::string_view kFormatVeeva = "veeva";
inline constexpr std::string_view kFormatMeddatax = "aggregator-meddatax";
inline constexpr std::string_view kFormatTrialx = "aggregator-trialx";
inline constexpr std::string_view kFormatGeneric = "aggregator-generic";

}  // namespace trialmill
