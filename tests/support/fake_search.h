// Small search flows for the tests of the search loop (locally and on a Slurm cluster): a
// 8x8 baseline, a narrowed hardware space and the stand-in accuracy command
// tests/data/search/fake_accuracy.sh (deterministic, optionally slow), so that a whole search
// runs in seconds; and a study's outcomes without host timings, for comparing two runs.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "search/study.h"

namespace tandem::test {

// <root>/<name>/flow.yaml, a study of `trials` trials in `mode` into <root>/<name>/out; each
// accuracy takes `delay_seconds`. `extra` is appended to the search section (two-space indent);
// without a `validate_top:` of its own, nothing is validated on the RTL.
// The default constraints reject most candidates before their accuracy is measured.
inline std::string write_fake_search_flow(const std::filesystem::path& root, const std::string& name,
                                          const std::string& mode, int trials, const std::string& strategy,
                                          double delay_seconds = 0, const std::string& extra = "",
                                          const std::string& constraints = "{ latency: { max: 3000 }, area: { max: 1.5 } }") {
  const std::filesystem::path dir = root / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "flow.yaml").string();
  std::ofstream(file) << "name: " << name << "\noutput_dir: " << (dir / "out").string() << "\nseed: 3\n"
                      << "accelerator: { array: { rows: 8, cols: 8 } }\n"
                      << (mode == "hardware_only" ? "network: zoo:proxy_mobilenet_v1\n" : "") << "search:\n"
                      << "  mode: " << mode << "\n"
                      << "  hardware: { array.rows: [4, 8, 16, 32], array.cols: [4, 8, 16], vector.lanes: [4, 16] }\n"
                      << "  objective: { kind: reward, cost: latency, target: 500 }\n"
                      << "  constraints: " << constraints << "\n"
                      << "  accuracy: { kind: command, command: '" << TANDEM_SOURCE_DIR
                      << "/tests/data/search/fake_accuracy.sh {network} {hash} " << delay_seconds << "' }\n"
                      << "  strategy: { name: " << strategy << ", population: 4, sample_size: 2 }\n"
                      << "  trials: " << trials << "\n  workers: 2\n"
                      << (extra.find("validate_top:") == std::string::npos ? "  validate_top: 0\n" : "") << extra;
  return file;
}

// The study.db of a flow written by write_fake_search_flow.
inline std::string fake_search_study(const std::string& flow) {
  return (std::filesystem::path(flow).parent_path() / "out" / "study.db").string();
}

// Everything of a trial but host timings.
inline std::string trial_outcome(const TrialRecord& t) {
  std::string text = std::to_string(t.number) + " " + trial_status_name(t.status) + " " + t.reason + " " +
                     t.network_hash + " " + t.accelerator_hash + " " + std::to_string(t.reward);
  for (int gene : t.point) text += "," + std::to_string(gene);
  if (t.accuracy) text += " acc " + std::to_string(*t.accuracy);
  if (t.cycles) text += " cycles " + std::to_string(*t.cycles);
  return text;
}

inline std::vector<std::string> study_outcomes(const std::string& study) {
  std::vector<std::string> all;
  for (const TrialRecord& t : Study::open(study).trials()) all.push_back(trial_outcome(t));
  return all;
}

}  // namespace tandem::test
