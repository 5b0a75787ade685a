#include "trialmill/fetch/robots.hpp"

#include <cstdlib>

#include "trialmill/text.hpp"

namespace trialmill {

RobotsRules RobotsRules::disallow_all() {
  RobotsRules r;
  r.rules_.push_back({"/", false});
  return r;
}

RobotsRules RobotsRules::parse(std::string_view text, std::string_view agent) {
  RobotsRules star, mine;
  bool have_mine = false;
  // Consecutive User-agent lines open one group; the first rule line closes the agent list.
  bool in_agents = false, group_star = false, group_mine = false;
  for (std::string_view raw : split(text, '\n')) {
    std::string_view line = raw.substr(0, raw.find('#'));
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = to_lower(trim(line.substr(0, colon)));
    std::string value(trim(line.substr(colon + 1)));
    if (key == "user-agent") {
      if (!in_agents) group_star = group_mine = false;
      in_agents = true;
      if (value == "*") group_star = true;
      if (iequals(value, agent) || istarts_with(value, std::string(agent) + "/")) {
        group_mine = true;
        have_mine = true;
      }
      continue;
    }
    in_agents = false;
    if (key == "crawl-delay") {
      // A number of seconds; junk and negative values are ignored rather than guessed at.
      char* end = nullptr;
      double seconds = std::strtod(value.c_str(), &end);
      if (end && *end == '\0' && !value.empty() && seconds >= 0 && seconds <= 86400) {
        if (group_star) star.crawl_delay_ = seconds;
        if (group_mine) mine.crawl_delay_ = seconds;
      }
      continue;
    }
    if (key != "disallow" && key != "allow") continue;
    // An empty Disallow allows everything; it adds no rule.
    if (value.empty()) continue;
    Rule rule{value, key == "allow"};
    if (group_star) star.rules_.push_back(rule);
    if (group_mine) mine.rules_.push_back(rule);
  }
  return have_mine ? mine : star;
}

bool RobotsRules::allowed(std::string_view path) const {
  size_t best = 0;
  bool allow = true;
  for (const auto& rule : rules_) {
    if (path.substr(0, rule.prefix.size()) != rule.prefix) continue;
    if (rule.prefix.size() > best || (rule.prefix.size() == best && rule.allow)) {
      best = rule.prefix.size();
      allow = rule.allow;
    }
  }
  return allow;
}

}  // namespace trialmill
