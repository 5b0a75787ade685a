#pragma once
// The inputs of `trialmill load` (and `history import`) as one stream of pages: a file, a folder
// (every file under it, in name order), a .zip archive (every entry, read from the archive
// without unpacking), or '-' (stdin, one page per line).
#include <string>
#include <vector>

#include "trialmill/driver/load.hpp"

namespace trialmill {

PageSource input_pages(const std::vector<std::string>& paths);

// True when `path` names a ZIP archive (by its .zip extension).
bool is_zip_path(const std::string& path);

}  // namespace trialmill
