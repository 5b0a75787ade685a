#pragma once
// The one map from what went wrong to the process exit code. Errors are exceptions inside the
// stages (error.hpp); only the command framework (command.hpp) turns them into exit codes, here.
// A new kind: a class in error.hpp, a row in ExitCode if it needs its own code, a line in
// exit_code_for().
#include <exception>

namespace trialmill {

enum ExitCode : int {
  kExitOk = 0,            // every input processed
  kExitInputsFailed = 1,  // some inputs failed (each named on stderr); the rest was processed
  kExitUsage = 2,         // usage error, or the run could not start / stored nothing
  kExitHeld = 3,          // the publish gate held some source (trialmill nightly)
};

// UsageError and StartError (DatabaseError is one) -> kExitUsage; any other -> kExitInputsFailed.
int exit_code_for(const std::exception& error);

}  // namespace trialmill
