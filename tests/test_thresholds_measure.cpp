// The thresholds reader measured: precision and recall on fixtures/thresholds-measure.jsonl, real
// criterion lines of the corpus's studies (API v2 JSON, legacy XML, a few other registries) with
// the bounds a reader of each line finds, written by hand. A reporting test: it prints the
// numbers overall and per parameter, and holds the reader to the issue's floors.
//
// A bound counts as found when parameter, comparator, value and upper (in the parameter's
// canonical unit, to 0.1 %), unit, "conditional or not" and "alternative or not" all agree. Time
// windows are not bounds of a parameter and are not counted; one read as a bound is a false one.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "support.hpp"
#include "trialmill/json.hpp"
#include "trialmill/normalize/thresholds.hpp"

using namespace trialmill;
using namespace trialmill::test;

namespace {

struct Expected {
  std::string parameter;
  std::string comparator;
  double value = 0;
  std::optional<double> upper;
  std::optional<std::string> unit;
  bool any_unit = false;
  bool conditional = false;
  bool alternative = false;
};

struct MeasureLine {
  bool exclusion = false;
  std::string line;
  std::vector<Expected> expect;
};

std::vector<MeasureLine> load_measure() {
  std::vector<MeasureLine> out;
  std::ifstream in(fixtures_dir() / "thresholds-measure.jsonl");
  REQUIRE(in.good());
  std::string text;
  while (std::getline(in, text)) {
    if (text.empty()) continue;
    JsonDocument doc = parse_json(text, "thresholds-measure.jsonl");
    MeasureLine m;
    m.line = doc["line"].GetString();
    m.exclusion = std::string_view(doc["kind"].GetString()) == "exclusion";
    for (const auto& e : doc["expect"].GetArray()) {
      Expected x;
      x.parameter = e["parameter"].GetString();
      x.comparator = e["comparator"].GetString();
      x.value = e["value"].GetDouble();
      if (e.HasMember("upper")) x.upper = e["upper"].GetDouble();
      if (e.HasMember("any_unit")) x.any_unit = true;
      if (e.HasMember("unit") && e["unit"].IsString()) x.unit = std::string(e["unit"].GetString());
      x.conditional = e.HasMember("conditional");
      x.alternative = e.HasMember("or_group");
      m.expect.push_back(std::move(x));
    }
    out.push_back(std::move(m));
  }
  return out;
}

bool near(double a, double b) {
  return std::fabs(a - b) <= 1e-3 * std::max(std::fabs(a), std::fabs(b)) + 1e-9;
}

bool matches(const Expected& e, const Threshold& t) {
  if (t.form != ThresholdForm::bound || t.parameter != e.parameter || t.comparator != e.comparator)
    return false;
  if (!near(t.value, e.value) || t.upper.has_value() != e.upper.has_value()) return false;
  if (e.upper && !near(*t.upper, *e.upper)) return false;
  if (!e.any_unit && t.unit != e.unit) return false;
  return t.condition.has_value() == e.conditional && t.or_group.has_value() == e.alternative;
}

struct Counts {
  int expected = 0;
  int found = 0;    // expected bounds matched
  int given = 0;    // bounds the reader gave
  int correct = 0;  // given bounds that matched
};

double ratio(int a, int b) {
  return b == 0 ? 1.0 : static_cast<double>(a) / b;
}

std::string describe(const Threshold& t) {
  char buf[64];
  std::string s = t.parameter + " " + t.comparator + " ";
  std::snprintf(buf, sizeof buf, "%g", t.value);
  s += buf;
  if (t.upper) {
    std::snprintf(buf, sizeof buf, "..%g", *t.upper);
    s += buf;
  }
  if (t.unit) s += " " + *t.unit;
  if (t.condition) s += " if=" + *t.condition;
  if (t.or_group) s += " or#" + std::to_string(*t.or_group);
  return s;
}

std::string describe(const Expected& e) {
  char buf[64];
  std::string s = e.parameter + " " + e.comparator + " ";
  std::snprintf(buf, sizeof buf, "%g", e.value);
  s += buf;
  if (e.upper) {
    std::snprintf(buf, sizeof buf, "..%g", *e.upper);
    s += buf;
  }
  if (e.any_unit)
    s += " (any unit)";
  else if (e.unit)
    s += " " + *e.unit;
  if (e.conditional) s += " (conditional)";
  if (e.alternative) s += " (alternative)";
  return s;
}

}  // namespace

TEST_CASE("thresholds measure: precision and recall on real criterion lines") {
  auto lines = load_measure();
  REQUIRE(lines.size() >= 200);
  Counts all;
  std::map<std::string, Counts> per;
  std::string misses;
  for (const MeasureLine& m : lines) {
    // Each line is read as the kind of criterion it is in its record; one line, one record.
    auto got = m.exclusion ? extract_eligibility_thresholds({}, {m.line})
                           : extract_eligibility_thresholds({m.line}, {});
    std::vector<bool> used(got.size(), false);
    for (const Expected& e : m.expect) {
      ++all.expected;
      ++per[e.parameter].expected;
      bool hit = false;
      for (size_t i = 0; i < got.size() && !hit; ++i)
        if (!used[i] && matches(e, got[i])) used[i] = hit = true;
      if (hit) {
        ++all.found;
        ++per[e.parameter].found;
      } else {
        misses += "  missed  " + describe(e) + "   <- " + m.line.substr(0, 160) + "\n";
      }
    }
    for (size_t i = 0; i < got.size(); ++i) {
      if (got[i].form != ThresholdForm::bound) continue;
      ++all.given;
      ++per[got[i].parameter].given;
      if (used[i]) {
        ++all.correct;
        ++per[got[i].parameter].correct;
      } else {
        misses += "  wrong   " + describe(got[i]) + "   <- " + m.line.substr(0, 160) + "\n";
      }
    }
  }
  double precision = ratio(all.correct, all.given), recall = ratio(all.found, all.expected);
  std::printf("thresholds measure: %zu lines, %d expected bounds, %d given\n", lines.size(),
              all.expected, all.given);
  std::printf("  overall: precision %.1f%%  recall %.1f%%\n", 100 * precision, 100 * recall);
  std::printf("  %-26s %8s %8s %10s %8s\n", "parameter", "expected", "given", "precision",
              "recall");
  for (const auto& [name, c] : per)
    std::printf("  %-26s %8d %8d %9.1f%% %7.1f%%\n", name.c_str(), c.expected, c.given,
                100 * ratio(c.correct, c.given), 100 * ratio(c.found, c.expected));
  if (std::getenv("TRIALMILL_MEASURE_DETAIL")) std::printf("%s", misses.c_str());
  std::fflush(stdout);

  // The issue's floors.
  CHECK(precision >= 0.97);
  CHECK(recall >= 0.92);
  for (const auto& [name, c] : per) {
    if (c.expected < 10) continue;
    CAPTURE(name);
    CHECK(ratio(c.found, c.expected) >= 0.85);
  }
}
