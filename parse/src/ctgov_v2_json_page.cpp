// Finds the studies of an API v2 page without building the page's DOM, and turns each into a
// parsed record (mapping in ctgov_v2_json_map.cpp).
#include <rapidjson/error/en.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "trialmill/error.hpp"
#include "trialmill/io.hpp"
#include "trialmill/parse/ctgov_v2_json.hpp"
#include "trialmill/record_model.hpp"
#include "trialmill/text.hpp"

namespace trialmill {
namespace {

// 0x80 in each byte of `word` equal to `c`: the lowest is exact, above it a borrow may mark
// others, which no caller looks at.
uint64_t byte_hits(uint64_t word, char c) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  uint64_t x = word ^ (kOnes * static_cast<unsigned char>(c));
  return (x - kOnes) & ~x & (kOnes * 0x80);
}

// The same for bytes below 0x20 (bytes from 0x80 are not).
uint64_t control_hits(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  return (word - kOnes * 0x20) & ~word & (kOnes * 0x80);
}

// A study's text parsed in place, as rapidjson's InsituStringStream, knowing where it ends: its
// strings' plain runs are then copied eight bytes at a time (the specialization below), where
// rapidjson, without SSE enabled, takes them byte by byte.
struct StudyStream : rapidjson::InsituStringStream {
  StudyStream(char* begin, char* end) : rapidjson::InsituStringStream(begin), end_(end) {}
  char* end_;  // the text's terminating '\0'
};

}  // namespace
}  // namespace trialmill

// rapidjson keeps a stream of this kind in a local copy while it reads a string, as it does its own.
template <>
struct rapidjson::StreamTraits<trialmill::StudyStream> {
  enum { copyOptimization = 1 };
};

// Copies the run of a string up to its closing quote, a backslash or a control byte, where
// rapidjson's loop goes on byte by byte (the same bytes stop it: it reads a char, so a byte from
// 0x80 is no control byte). In place, so the copy only moves bytes once an escape shortened the
// string; each word is loaded before it is stored, and the store never passes the load.
template <>
template <>
inline void rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::CrtAllocator>::
    ScanCopyUnescapedString<trialmill::StudyStream, trialmill::StudyStream>(trialmill::StudyStream& is,
                                                                            trialmill::StudyStream& os) {
  (void)os;  // the same stream
  char* p = is.src_;
  char* q = is.dst_;
  const char* end = is.end_;
  while (p + 8 <= end) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    uint64_t stops = trialmill::byte_hits(word, '"') | trialmill::byte_hits(word, '\\') | trialmill::control_hits(word);
    size_t n = stops ? static_cast<size_t>(__builtin_ctzll(stops)) / 8 : 8;
    if (q != p) std::memcpy(q, &word, n);
    p += n;
    q += n;
    if (stops) {
      is.src_ = p;
      is.dst_ = q;
      return;
    }
  }
  while (*p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20) *q++ = *p++;  // ends at the '\0'
  is.src_ = p;
  is.dst_ = q;
}

namespace trialmill {
namespace {

// Deeper than any real study; also keeps rapidjson and the record writer off deep recursion.
constexpr size_t kMaxDepth = 512;
// Full precision, but for a text that would take RapidJSON 1.1.0 into undefined behaviour (see
// has_zero_significand_exponent): the same at normal precision.
constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag;
constexpr unsigned kFullPrecision = rapidjson::kParseFullPrecisionFlag;

[[noreturn]] void json_error(size_t offset, std::string_view reason) {
  throw make_error("invalid JSON at offset ", offset, ": ", reason);
}

// Delimits JSON values by their brackets and strings only; each study's slice is then parsed in
// full by rapidjson, which catches what this scanner lets through.
class Scanner {
 public:
  // `base`: where `text` starts in the page, so that offsets in messages are the page's.
  explicit Scanner(std::string_view text, size_t base = 0) : text_(text), base_(base) {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
  }

  size_t pos() const { return pos_; }
  bool at_end() {
    skip_space();
    return pos_ >= text_.size();
  }
  char peek() {
    skip_space();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }

  void expect(char c) {
    if (peek() != c) fail(pos_ < text_.size() ? str_cat("expected '", c, "'") : str_cat("expected '", c, "', page ends"));
    ++pos_;
  }

  // An object key, raw (escapes left as written: the keys looked for have none).
  std::string_view key() {
    if (peek() != '"') fail("expected a member name");
    size_t begin = pos_ + 1;
    skip_string();
    std::string_view k = text_.substr(begin, pos_ - 1 - begin);
    expect(':');
    return k;
  }

  // Skips one value; returns its extent. With `elements`, the extents of the objects and arrays
  // directly inside it (a studies array's studies) are noted there, for a second scanner's
  // value() to take instead of delimiting them again.
  std::string_view value(std::vector<std::string_view>* elements = nullptr) {
    skip_space();
    size_t begin = pos_;
    if (pos_ >= text_.size()) fail("expected a value, page ends");
    char c = text_[pos_];
    if (elements) elements->clear();
    if (c == '{' || c == '[') {
      // A known extent: the value was delimited already, from this same byte.
      if (known_ && next_known_ < known_->size() && (*known_)[next_known_].data() == text_.data() + pos_) {
        pos_ += (*known_)[next_known_++].size();
        return text_.substr(begin, pos_ - begin);
      }
      skip_container(elements);
    }
    else if (c == '"') skip_string();
    else skip_scalar();
    return text_.substr(begin, pos_ - begin);
  }

  [[noreturn]] void fail(std::string_view reason) const { fail_at(pos_, reason); }
  [[noreturn]] void fail_at(size_t pos, std::string_view reason) const { json_error(base_ + pos, reason); }

 private:
  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == '\t'))
      ++pos_;
  }

  // Most of a page's bytes are inside strings, most strings are short (keys, enums) and a few
  // long (descriptions): the first 16 bytes are looked at eight at a time, then memchr jumps from
  // quote to quote. A quote ends the string unless an odd run of backslashes stands before it;
  // each run is counted once, so the scan stays linear.
  void skip_string() {
    const size_t begin = pos_;
    const char* data = text_.data();
    const size_t size = text_.size();
    size_t from = begin + 1;
    for (int k = 0; k < 2 && from + 8 <= size; ++k) {
      uint64_t word;
      std::memcpy(&word, data + from, 8);
      // Any backslash (it may escape a quote in this word or the next): the general loop below.
      if (byte_hits(word, '\\')) break;
      if (uint64_t quotes = byte_hits(word, '"')) {  // the lowest hit is exact
        pos_ = from + static_cast<size_t>(__builtin_ctzll(quotes)) / 8 + 1;
        return;
      }
      from += 8;
    }
    while (from < size) {
      const void* hit = std::memchr(data + from, '"', size - from);
      if (!hit) break;
      size_t quote = static_cast<size_t>(static_cast<const char*>(hit) - data);
      size_t backslashes = 0;
      while (quote - backslashes > begin + 1 && data[quote - backslashes - 1] == '\\') ++backslashes;
      if (backslashes % 2 == 0) {
        pos_ = quote + 1;
        return;
      }
      from = quote + 1;
    }
    fail_at(begin, "string not terminated");
  }

  void skip_scalar() {
    size_t begin = pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t') break;
      ++pos_;
    }
    if (pos_ == begin) fail("expected a value");
  }

  // Extents noted for at most this many elements; the rest are delimited again (a page with
  // more studies than this is rare, and the note stays small).
  static constexpr size_t kMaxNotedElements = size_t{1} << 20;

  void skip_container(std::vector<std::string_view>* elements = nullptr) {
    // Bytes outside strings that matter here; the rest (numbers, literals, ',', ':', blanks)
    // are stepped over in a tight loop.
    static constexpr auto kStructural = [] {
      std::array<bool, 256> t{};
      for (unsigned char c : {'"', '{', '[', '}', ']'}) t[c] = true;
      return t;
    }();
    std::vector<char> closers;
    size_t element_begin = 0;
    const size_t size = text_.size();
    do {
      while (pos_ < size && !kStructural[static_cast<unsigned char>(text_[pos_])]) ++pos_;
      if (pos_ >= size) break;
      char c = text_[pos_];
      if (c == '"') {
        skip_string();
        continue;
      }
      if (c == '{' || c == '[') {
        if (closers.size() >= kMaxDepth) fail("nested too deeply");
        closers.push_back(c == '{' ? '}' : ']');
        if (closers.size() == 2) element_begin = pos_;
      } else {
        if (c != closers.back()) fail(str_cat("unexpected '", c, "'"));
        closers.pop_back();
        if (closers.size() == 1 && elements && elements->size() < kMaxNotedElements)
          elements->push_back(text_.substr(element_begin, pos_ + 1 - element_begin));
      }
      ++pos_;
    } while (!closers.empty() && pos_ < size);
    if (!closers.empty()) fail(str_cat("page ends inside a value (missing '", closers.back(), "')"));
  }

  std::string_view text_;
  size_t base_ = 0;
  size_t pos_ = 0;

 public:
  // Extents another scanner noted (value(elements)) for values of this text, in order.
  void use_known(const std::vector<std::string_view>* known) {
    known_ = known;
    next_known_ = 0;
  }

 private:
  const std::vector<std::string_view>* known_ = nullptr;
  size_t next_known_ = 0;
};

class PageReader {
 public:
  PageReader(std::string_view bytes, const PageInput& input, const std::function<void(JsonDocument&&)>& emit,
             const std::function<void(CtgovV2StudyError&&)>& on_error)
      : bytes_(bytes), input_(input), emit_(emit), on_error_(on_error), sha256_(sha256_hex(bytes)) {}

  void read() {
    Scanner scan(bytes_);
    if (scan.at_end()) throw make_error("empty page");
    char first = scan.peek();
    if (first == '[') {
      studies(scan.value(&study_extents_));
    } else if (first == '{') {
      envelope(scan);
    } else {
      scan.fail("not a JSON object or array");
    }
    if (!scan.at_end()) scan.fail("unexpected data after the JSON value");
  }

 private:
  // A page object: either a study itself or {"studies": [...], ...}. Member values are only
  // delimited here, so a huge "studies" array is never held as a DOM.
  void envelope(Scanner& scan) {
    size_t begin = scan.pos();
    std::optional<std::string_view> studies_value;
    bool is_study = false;
    std::vector<std::string_view> others;
    scan.expect('{');
    if (scan.peek() != '}') {
      while (true) {
        std::string_view k = scan.key();
        std::string_view v = scan.value(k == "studies" ? &study_extents_ : nullptr);
        if (k == "protocolSection") is_study = true;
        if (k == "studies") studies_value = v;
        else others.push_back(v);
        if (scan.peek() != ',') break;
        scan.expect(',');
      }
    }
    scan.expect('}');
    std::string_view whole = bytes_.substr(begin, scan.pos() - begin);
    if (is_study) {
      one_study(whole, begin, 0, true);
      return;
    }
    if (!studies_value)
      throw make_error("neither an API v2 study (no \"protocolSection\") nor a page of studies (no \"studies\")");
    // The envelope's own small members (nextPageToken, totalCount) are checked in full here.
    for (std::string_view v : others) {
      JsonDocument doc;
      if (has_zero_significand_exponent(v)) doc.Parse<kParseFlags>(v.data(), v.size());
      else doc.Parse<kParseFlags | kFullPrecision>(v.data(), v.size());
      if (doc.HasParseError())
        json_error(offset_of(v) + doc.GetErrorOffset(), rapidjson::GetParseError_En(doc.GetParseError()));
    }
    if (studies_value->front() != '[') json_error(offset_of(*studies_value), "\"studies\" is not an array");
    studies(*studies_value);
  }

  // The elements of a studies array (already delimited, so brackets balance), one at a time.
  void studies(std::string_view array) {
    Scanner scan(array, offset_of(array));
    scan.use_known(&study_extents_);
    scan.expect('[');
    size_t index = 0;
    if (scan.peek() != ']') {
      while (true) {
        std::string_view element = scan.value();
        one_study(element, offset_of(element), index++, false);
        if (scan.peek() != ',') break;
        scan.expect(',');
      }
    }
    scan.expect(']');
  }

  // As for HTML pages: a lone study (a fields= subset) may lack its ID while the listing that led
  // to it, or its URL, names the trial. Never for a study of a page of several.
  void take_nct_id_from_context(ParsedRecord& record) const {
    if (record.has("nct_id")) return;
    if (input_.nct_id && is_nct_id(*input_.nct_id)) {
      record.set("nct_id", to_upper(*input_.nct_id));
      record.warn("nct_id taken from the listing, not shown on the page");
      return;
    }
    if (!input_.url) return;
    auto ids = find_all_nct_ids(*input_.url);
    if (ids.size() != 1) return;
    record.set("nct_id", ids.front());
    record.warn("nct_id taken from the page's URL, not shown on the page");
  }

  size_t offset_of(std::string_view part) const { return static_cast<size_t>(part.data() - bytes_.data()); }

  void report(size_t index, size_t offset, std::optional<std::string> nct_id, std::string_view reason) {
    CtgovV2StudyError error;
    error.index = index;
    error.offset = offset;
    error.nct_id = std::move(nct_id);
    error.message = str_cat("study ", index + 1, " at offset ", offset, ": ", reason);
    on_error_(std::move(error));
  }

  // `single`: the page is this study, so a malformed study is a malformed page.
  void one_study(std::string_view slice, size_t offset, size_t index, bool single) {
    if (slice.front() != '{') {
      report(index, offset, std::nullopt, "not a JSON object");
      return;
    }
    // A page may be streamed at any size, one study is held whole: as for HTML pages, a limit.
    if (slice.size() > kMaxPageBytes) {
      std::string reason = str_cat("study too large: ", slice.size(), " bytes (limit ", kMaxPageBytes, ")");
      if (single) throw Error(reason);
      report(index, offset, std::nullopt, reason);
      return;
    }
    // Invalid UTF-8 can only sit inside strings; replaced so every output line is valid JSON.
    // So are the escapes that decode to no character (lone surrogates) or to NUL, which would
    // cut the value short wherever it is read as a C string.
    bool bad_utf8 = !is_valid_utf8(slice);
    bool bad_escape = find_bad_unicode_escape(slice, true) != std::string_view::npos;
    std::string repaired = bad_utf8 ? sanitize_utf8(slice) : std::string();
    if (bad_escape) repaired = repair_bad_unicode_escapes(bad_utf8 ? std::string_view(repaired) : slice);
    std::string_view text = bad_utf8 || bad_escape ? std::string_view(repaired) : slice;
    // Parsed in place in a copy: strings are decoded where they stand instead of through
    // rapidjson's stack into its allocator (the record copies what it keeps). The buffer ends
    // in '\0' as the slice's end reads to rapidjson, so errors and their offsets are the same.
    buffer_.assign(text);
    JsonDocument study;
    StudyStream stream(buffer_.data(), buffer_.data() + buffer_.size());
    if (has_zero_significand_exponent(text))
      study.ParseStream<kParseFlags | rapidjson::kParseInsituFlag, rapidjson::UTF8<>>(stream);
    else
      study.ParseStream<kParseFlags | kFullPrecision | rapidjson::kParseInsituFlag, rapidjson::UTF8<>>(stream);
    if (study.HasParseError()) {
      size_t at = offset + (bad_utf8 || bad_escape ? 0 : study.GetErrorOffset());
      std::string reason = str_cat("invalid JSON at offset ", at, ": ", rapidjson::GetParseError_En(study.GetParseError()));
      if (single) throw Error(reason);
      report(index, at, std::nullopt, reason);
      return;
    }
    ParsedRecord record;
    map_ctgov_v2_study(study, record);
    if (bad_utf8) record.warn("invalid UTF-8 in the study replaced with U+FFFD");
    if (bad_escape) record.warn("\\u escapes of lone surrogates replaced with U+FFFD, of NUL dropped");
    if (single) take_nct_id_from_context(record);
    auto nct = record.get("nct_id");
    if (!nct || !is_nct_id(*nct)) {
      report(index, offset, nct, nct ? str_cat("\"", *nct, "\" is not an NCT ID") : "no NCT ID (identificationModule.nctId)");
      return;
    }
    auto& doc = record.doc();
    auto& a = doc.GetAllocator();
    JsonValue& source = doc["source"];
    set_string(source, "format", kFormatCtgovJson, a);
    set_optional_string(source, "url", input_.url, a);
    set_optional_string(source, "fetched_at", input_.fetched_at, a);
    set_string(source, "sha256", sha256_, a);
    emit_(std::move(doc));
  }

  std::string_view bytes_;
  const PageInput& input_;
  const std::function<void(JsonDocument&&)>& emit_;
  const std::function<void(CtgovV2StudyError&&)>& on_error_;
  std::string sha256_;
  std::string buffer_;  // the study being parsed in place, reused from study to study
  // The studies' extents as the page's first pass delimited them (it must, to refuse a truncated
  // page before any record), so that the second pass does not scan them again.
  std::vector<std::string_view> study_extents_;
};

}  // namespace

void for_each_ctgov_v2_study(std::string_view bytes, const PageInput& input,
                             const std::function<void(JsonDocument&&)>& emit,
                             const std::function<void(CtgovV2StudyError&&)>& on_error) {
  PageReader(bytes, input, emit, on_error).read();
}

CtgovV2Result parse_ctgov_v2_json(std::string_view bytes, const PageInput& input) {
  CtgovV2Result result;
  for_each_ctgov_v2_study(
      bytes, input, [&](JsonDocument&& record) { result.records.push_back(std::move(record)); },
      [&](CtgovV2StudyError&& error) { result.errors.push_back(std::move(error)); });
  return result;
}

}  // namespace trialmill
