// `tandem search FLOW`: runs (or resumes) the study a flow file describes, validates the best
// designs on the RTL and writes the report. Progress is one live line on stderr.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/command_registry.h"
#include "cli/search_runner.h"
#include "core/number_format.h"
#include "report/report.h"
#include "search/search_flow.h"
#include "search/search_loop.h"
#include "search/study.h"
#include "search/validation.h"

namespace tandem::cli {
namespace {

std::string duration_text(double seconds) {
  if (seconds < 0) return "?";
  const long total = std::lround(seconds);
  std::ostringstream text;
  if (total >= 3600) text << total / 3600 << "h";
  if (total >= 60) text << std::setw(total >= 3600 ? 2 : 1) << std::setfill('0') << (total / 60) % 60 << "m";
  text << std::setw(total >= 60 ? 2 : 1) << std::setfill('0') << total % 60 << "s";
  return text.str();
}

std::string progress_line(const SearchProgress& p) {
  std::ostringstream line;
  line << "[" << p.phase << "] " << p.done << "/" << p.total << " trials";
  if (p.resumed) line << " (" << p.resumed << " resumed)";
  if (p.best_reward) line << " | best reward " << fixed_number(*p.best_reward, 4);
  if (p.pareto_size) line << " | pareto " << p.pareto_size;
  line << " | " << fixed_number(p.evaluations_per_second, 2) << " eval/s | ETA " << duration_text(p.eta_seconds);
  return line.str();
}

}  // namespace

int run_search_flow(const SearchCommandOptions& o) {
  const SearchFlow flow = load_search_flow(o.flow_file);
  const bool live = !o.quiet && ::isatty(STDERR_FILENO);
  SearchRunOptions options;
  options.cache_dir = o.cache_dir;
  options.log = [&](const std::string& line) {
    if (live) std::cerr << "\r\033[K";
    std::cerr << line << std::endl;
  };
  options.on_progress = [&](const SearchProgress& p) {
    if (o.quiet) return;
    if (live) std::cerr << "\r\033[K" << progress_line(p) << std::flush;
    else std::cerr << progress_line(p) << "\n";
  };
  std::cerr << "study " << flow.study_path() << " (flow " << flow.hash() << "): " << search_mode_name(flow.mode)
            << ", " << flow.strategy << ", " << flow.objective.describe() << ", execution "
            << execution_kind_name(flow.execution.kind) << std::endl;
  options.fresh = o.fresh;
  const SearchSummary summary = run_search(flow, options);
  if (live) std::cerr << "\n";

  std::size_t ok = 0, rejected = 0, failed = 0;
  for (const TrialRecord& t : summary.trials) {
    ok += t.status == TrialStatus::ok;
    rejected += t.status == TrialStatus::rejected;
    failed += t.status == TrialStatus::failed;
  }
  std::cout << summary.trials.size() << " trials (" << summary.evaluated << " evaluated now, " << summary.resumed
            << " resumed): " << ok << " ok, " << rejected << " rejected, " << failed << " failed\n";
  if (summary.best) {
    const TrialRecord& best = summary.trials.at(static_cast<std::size_t>(*summary.best));
    std::cout << "best: trial " << best.number << ", accuracy " << best.accuracy.value_or(0) << ", latency "
              << best.latency_us.value_or(0) << " us, energy " << best.energy_uj.value_or(0) << " uJ, area "
              << best.area_mm2.value_or(0) << " mm^2, reward " << best.reward << "\n"
              << "  network: " << best.network << "\n  accelerator: " << best.accelerator_hash << "\n";
  }
  for (const ParetoSet& set : accuracy_pareto_sets(summary.trials)) {
    std::cout << "pareto set " << set.name << ": " << set.members.size() << " of " << set.candidates << " trials\n";
  }
  for (const ValidationRecord& v : summary.validated) {
    std::cout << "validated trial " << v.trial << " on the RTL: " << (v.agree ? "PASS" : "FAIL") << " ("
              << v.message << "), " << v.rtl_latency_us.value_or(0) << " us, " << v.rtl_energy_uj.value_or(0)
              << " uJ; package " << design_directory(flow, v.trial) << "\n";
  }
  const std::string report_dir = flow.flow.output_dir + "/report";
  write_report(Study::open(flow.study_path()).contents(), report_dir);
  std::cout << "report: " << report_dir << "/index.html\n";
  return summary.ok() ? 0 : 1;
}

namespace {

void setup(CLI::App& app) {
  auto o = std::make_shared<SearchCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "search", "Run or resume the joint network/accelerator search a flow file describes (docs/search.md)");
  cmd->add_option("flow", o->flow_file, "flow YAML with a `search:` section")->required();
  cmd->add_option("--cache-dir", o->cache_dir, "accuracy and simulator cache (default ~/.cache/tandem)");
  cmd->add_flag("--quiet", o->quiet, "no progress line");
  cmd->add_flag("--fresh", o->fresh, "start the study afresh (deletes the output directory's study.db and jobs/)");
  cmd->callback([o] {
    const int status = run_search_flow(*o);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

RegisterCommand registration("search", setup);

}  // namespace
}  // namespace tandem::cli
