#include "trialmill/fetch/source_config.hpp"

#include <cctype>

#include "trialmill/error.hpp"
#include "trialmill/fetch/url.hpp"
#include "trialmill/io.hpp"
#include "trialmill/json.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace {

class ConfigReader {
 public:
  ConfigReader(std::string_view what, const std::optional<std::string>& base)
      : what_(what), base_(base) {}

  [[noreturn]] void fail(std::string_view where, std::string_view message) const {
    throw UsageError(str_cat(what_, ": ", where, ": ", message));
  }

  std::string url(const JsonValue& obj, std::string_view key, std::string_view where) const {
    auto s = get_string(obj, key);
    if (!s) fail(where, str_cat("\"", key, "\" is required"));
    return url_value(*s, str_cat(where, ".", key));
  }

  std::string url_value(std::string s, std::string_view where) const {
    if (s.find("{base}") != std::string::npos) {
      if (!base_) fail(where, "uses {base}: give the registry's address with --base");
      s = replace_all(s, "{base}", *base_);
    }
    std::string probe = replace_all(s, "{nct_id}", "NCT00000000");
    auto parsed = parse_url(probe);
    if (!parsed ||
        (parsed->scheme != "http" && parsed->scheme != "https" && parsed->scheme != "file"))
      fail(where, str_cat("not an http(s) or file URL: ", s));
    return s;
  }

  void read_http(const JsonValue& obj, HttpSettings& http, std::string_view where) const {
    auto number = [&](const char* key, double min, double max) -> std::optional<double> {
      const JsonValue* v = find_member(obj, key);
      if (!v) return std::nullopt;
      if (!v->IsNumber()) fail(where, str_cat("\"", key, "\" must be a number"));
      double d = v->GetDouble();
      if (d < min || d > max)
        fail(where, str_cat("\"", key, "\" must be in [", min, ", ", max, "]"));
      return d;
    };
    if (auto v = number("rate", 0.001, 1000)) http.rate = *v;
    if (auto v = number("concurrency", 1, 64)) http.concurrency = static_cast<int>(*v);
    if (auto v = number("connect_timeout_ms", 1, 600000))
      http.connect_timeout_ms = static_cast<long>(*v);
    if (auto v = number("timeout_ms", 1, 3600000)) http.timeout_ms = static_cast<long>(*v);
    if (auto v = number("max_redirects", 0, 20)) http.max_redirects = static_cast<long>(*v);
    if (auto v = number("max_body_bytes", 1, 1e10)) http.max_body_bytes = static_cast<size_t>(*v);
    if (auto v = number("max_retries", 0, 20)) http.max_retries = static_cast<int>(*v);
    if (auto v = number("backoff_base_ms", 0, 600000)) http.backoff_base_ms = static_cast<long>(*v);
    if (auto v = number("backoff_max_ms", 0, 3600000)) http.backoff_max_ms = static_cast<long>(*v);
    if (auto v = number("max_retry_after_ms", 0, 3600000))
      http.max_retry_after_ms = static_cast<long>(*v);
    if (auto v = number("loopback_crawl_delay_cap", 0, 86400)) http.loopback_crawl_delay_cap = *v;
  }

 private:
  std::string what_;
  const std::optional<std::string>& base_;
};

Discovery parse_discovery(std::string_view s, const ConfigReader& reader, std::string_view where) {
  if (s == "sitemap") return Discovery::sitemap;
  if (s == "listing") return Discovery::listing;
  if (s == "ctgov-api") return Discovery::ctgov_api;
  reader.fail(where, str_cat("unknown discovery \"", s, "\" (sitemap, listing, ctgov-api)"));
}

}  // namespace

std::string_view discovery_name(Discovery discovery) {
  switch (discovery) {
    case Discovery::sitemap:
      return "sitemap";
    case Discovery::listing:
      return "listing";
    case Discovery::ctgov_api:
      return "ctgov-api";
  }
  return "?";
}

const SourceConfig* FetchConfig::find_source(std::string_view name) const {
  for (const auto& s : sources)
    if (s.name == name) return &s;
  return nullptr;
}

std::optional<std::string> page_format_for_parse(std::string_view format) {
  if (format == "auto" || format == kFormatGeneric) return std::nullopt;
  return std::string(format);
}

bool is_placeholder_contact(std::string_view user_agent) {
  std::string ua = to_lower(user_agent);
  for (std::string_view domain : {"example.org", "example.com", "example.net", "example.edu",
                                  ".example", ".invalid", ".test"}) {
    size_t pos = ua.find(domain);
    if (pos == std::string::npos) continue;
    size_t end = pos + domain.size();
    // A whole domain (or the end of one), not "example.organisation.eu".
    if (end == ua.size() || !(std::isalnum(static_cast<unsigned char>(ua[end])) || ua[end] == '-'))
      return true;
  }
  return false;
}

bool is_offline(const std::vector<const SourceConfig*>& sources) {
  auto local = [](std::string_view url) {
    auto parsed = parse_url(replace_all(std::string(url), "{nct_id}", "NCT00000000"));
    if (!parsed) return false;
    return parsed->scheme == "file" || parsed->host == "127.0.0.1" || parsed->host == "localhost" ||
           parsed->host == "::1" || parsed->host == "[::1]";
  };
  for (const SourceConfig* s : sources) {
    if (!local(s->base_url) || !local(s->discovery_url)) return false;
    if (s->lookup_url && !local(*s->lookup_url)) return false;
    for (const auto& h : s->extra_hosts)
      if (!local(h)) return false;
  }
  return true;
}

void require_real_contact(const FetchConfig& config,
                          const std::vector<const SourceConfig*>& sources) {
  if (is_offline(sources) || !is_placeholder_contact(config.user_agent)) return;
  throw UsageError(str_cat(
      "the config's user_agent \"", config.user_agent,
      "\" gives a placeholder contact; the registries ask crawlers for a real one (a mail address "
      "or URL they can reach you at). Put yours in \"user_agent\" before a live run; an offline "
      "registry on loopback needs none"));
}

FetchConfig parse_fetch_config(std::string_view json, std::string_view what,
                               const std::optional<std::string>& base) {
  JsonDocument doc;
  try {
    doc = parse_json(json, what);
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  ConfigReader reader(what, base);
  if (!doc.IsObject()) reader.fail("top level", "must be an object");
  FetchConfig config;
  config.user_agent = get_string_or(doc, "user_agent", "");
  // Registries ask crawlers to say who they are and how to reach them.
  if (config.user_agent.find('@') == std::string::npos &&
      config.user_agent.find("http") == std::string::npos)
    reader.fail("user_agent", "required, with a contact address (mail or URL)");
  HttpSettings defaults;
  if (const JsonValue* http = find_member(doc, "http")) {
    if (!http->IsObject()) reader.fail("http", "must be an object");
    reader.read_http(*http, defaults, "http");
  }
  const JsonValue* sources = find_member(doc, "sources");
  if (!sources || !sources->IsArray() || sources->Empty())
    reader.fail("sources", "must be a non-empty array");
  for (const auto& item : sources->GetArray()) {
    std::string where = str_cat("sources[", config.sources.size(), "]");
    if (!item.IsObject()) reader.fail(where, "must be an object");
    SourceConfig s;
    s.name = get_string_or(item, "name", "");
    if (s.name.empty()) reader.fail(where, "\"name\" is required");
    where = str_cat("source ", s.name);
    if (config.find_source(s.name)) reader.fail(where, "name used twice");
    s.format = get_string_or(item, "format", "");
    if (!s.format_is_auto() && !in_vocabulary(Vocabulary::source_format, s.format))
      reader.fail(where, str_cat("unknown format \"", s.format, "\" (a source format or auto)"));
    s.base_url = reader.url(item, "base_url", where);
    s.discovery = parse_discovery(get_string_or(item, "discovery", ""), reader, where);
    s.discovery_url = reader.url(item, "discovery_url", where);
    if (auto lookup = get_string(item, "lookup_url")) {
      if (lookup->find("{nct_id}") == std::string::npos)
        reader.fail(where, "\"lookup_url\" needs an {nct_id} placeholder");
      s.lookup_url = reader.url_value(*lookup, str_cat(where, ".lookup_url"));
    }
    for (const auto& h : get_string_list(item, "extra_hosts"))
      s.extra_hosts.push_back(reader.url_value(h, str_cat(where, ".extra_hosts")));
    if (const JsonValue* v = find_member(item, "page_size")) {
      if (!v->IsInt() || v->GetInt() < 1 || v->GetInt() > 1000)
        reader.fail(where, "\"page_size\" must be an integer in [1, 1000]");
      s.page_size = v->GetInt();
    }
    if (const JsonValue* v = find_member(item, "max_pages")) {
      if (!v->IsInt() || v->GetInt() < 0)
        reader.fail(where, "\"max_pages\" must be an integer >= 0");
      s.max_pages = v->GetInt();
    }
    if (auto pattern = get_string(item, "detail_links")) {
      if (pattern->empty()) reader.fail(where, "\"detail_links\" must not be empty");
      s.detail_links = *pattern;
    }
    if (const JsonValue* p = find_member(item, "pagination")) {
      if (!p->IsObject()) reader.fail(where, "\"pagination\" must be an object");
      SourceConfig::PageParam param;
      param.name = get_string_or(*p, "param", "");
      if (param.name.empty()) reader.fail(where, "\"pagination\" needs a \"param\"");
      for (auto [key, field] : {std::pair{"start", &param.start}, std::pair{"step", &param.step}}) {
        if (const JsonValue* v = find_member(*p, key)) {
          if (!v->IsInt64() || v->GetInt64() < 0 || v->GetInt64() > 100000000)
            reader.fail(where, str_cat("\"pagination.", key, "\" must be a whole number >= 0"));
          *field = v->GetInt64();
        }
      }
      if (param.step < 1) reader.fail(where, "\"pagination.step\" must be at least 1");
      s.page_param = param;
    }
    if (const JsonValue* v = find_member(item, "since_last_run")) {
      if (!v->IsBool()) reader.fail(where, "\"since_last_run\" must be true or false");
      s.since_last_run = v->GetBool();
    }
    if (const JsonValue* v = find_member(item, "sweep_per_night")) {
      if (!v->IsInt() || v->GetInt() < 0 || v->GetInt() > 1000000)
        reader.fail(where, "\"sweep_per_night\" must be an integer in [0, 1000000]");
      s.sweep_per_night = v->GetInt();
    }
    if (const JsonValue* v = find_member(item, "sweep_batch")) {
      if (!v->IsInt() || v->GetInt() < 1 || v->GetInt() > 1000)
        reader.fail(where, "\"sweep_batch\" must be an integer in [1, 1000]");
      s.sweep_batch = v->GetInt();
    }
    if (s.discovery == Discovery::listing && !s.lookup_url && !s.detail_links)
      reader.fail(where, "listing discovery needs a lookup_url or detail_links");
    s.http = defaults;
    reader.read_http(item, s.http, where);
    config.sources.push_back(std::move(s));
  }
  return config;
}

std::string read_fetch_config_text(const std::string& path) {
  try {
    return read_file(path, 1u << 20);
  } catch (const Error& e) {
    throw UsageError(str_cat(path, ": ", e.what()));
  }
}

FetchConfig load_fetch_config(const std::string& path, const std::optional<std::string>& base) {
  return parse_fetch_config(read_fetch_config_text(path), path, base);
}

}  // namespace trialmill
