#include "trialmill/fetch/url.hpp"

#include <curl/curl.h>

#include <cstdlib>
#include <memory>

#include "trialmill/error.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

namespace {

struct CurlUrlDeleter {
  void operator()(CURLU* u) const noexcept { curl_url_cleanup(u); }
};
using CurlUrlPtr = std::unique_ptr<CURLU, CurlUrlDeleter>;

std::optional<std::string> get_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(u, part, &value, flags) != CURLUE_OK || !value) return std::nullopt;
  std::string out(value);
  curl_free(value);
  return out;
}

}  // namespace

std::optional<Url> parse_url(std::string_view text) {
  CurlUrlPtr u(curl_url());
  if (!u) return std::nullopt;
  std::string s(text);
  if (curl_url_set(u.get(), CURLUPART_URL, s.c_str(), 0) != CURLUE_OK) return std::nullopt;
  Url url;
  url.scheme = to_lower(get_part(u.get(), CURLUPART_SCHEME).value_or(""));
  url.host = to_lower(get_part(u.get(), CURLUPART_HOST).value_or(""));
  auto port = get_part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  url.port = port ? std::atoi(port->c_str()) : 0;
  url.path = get_part(u.get(), CURLUPART_PATH).value_or("/");
  if (url.path.empty()) url.path = "/";
  if (auto query = get_part(u.get(), CURLUPART_QUERY)) url.path += "?" + *query;
  if (url.scheme.empty() || (url.host.empty() && url.scheme != "file")) return std::nullopt;
  return url;
}

std::string url_origin(const Url& url) {
  if (url.scheme == "file") return "file://";
  return str_cat(url.scheme, "://", url.host, ":", url.port);
}

std::string url_origin(std::string_view url) {
  auto parsed = parse_url(url);
  if (!parsed) throw make_error("not a valid URL: ", url);
  return url_origin(*parsed);
}

std::optional<std::string> resolve_url(std::string_view base, std::string_view ref) {
  CurlUrlPtr u(curl_url());
  if (!u) return std::nullopt;
  std::string b(base), r(trim(ref));
  if (curl_url_set(u.get(), CURLUPART_URL, b.c_str(), 0) != CURLUE_OK) return std::nullopt;
  if (curl_url_set(u.get(), CURLUPART_URL, r.c_str(), 0) != CURLUE_OK) return std::nullopt;
  return get_part(u.get(), CURLUPART_URL);
}

std::string url_encode_component(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace trialmill
