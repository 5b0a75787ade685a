#pragma once
// Builds a parsed record (docs/parsed-record.md): every field present from the start, null or [],
// filled with raw strings by an extractor.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "trialmill/json.hpp"

namespace trialmill {

struct PersonRaw {
  std::optional<std::string> name, role, phone, email, affiliation;
};

struct LocationRaw {
  std::optional<std::string> facility, city, state, zip, country, status;
  std::vector<PersonRaw> contacts;
};

struct ArmRaw {
  std::optional<std::string> label, type, description;
  std::vector<std::string> intervention_names;
};

struct InterventionRaw {
  std::optional<std::string> type, name, description;
  std::vector<std::string> other_names;
};

struct OutcomeRaw {
  std::optional<std::string> measure, time_frame, description;
};

class ParsedRecord {
 public:
  ParsedRecord();

  JsonDocument& doc() { return doc_; }
  const JsonDocument& doc() const { return doc_; }

  // Sets a string field; an empty or absent value leaves the field null.
  void set(std::string_view field, const std::optional<std::string>& value);
  bool has(std::string_view field) const;
  void set_list(std::string_view field, const std::vector<std::string>& values);
  void add_to_list(std::string_view field, std::string_view value);  // skips duplicates
  // {date|count: value, type: type} objects for dates and enrollment.
  void set_typed(std::string_view field, std::string_view value_key,
                 const std::optional<std::string>& value, const std::optional<std::string>& type);
  void set_sponsor(std::string_view field, const std::optional<std::string>& name,
                   const std::optional<std::string>& sponsor_class);
  void add_collaborator(const std::optional<std::string>& name,
                        const std::optional<std::string>& sponsor_class);
  void set_responsible_party(const std::optional<std::string>& type,
                             const std::optional<std::string>& name,
                             const std::optional<std::string>& affiliation);
  void add_official(const PersonRaw& person);
  void add_central_contact(const PersonRaw& person);
  void add_location(const LocationRaw& location);
  void add_arm(const ArmRaw& arm);
  void add_intervention(const InterventionRaw& intervention);
  void add_outcome(std::string_view field, const OutcomeRaw& outcome);
  void set_bool(std::string_view field, bool value);
  void warn(std::string_view message);

  std::optional<std::string> get(std::string_view field) const;

 private:
  // The member `field` (found by its place in the record), or null when absent.
  JsonValue* slot(std::string_view field);
  const JsonValue* slot(std::string_view field) const;
  void put(std::string_view field, JsonValue value);  // sets or adds, as set_member
  JsonValue person_value(const PersonRaw& person, bool with_affiliation);
  JsonValue& list(std::string_view field);
  JsonDocument doc_;
  // What add_to_list has in each list, so that a duplicate is found in constant time (a study
  // can list 100,000 conditions; a search of the list per add made parsing quadratic). A flat
  // open-addressing table of (hash, position + 1) (0 is empty), compared with the array's own
  // string only on a matching hash: no allocation per item. `size` is the array's
  // length when the table was last in step: a list changed another way is indexed again.
  struct ListIndex {
    size_t size = 0;
    size_t used = 0;
    std::vector<uint64_t> slots;
  };
  std::unordered_map<std::string, ListIndex> list_index_;
};

}  // namespace trialmill
