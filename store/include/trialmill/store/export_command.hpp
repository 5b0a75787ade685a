#pragma once
// The export command, shared by trialmill-export and `trialmill export`.
#include <string>

#include "trialmill/command.hpp"
#include "trialmill/store/export.hpp"

namespace trialmill {

struct ExportCommandOptions {
  std::string db;  // --db, required; opened read-only
  ExportOptions what;
};

void declare_export_options(CLI::App& app, ExportCommandOptions& options);
// Writes the export to stdout; returns the exit code. Throws DatabaseError (exit 2) when the
// database cannot be used.
int run_export_command(const ExportCommandOptions& options);
// `name`: "trialmill-export", or "export" as a trialmill subcommand.
Command export_command(const std::string& name);

}  // namespace trialmill
