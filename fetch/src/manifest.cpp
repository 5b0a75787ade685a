#include "trialmill/fetch/manifest.hpp"

#include "trialmill/json.hpp"

namespace trialmill {

std::string manifest_json(const ManifestLine& line) {
  JsonDocument doc;
  doc.SetObject();
  auto& a = doc.GetAllocator();
  set_string(doc, "url", line.url, a);
  set_string(doc, "format", line.format, a);
  set_string(doc, "path", line.path, a);
  set_string(doc, "sha256", line.sha256, a);
  set_member(doc, "http_status", JsonValue(static_cast<int64_t>(line.http_status)), a);
  set_string(doc, "fetched_at", line.fetched_at, a);
  set_optional_string(doc, "etag", line.etag, a);
  set_optional_string(doc, "last_modified", line.last_modified, a);
  set_optional_string(doc, "nct_id", line.nct_id, a);
  return to_json(doc);
}

}  // namespace trialmill
