// `tandem evaluate FLOW [--genotype G] [--accel A.yaml] [--output FILE]`: one candidate of a study
// evaluated exactly as the search's workers do (search/candidate_scorer.h), in its own process,
// printing the trial record as JSON (or writing it to FILE, atomically). What a cluster job of a
// search runs (search/cluster_executor.h).
#include <iostream>

#include "cli/command_registry.h"
#include "core/accelerator_yaml.h"
#include "core/files.h"
#include "models/network_space.h"
#include "search/candidate_scorer.h"
#include "search/search_flow.h"
#include "search/study.h"

namespace tandem::cli {
namespace {

struct EvaluateOptions {
  std::string flow_file;
  std::string genotype;  // comma-separated gene indices
  std::string accelerator_file;
  std::string cache_dir;
  std::string output_file;
};

int run(const EvaluateOptions& o) {
  const SearchFlow flow = load_search_flow(o.flow_file);
  Candidate candidate;
  candidate.accelerator = o.accelerator_file.empty() ? flow.flow.accelerator : load_accelerator_file(o.accelerator_file);
  if (!o.genotype.empty()) {
    try {
      candidate.genotype = parse_genotype(o.genotype);
    } catch (const std::invalid_argument& e) {
      throw CLI::ValidationError("--genotype", e.what());
    }
    const NetworkSpace* space = NetworkSpace::find(flow.network_space);
    if (auto problem = space->check(candidate.genotype)) {
      throw CLI::ValidationError("--genotype", *problem);
    }
  } else if (flow.flow.network.empty()) {
    throw CLI::RequiredError("--genotype (the flow has no fixed network)");
  }
  const CandidateScorer scorer(flow, o.cache_dir);
  const TrialRecord trial = scorer.score(candidate);
  if (!o.output_file.empty()) {
    // The record is the job's result, whatever the trial's status: the file exists only once the
    // evaluation has finished, so a reader never mistakes a killed job for a finished one.
    write_file_atomically(o.output_file, to_json(trial).dump(2) + "\n");
    return 0;
  }
  std::cout << to_json(trial).dump(2) << "\n";
  return trial.status == TrialStatus::failed ? 1 : 0;
}

void setup(CLI::App& app) {
  auto o = std::make_shared<EvaluateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "evaluate", "Evaluate one candidate of a search flow (as a search worker does) and print its trial as JSON");
  cmd->add_option("flow", o->flow_file, "flow YAML with a `search:` section")->required();
  cmd->add_option("--genotype", o->genotype, "network genotype, comma-separated gene indices (tandem space)");
  cmd->add_option("--accel", o->accelerator_file, "accelerator YAML (default: the flow's accelerator)");
  cmd->add_option("--cache-dir", o->cache_dir, "accuracy cache root (default ~/.cache/tandem)");
  cmd->add_option("--output", o->output_file,
                  "write the trial's JSON to this file (atomically) instead of stdout; exit status 0 "
                  "whenever the record is written, failed trials included");
  cmd->callback([o] {
    if (const int status = run(*o); status != 0) throw CLI::RuntimeError(status);
  });
}

RegisterCommand registration("evaluate", setup);

}  // namespace
}  // namespace tandem::cli
