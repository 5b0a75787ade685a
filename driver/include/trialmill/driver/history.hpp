#pragma once
// `trialmill history`: import a trial's past versions, print a trial's changes.
#include <string>
#include <vector>

namespace trialmill {

int history_main(const std::vector<std::string>& args);
std::string history_usage();

}  // namespace trialmill
