#pragma once
// Sitemap files as sites serve them: sitemap.xml, or sitemap.xml.gz (RFC 1952 gzip bytes, not a
// Content-Encoding, so libcurl hands them over still compressed).
#include <cstddef>
#include <string>
#include <string_view>

namespace trialmill {

// True when `bytes` start with the gzip magic number.
bool is_gzip(std::string_view bytes);

// The bytes, inflated when they are gzip; throws Error on a corrupt stream or when the inflated
// size passes `limit` (a gzip bomb), naming the limit.
std::string gunzip_if_gzipped(std::string_view bytes, size_t limit);

// How deep sitemap indexes may nest (an index naming indexes naming sitemaps is 2): the
// protocol allows one level, sites use two, a loop must not recurse forever.
inline constexpr int kMaxSitemapDepth = 4;

}  // namespace trialmill
