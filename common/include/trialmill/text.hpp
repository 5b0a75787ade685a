#pragma once
// Small text helpers used by every stage. All work on UTF-8 bytes; case folding is ASCII only,
// which is all the registry labels need.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialmill {

bool is_space(char c);
std::string_view trim(std::string_view s);
// Trims and folds every run of white space (including NBSP and other Unicode spaces) to one ' '.
std::string collapse_whitespace(std::string_view s);
// The same in pieces: appends `s` collapsed to `out`, a run of white space at the end of one piece
// kept pending for the next. Pieces appended to an empty `out` (and `pending_space` false) give
// collapse_whitespace of their concatenation, as long as no piece splits a UTF-8 character.
void append_collapsed_whitespace(std::string& out, bool& pending_space, std::string_view s);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);
bool iends_with(std::string_view s, std::string_view suffix);
// Case-insensitive find; npos when absent.
size_t ifind(std::string_view haystack, std::string_view needle, size_t from = 0);
bool icontains(std::string_view haystack, std::string_view needle);

std::vector<std::string_view> split(std::string_view s, char sep);
std::vector<std::string> split_trimmed(std::string_view s, std::string_view sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::string replace_all(std::string s, std::string_view from, std::string_view to);

// A key for vocabulary look-ups: lower case, letters and digits only, single spaces between words.
// "None (Open Label)" -> "none open label"; "PHASE1/PHASE2" -> "phase1 phase2".
std::string fold_key(std::string_view s);

// NCT IDs: "NCT" followed by exactly eight digits, not part of a longer token.
bool is_nct_id(std::string_view s);
// YYYY-MM-DD with a plausible month and day (what --since accepts).
bool is_iso_date(std::string_view s);
std::optional<std::string> find_nct_id(std::string_view s, size_t from = 0);
std::vector<std::string> find_all_nct_ids(std::string_view s);

bool is_valid_utf8(std::string_view s);
// Replaces invalid UTF-8 sequences with U+FFFD so every output line is valid JSON text.
std::string sanitize_utf8(std::string_view s);
// Share of bytes that are control characters other than tab/CR/LF (a binary-file signal).
double control_byte_ratio(std::string_view s);

}  // namespace trialmill
