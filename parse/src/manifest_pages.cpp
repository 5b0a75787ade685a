#include "trialmill/parse/manifest_pages.hpp"

#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/text.hpp"

namespace trialmill {

void read_manifest_pages(
    std::istream& in, std::string_view name, const std::optional<std::string>& format,
    const std::function<void(const ManifestPage& page)>& on_page,
    const std::function<void(const std::string& where, const std::string& message)>& on_error) {
  JsonLineReader reader(in);
  JsonLineReader::Line line;
  while (reader.next(line)) {
    const std::string where = str_cat(name, ":", line.number);
    ManifestPage page;
    try {
      JsonDocument manifest = parse_json_line(line, "manifest line");
      if (!manifest.IsObject()) throw make_error("manifest line is not a JSON object");
      auto path = get_string(manifest, "path");
      if (!path) throw make_error("manifest line has no \"path\"");
      page.path = *path;
      auto url = get_string(manifest, "url");
      page.input = PageInput{url.value_or(*path), url, get_string(manifest, "fetched_at"),
                             format ? format : get_string(manifest, "format"),
                             get_string(manifest, "nct_id")};
    } catch (const Error& e) {
      on_error(where, e.what());
      continue;
    }
    on_page(page);
  }
}

}  // namespace trialmill
