#pragma once
// Names of contacts, officials and sponsors as shown on a page -> clean names.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialmill {

struct Person {
  std::string name;                  // degrees and titles removed; may be empty (phone only)
  std::optional<std::string> phone;  // found inside the raw name string
  std::optional<std::string> email;
};

// "Guopei Zhu, M.D" -> "Guopei Zhu"; "Prof. Dr. Ye, professor" -> "Ye".
std::string strip_name_titles(std::string_view name);

// "Rui You, PhD; Ming-Yuan Chen, MD, PhD" -> two people; phones ("0086 13606501549",
// "+8615960283462") and emails inside the string are taken out of the name.
std::vector<Person> split_people(std::string_view raw);

// "Novartis ( Novartis Pharmaceuticals )" -> "Novartis"; otherwise whitespace collapsed.
std::string normalize_sponsor_name(std::string_view raw);

}  // namespace trialmill
