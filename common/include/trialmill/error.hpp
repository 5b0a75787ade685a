#pragma once
// Errors are exceptions inside the stages and exit codes at the edge (see exit_code.hpp).
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "trialmill/exit_code.hpp"

namespace trialmill {

// Concatenates any streamable values; the format helper every error message is built with.
template <typename... Args>
std::string str_cat(Args&&... args) {
  std::ostringstream out;
  (out << ... << std::forward<Args>(args));
  return out.str();
}

// An input could not be processed; the stage reports it and goes on with the next input.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The command line is wrong; the program exits 2 before doing any work.
class UsageError : public Error {
 public:
  using Error::Error;
};

template <typename... Args>
Error make_error(Args&&... args) {
  return Error(str_cat(std::forward<Args>(args)...));
}

// The command could not start (lock held, database or config unusable): nothing was done.
class StartError : public Error {
 public:
  using Error::Error;
};

}  // namespace trialmill
