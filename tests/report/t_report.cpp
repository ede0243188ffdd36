// t_report: `tandem report` writes trials.csv and pareto.csv with the right rows (Pareto
// membership recomputed here by brute force, not with search/pareto.h) and a self-contained
// index.html with every plot; the SVG module's axes tick sensibly.
#include <catch2/catch.hpp>

#include <set>
#include <sstream>

#include "core/files.h"
#include "report_fixture.h"
#include "report/report.h"
#include "report/svg_plot.h"

using namespace tandem;
using namespace tandem::test;

namespace {

using CsvRow = std::vector<std::string>;

// RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.
std::vector<CsvRow> parse_csv(const std::string& text) {
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') { field += '"'; ++i; }
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
    } else if (c == '\n') {
      row.push_back(field);
      field.clear();
      rows.push_back(row);
      row.clear();
    } else {
      field += c;
    }
  }
  return rows;
}

std::size_t column(const CsvRow& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  FAIL("no column " << name);
  return 0;
}

// Trials on the accuracy-vs-cost front, by brute force over every pair.
std::set<std::int64_t> brute_force_front(const std::vector<TrialRecord>& trials, bool latency) {
  auto cost = [latency](const TrialRecord& t) { return latency ? t.latency_us : t.energy_uj; };
  std::set<std::int64_t> front;
  for (const auto& a : trials) {
    if (a.status != TrialStatus::ok || !a.accuracy || !cost(a)) continue;
    bool dominated = false;
    for (const auto& b : trials) {
      if (b.status != TrialStatus::ok || !b.accuracy || !cost(b)) continue;
      const bool no_worse = *b.accuracy >= *a.accuracy && *cost(b) <= *cost(a);
      const bool better = *b.accuracy > *a.accuracy || *cost(b) < *cost(a);
      dominated = dominated || (no_worse && better);
    }
    if (!dominated) front.insert(a.number);
  }
  return front;
}

}  // namespace

TEST_CASE("t_report: trials.csv and pareto.csv hold the trials and the fronts", "[report]") {
  const std::string dir = write_test_report("t_report_csv");
  const auto trials = synthetic_trials(kReportTrials);

  const auto rows = parse_csv(tandem::read_file(dir + "/trials.csv"));
  REQUIRE(rows.size() == trials.size() + 1);
  const CsvRow& header = rows[0];
  for (const char* name : {"number", "status", "network", "array.rows", "array.dataflow",
                           "vector.lanes", "accuracy", "latency_us", "energy_uj", "area_mm2",
                           "reward", "reason"}) {
    INFO(name);
    CHECK(std::find(header.begin(), header.end(), name) != header.end());
  }
  for (std::size_t i = 0; i < trials.size(); ++i) {
    const CsvRow& row = rows[i + 1];
    REQUIRE(row.size() == header.size());
    CHECK(row[column(header, "number")] == std::to_string(trials[i].number));
    CHECK(row[column(header, "status")] == trial_status_name(trials[i].status));
    CHECK(row[column(header, "reason")] == trials[i].reason);
    CHECK(row[column(header, "array.rows")] == std::to_string(trials[i].accelerator.array.rows));
    if (trials[i].latency_us) {
      CHECK(std::stod(row[column(header, "latency_us")]) == *trials[i].latency_us);  // exact
    } else {
      CHECK(row[column(header, "latency_us")].empty());
    }
  }

  const auto pareto = parse_csv(tandem::read_file(dir + "/pareto.csv"));
  REQUIRE(pareto.size() > 1);
  const std::size_t front_column = column(pareto[0], "front");
  const std::size_t number_column = column(pareto[0], "number");
  std::set<std::int64_t> latency_front, energy_front;
  for (std::size_t i = 1; i < pareto.size(); ++i) {
    REQUIRE(pareto[i].size() == pareto[0].size());
    const std::string& front = pareto[i][front_column];
    const std::int64_t number = std::stoll(pareto[i][number_column]);
    if (front == "accuracy_vs_latency_us") latency_front.insert(number);
    else if (front == "accuracy_vs_energy_uj") energy_front.insert(number);
    else FAIL("unknown front " << front);
  }
  CHECK(latency_front == brute_force_front(trials, true));
  CHECK(energy_front == brute_force_front(trials, false));
  CHECK(latency_front.size() >= 3);
}

TEST_CASE("t_report: index.html is self-contained and holds every plot", "[report]") {
  const std::string dir = write_test_report("t_report_html");
  const std::string html = tandem::read_file(dir + "/index.html");
  for (const char* id : {"plot-accuracy_vs_latency_us", "plot-accuracy_vs_energy_uj", "plot-progress",
                         "plot-layer-cycles", "plot-layer-energy"}) {
    INFO(id);
    CHECK_THAT(html, Catch::Contains(std::string("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" id=\"") + id));
  }
  for (const char* external : {"<script", "<link", "src=", "href=", "url(", "@import"}) {
    INFO(external);
    CHECK(html.find(external) == std::string::npos);
  }
  CHECK_THAT(html, Catch::Contains("<section id=\"validation\">"));
  CHECK_THAT(html, Catch::Contains("1 of 1 validated designs agree"));
  // The latencies span three decades: a log axis with decade ticks.
  CHECK_THAT(html, Catch::Contains(">100</text>"));
  CHECK_THAT(html, Catch::Contains(">1000</text>"));
}

TEST_CASE("t_report: axes tick at 1-2-5 steps or decades", "[report][svg]") {
  using svg::Scale;
  auto near = [](const std::vector<double>& got, const std::vector<double>& want) {
    if (got.size() != want.size()) return false;
    for (std::size_t i = 0; i < got.size(); ++i) {
      if (got[i] != Approx(want[i]).margin(1e-12)) return false;
    }
    return true;
  };
  CHECK(near(svg::ticks(0, 1, Scale::linear), {0, 0.2, 0.4, 0.6, 0.8, 1}));
  CHECK(near(svg::ticks(0, 100, Scale::linear), {0, 20, 40, 60, 80, 100}));
  CHECK(near(svg::ticks(-3, 7, Scale::linear), {-2, 0, 2, 4, 6}));
  CHECK(near(svg::ticks(1, 1e6, Scale::log), {1, 10, 100, 1e3, 1e4, 1e5, 1e6}));
  CHECK(near(svg::ticks(10, 1000, Scale::log), {10, 20, 50, 100, 200, 500, 1000}));
  CHECK(svg::choose_scale({3, 40, 900}) == Scale::log);
  CHECK(svg::choose_scale({3, 40, 90}) == Scale::linear);
  CHECK(svg::choose_scale({0, 40, 9000}) == Scale::linear);
}

TEST_CASE("t_report: a missing study is a clear error", "[report]") {
  const auto run = run_process(tandem_binary() + " report /nonexistent/study.db -o " +
                               std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_report/unused");
  CHECK(run.exit_code == 1);
  CHECK(run.err == "/nonexistent/study.db: error: no such study database (expected the study.db "
                   "of a `tandem search` output directory)\n");
}

TEST_CASE("t_report: a study without trials still gives a complete report", "[report]") {
  const std::string dir = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_report_empty";
  StudyContents empty;
  empty.path = "empty/study.db";
  empty.meta = {{"name", "empty"}};
  const ReportFiles files = write_report(empty, dir);
  const auto trials = parse_csv(tandem::read_file(files.trials_csv));
  REQUIRE(trials.size() == 1);  // the header
  CHECK(trials[0][0] == "number");
  const auto pareto = parse_csv(tandem::read_file(files.pareto_csv));
  REQUIRE(pareto.size() == 1);
  CHECK(pareto[0][0] == "front");
  const std::string html = tandem::read_file(files.index_html);
  CHECK_THAT(html, Catch::Contains("id=\"plot-progress\""));
  CHECK_THAT(html, Catch::Contains(">no data</text>"));
  CHECK_THAT(html, Catch::Contains("No ok trial yet."));
  CHECK(html.find("nan") == std::string::npos);
}
