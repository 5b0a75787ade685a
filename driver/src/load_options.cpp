#include "trialmill/driver/load_options.hpp"

#include "trialmill/cli.hpp"
#include "trialmill/driver/load.hpp"

namespace trialmill {

void declare_load_options(CLI::App& app, LoadOptions& o) {
  add_db_option(app, o.db, "the SQLite database to create or update (required)")
      ->check(CLI::Validator(
          [](std::string& db) { return db.empty() ? "--db PATH is required" : ""; }, "", "PATH"));
  app.add_option("-j,--threads", o.threads,
                 "parse+normalize worker threads (default: the number of cores)")
      ->type_name("N")
      ->check(positive_count());
  add_batch_option(app, o.batch);
  app.add_flag("--no-bulk{false}", o.bulk,
               "store row by row with every index kept up, even into an empty database");
  app.add_option("FILE", o.files,
                 "pages or studies, FOLDERs of them, ZIPs of them; '-' is stdin, one page per line")
      ->required();
}

Command load_command() {
  return make_command<LoadOptions>(
      {"load", "load API v2 pages into the store (parallel, streaming, bounded memory)",
       "--db PATH [--threads N] [--batch N] [--no-bulk] FILE|FOLDER|ZIP...",
       "Loads ClinicalTrials.gov API v2 JSON (/api/v2/studies pages or single studies), the\n"
       "legacy <clinical_study> XML (AllPublicXML) and other registry pages into the SQLite\n"
       "store. A FOLDER gives every file under it; a .zip gives every entry, read from the\n"
       "archive without unpacking it. Each file is mapped, its studies\n"
       "are parsed and normalized on N worker threads and stored by one writer in batched\n"
       "transactions. Memory stays bounded whatever the number of studies. Studies are stored\n"
       "in no particular order; a second load of the same files changes nothing. FILE '-' is\n"
       "stdin, one page per line (trialmill-gen-corpus | trialmill load --db t.db -).\n"
       "\n"
       "Into a database that holds no trial yet (a rebuild from scratch) the load is a bulk\n"
       "load: rows are appended without index upkeep and the indexes are built once at the\n"
       "end. Readers see the trials as usual meanwhile, only their queries are slower. If the\n"
       "load is killed, the next command that opens the database for writing builds the\n"
       "missing indexes. The same trial twice in the input ends the bulk load there.\n",
       "  0  every study was stored (or was already stored)\n"
       "  1  some studies or files failed (each named on stderr); the others were stored\n"
       "  2  usage error, or the database cannot be opened\n"},
      declare_load_options, run_load);
}

}  // namespace trialmill
