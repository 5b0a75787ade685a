#pragma once
// Shape tests the extractors share. They classify a line by its form; mapping a raw value to the
// contract's vocabulary is normalize's job.
#include <optional>
#include <string>
#include <string_view>

#include "trialmill/parse/parsed_record.hpp"

namespace trialmill {

// "Drug: Anlotinib" — an intervention shown with its type prefix.
bool is_typed_intervention(std::string_view line);
// "Experimental: Anlotinib", "Active Comparator: …": an arm heading; fills type and label.
bool split_arm_heading(std::string_view line, std::string& type, std::string& label);
// An arm type on its own line: "Experimental group", "Active Comparator group", "Experimental".
bool is_arm_type_line(std::string_view line);
// A trial status as registries display it ("Recruiting", "Not yet recruiting", "COMPLETED").
bool looks_like_status(std::string_view line);
bool looks_like_phase(std::string_view line);
bool looks_like_age(std::string_view line);
bool looks_like_sex(std::string_view line);
bool looks_like_phone(std::string_view s);
bool looks_like_email(std::string_view s);
// Splits "Name, degree   0086 13606501549   name@host" into name, phone and email.
PersonRaw split_contact_line(std::string_view line);
// Removes a trailing parenthesised single-token acronym: "Title (Aplus)" -> "Title", "Aplus".
std::optional<std::string> take_trailing_acronym(std::string& title);

}  // namespace trialmill
