// The report the report tests look at: the synthetic study (40 trials, one validation) stored
// in a study database and written by `tandem report`, once per test run.
#pragma once

#include <filesystem>
#include <string>

#include "run_process.h"
#include "search/study.h"
#include "synthetic_study.h"

namespace tandem::test {

constexpr int kReportTrials = 40;

// Builds the study in TANDEM_TEST_OUTPUT_DIR/`name` (one name per test case: cases may run in
// parallel) and runs `tandem report` into the returned directory.
inline std::string write_test_report(const std::string& name) {
  const std::string base = std::string(TANDEM_TEST_OUTPUT_DIR) + "/" + name;
  const std::string path = base + "/study.db";
  const std::string dir = base + "/report";
  std::filesystem::create_directories(dir);
  Study::remove(path);
  {
    Study study = Study::create_or_resume(path, {{"flow_hash", "abc"}, {"name", "report-test"},
                                                 {"flow", "name: report-test\nbudget: 40\n"}});
    const auto trials = synthetic_trials(kReportTrials);
    for (const auto& trial : trials) study.record(trial);
    ValidationRecord validation;
    validation.trial = 0;
    validation.rtl_latency_us = trials[0].latency_us;
    validation.analytic_latency_us = trials[0].latency_us;
    validation.agree = true;
    validation.message = "cycles equal, bit-exact";
    study.record_validation(validation);
  }
  const auto run = run_process(tandem_binary() + " report " + path + " -o " + dir);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  return dir;
}

}  // namespace tandem::test
