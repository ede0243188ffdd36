// Running a search flow, shared by `tandem search FLOW` and `tandem run FLOW` (which runs the
// search when the flow has a `search:` section).
#pragma once

#include <string>

namespace tandem::cli {

struct SearchCommandOptions {
  std::string flow_file;
  std::string cache_dir;  // empty: the default cache
  bool quiet = false;     // no progress line
  bool fresh = false;     // delete an existing study of the output directory first
};

// Runs or resumes the study, validates the winners, writes the report. Returns the exit code.
int run_search_flow(const SearchCommandOptions& options);

}  // namespace tandem::cli
