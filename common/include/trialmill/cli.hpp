#pragma once
// Building blocks for declaring a command's options on CLI11 (command.hpp runs the command):
// the numeric checks every count option shares, and the options several commands declare alike,
// so that each is written once. Include only where options are declared: CLI11 is heavy.
#include <CLI/CLI.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trialmill {

// The value of option `option` (named in the error, without dashes) as a whole decimal number;
// throws UsageError otherwise. The second refuses 0 as well (counts, batch sizes).
uint64_t parse_unsigned_option(const std::string& option, const std::string& text);
size_t parse_positive_count(const std::string& option, const std::string& text);

// The same checks as CLI11 validators, run on the text before CLI11 converts it (CLI11 alone
// would take "-1" as a huge number and "0x10" as 16).
CLI::Validator positive_count();
CLI::Validator unsigned_number();
CLI::Validator iso_date();       // YYYY-MM-DD with a plausible month and day
CLI::Validator source_format();  // a value of the contract's source_format vocabulary
CLI::Validator nct_id();         // upper-cases, then wants NCT + 8 digits

// An option whose absence means "not given" (CLI11 has no std::optional binding in 2.1).
CLI::Option* add_optional(CLI::App& app, const std::string& names,
                          std::optional<std::string>& value, const std::string& help,
                          const std::string& value_name);
// A repeatable option: one value per occurrence ("--source a --source b"), never greedy.
CLI::Option* add_repeatable(CLI::App& app, const std::string& names,
                            std::vector<std::string>& values, const std::string& help,
                            const std::string& value_name);

// The options several commands declare alike.
CLI::Option* add_db_option(CLI::App& app, std::string& db, const std::string& help);
CLI::Option* add_batch_option(CLI::App& app, size_t& batch);  // --batch N, positive
// -f, --format FORMAT checked against the source_format vocabulary.
CLI::Option* add_format_option(CLI::App& app, std::optional<std::string>& format,
                               const std::string& help);
// Positional NCT IDs, upper-cased and checked; repeats dropped (first kept) after parsing.
CLI::Option* add_nct_ids(CLI::App& app, std::vector<std::string>& ids, const std::string& help);
void drop_repeats(std::vector<std::string>& values);

}  // namespace trialmill
