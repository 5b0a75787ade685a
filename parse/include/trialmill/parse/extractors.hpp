#pragma once
// One extractor per page layout. Each reads the page's line stream and fills a parsed record with
// the raw strings it finds; none maps a vocabulary or invents a value.
#include "trialmill/parse/page_view.hpp"
#include "trialmill/parse/parsed_record.hpp"

namespace trialmill {

void extract_veeva(const PageView& page, ParsedRecord& record);
void extract_ctgov_text(const PageView& page, ParsedRecord& record);
void extract_meddatax(const PageView& page, ParsedRecord& record);
void extract_trialx(const PageView& page, ParsedRecord& record);
// Fallback for aggregator sites without an extractor: label/value heuristics.
void extract_generic(const PageView& page, ParsedRecord& record);

}  // namespace trialmill
