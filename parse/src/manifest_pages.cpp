#include "trialmill/parse/manifest_pages.hpp"

#include "trialmill/error.hpp"
#include "trialmill/json.hpp"
#include "trialmill/record_model.hpp"
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
      // A source of format "auto" (or aggregator-generic) has no parser of its own: its pages
      // are read by detection and the generic reader, as a FILE without --format is.
      std::optional<std::string> line_format = get_string(manifest, "format");
      if (line_format && (*line_format == "auto" || *line_format == kFormatGeneric))
        line_format.reset();
      page.input = PageInput{url.value_or(*path), url, get_string(manifest, "fetched_at"),
                             format ? format : line_format, get_string(manifest, "nct_id")};
    } catch (const Error& e) {
      on_error(where, e.what());
      continue;
    }
    on_page(page);
  }
}

}  // namespace trialmill
