#pragma once
// The fetch stage's output line (shared/contract/trial-record.md, "Stage outputs").
#include <optional>
#include <string>

namespace trialmill {

struct ManifestLine {
  std::string url;
  std::string format;
  std::string path;  // the archived copy
  std::string sha256;
  long http_status = 0;  // 200, or 304 when the archived copy is still current
  std::string fetched_at;
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::optional<std::string> nct_id;  // where the listing or lookup told it
  std::string source;                 // the config's source name (in process only, not written)
};

// One compact JSON object, no trailing newline.
std::string manifest_json(const ManifestLine& line);

}  // namespace trialmill
