#pragma once
// robots.txt, the simple subset: Disallow/Allow path prefixes in the groups for "*" and for
// "trialmill". A group naming trialmill replaces the "*" group, as crawlers conventionally do.
#include <string>
#include <string_view>
#include <vector>

namespace trialmill {

class RobotsRules {
 public:
  static RobotsRules allow_all() { return RobotsRules(); }
  static RobotsRules disallow_all();
  static RobotsRules parse(std::string_view text, std::string_view agent = "trialmill");

  // `path` is the URL's path and query. The longest matching rule wins; Allow wins ties.
  bool allowed(std::string_view path) const;

 private:
  struct Rule {
    std::string prefix;
    bool allow = false;
  };
  std::vector<Rule> rules_;
};

}  // namespace trialmill
