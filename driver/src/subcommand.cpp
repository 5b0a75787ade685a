#include "trialmill/driver/subcommand.hpp"

#include <SQLiteCpp/Exception.h>

#include <cstdio>

#include "trialmill/driver/locked_run.hpp"
#include "trialmill/error.hpp"
#include "trialmill/log.hpp"
#include "trialmill/store/schema.hpp"

namespace trialmill {

int run_subcommand(const std::vector<std::string>& args, const std::string& program,
                   const std::vector<OptionSpec>& specs, const std::function<std::string()>& usage,
                   const std::function<int(const ParsedArgs& parsed)>& body) {
  try {
    ParsedArgs parsed = parse_args(args, specs);
    apply_common_options(parsed, program);
    if (parsed.has("help")) {
      std::fputs(usage().c_str(), stdout);
      return kExitOk;
    }
    if (parsed.has("version")) {
      std::printf("%s %s\n", program.c_str(), TRIALMILL_VERSION);
      return kExitOk;
    }
    return body(parsed);
  } catch (const UsageError& e) {
    log_status_clear();
    log_error({}, str_cat(e.what(), " (see '", program, " --help')"));
    return kExitUsage;
  } catch (const StartError& e) {
    log_status_clear();
    log_error({}, str_cat("cannot start: ", e.what()));
    return kExitUsage;
  } catch (const DatabaseError& e) {
    log_status_clear();
    log_error({}, str_cat("stopped: ", e.what()));
    return kExitUsage;
  } catch (const SQLite::Exception& e) {
    // The database failed mid-run (full disk, read-only): nothing more could be stored.
    log_status_clear();
    log_error({}, str_cat("stopped: database error: ", e.what()));
    return kExitUsage;
  } catch (const std::exception& e) {
    log_status_clear();
    log_error({}, e.what());
    return kExitInputsFailed;
  }
}

}  // namespace trialmill
