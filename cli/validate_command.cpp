// `tandem validate FLOW (--trial N | --trial-json FILE) [--output FILE]`: one trial of a study
// validated on the RTL exactly as `tandem search` validates its winners (search/search_loop.h
// validate_trial): its trained network (or stand-alone retraining), the generated package, the
// co-simulation. The trial comes from the study (--trial) or from its JSON record (--trial-json,
// what a validation job on a cluster gets: SQLite's WAL mode does not work across hosts). It
// prints the validation record as JSON or writes it to FILE atomically; it does not record it in
// the study (the search does).
#include <iostream>

#include "cli/command_registry.h"
#include "core/files.h"
#include "core/input_error.h"
#include "search/search_flow.h"
#include "search/search_loop.h"
#include "search/study.h"

namespace tandem::cli {
namespace {

struct ValidateOptions {
  std::string flow_file;
  std::int64_t trial = -1;
  std::string trial_json;
  std::string cache_dir;
  std::string output_file;
};

int run(const ValidateOptions& o) {
  const SearchFlow flow = load_search_flow(o.flow_file);
  std::optional<TrialRecord> trial;
  if (!o.trial_json.empty()) {
    std::string text;
    try {
      text = read_input_file(o.trial_json);
    } catch (const InputError& e) {
      throw CLI::ValidationError("--trial-json", e.what());  // names the file
    }
    try {
      trial = trial_from_json(nlohmann::json::parse(text));
    } catch (const std::exception& e) {
      throw CLI::ValidationError("--trial-json", o.trial_json + ": " + e.what());
    }
  } else {
    trial = Study::open(flow.study_path()).find(o.trial);
    if (!trial) {
      throw CLI::ValidationError("--trial", "study " + flow.study_path() + " has no trial " + std::to_string(o.trial));
    }
  }
  const ValidationRecord validation = validate_trial(flow, *trial, o.cache_dir);
  const std::string json = to_json(validation).dump(2) + "\n";
  if (o.output_file.empty()) {
    std::cout << json;
    return validation.agree ? 0 : 1;
  }
  write_file_atomically(o.output_file, json);  // the job's result, agreeing or not
  return 0;
}

void setup(CLI::App& app) {
  auto o = std::make_shared<ValidateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate", "Validate one recorded trial of a search on the RTL (as the search validates its winners)");
  cmd->add_option("flow", o->flow_file, "flow YAML with a `search:` section (its study must exist)")->required();
  CLI::Option* number = cmd->add_option("--trial", o->trial, "the trial's number in the flow's study")
                            ->check(CLI::NonNegativeNumber);
  CLI::Option* json = cmd->add_option("--trial-json", o->trial_json, "the trial's JSON record (study show --json)");
  number->excludes(json);

  cmd->add_option("--cache-dir", o->cache_dir, "accuracy and simulator cache (default ~/.cache/tandem)");
  cmd->add_option("--output", o->output_file,
                  "write the validation's JSON to this file (atomically) instead of stdout; exit status 0 "
                  "whenever the record is written, disagreeing designs included");
  cmd->callback([o, number, json] {
    if (number->count() + json->count() != 1) throw CLI::RequiredError("--trial or --trial-json");
    if (const int status = run(*o); status != 0) throw CLI::RuntimeError(status);
  });
}

RegisterCommand registration("validate", setup);

}  // namespace
}  // namespace tandem::cli
