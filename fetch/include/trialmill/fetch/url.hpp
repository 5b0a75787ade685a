#pragma once
// URL handling through libcurl's own parser, so that what we check is what curl requests.
#include <optional>
#include <string>
#include <string_view>

namespace trialmill {

struct Url {
  std::string scheme;  // lower case: "https"
  std::string host;    // lower case; empty for file://
  int port = 0;        // explicit or the scheme's default
  std::string path;    // path and query, "/" at least
};

// Nullopt when `text` is not an absolute URL libcurl can parse.
std::optional<Url> parse_url(std::string_view text);

// "scheme://host:port": the unit of politeness (rate, concurrency, robots.txt) and of the
// same-host rule. Throws Error on an unparseable URL.
std::string url_origin(std::string_view url);
std::string url_origin(const Url& url);

// `ref` (absolute or relative, as in a Location header or an href) against `base`;
// nullopt when the result is not a valid URL.
std::optional<std::string> resolve_url(std::string_view base, std::string_view ref);

// Percent-encodes everything but unreserved characters (RFC 3986), for query values.
std::string url_encode_component(std::string_view s);

}  // namespace trialmill
