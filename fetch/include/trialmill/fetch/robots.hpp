#pragma once
// robots.txt, the simple subset: Disallow/Allow path prefixes and Crawl-delay in the groups for
// "*" and for "trialmill". A group naming trialmill replaces the "*" group, as crawlers
// conventionally do.
#include <optional>
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
  // Seconds the site asks between two requests (Crawl-delay, a non-standard but widely used
  // line: ClinicalTrials.gov and many aggregators set it); nullopt when the group has none.
  std::optional<double> crawl_delay() const { return crawl_delay_; }

 private:
  struct Rule {
    std::string prefix;
    bool allow = false;
  };
  std::vector<Rule> rules_;
  std::optional<double> crawl_delay_;
};

}  // namespace trialmill
