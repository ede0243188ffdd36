// The report page: sections in reading order, each a heading, a sentence of context and a
// plot or table. CSS is inline; the page needs no script and no network.
#include <cmath>

#include "core/accelerator_config.h"
#include "core/number_format.h"
#include "cost/cost.h"
#include "report/report_internal.h"

namespace tandem {
namespace {

constexpr const char* kStyle = R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #212529;
       margin: 0 auto; max-width: 1180px; padding: 24px; line-height: 1.45; background: #fff; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #dee2e6; padding-bottom: 4px; }
p.note { color: #495057; margin-top: 0.2em; }
.summary { display: flex; gap: 16px; flex-wrap: wrap; margin: 16px 0; }
.card { border: 1px solid #dee2e6; border-radius: 6px; padding: 10px 16px; min-width: 120px; }
.card .value { font-size: 1.4em; font-weight: 600; }
.card .label { color: #6c757d; font-size: 0.85em; }
.plots { display: flex; gap: 16px; flex-wrap: wrap; }
table { border-collapse: collapse; font-size: 0.85em; margin: 8px 0; }
th, td { border: 1px solid #dee2e6; padding: 3px 8px; text-align: left; white-space: nowrap; }
th { background: #f1f3f5; }
tbody tr:nth-child(even) { background: #f8f9fa; }
.scroll { overflow-x: auto; max-width: 100%; }
pre { background: #f8f9fa; border: 1px solid #dee2e6; padding: 8px; overflow-x: auto; }
svg.plot { background: #fff; border: 1px solid #e9ecef; border-radius: 4px; }
svg.plot text { font-size: 11px; fill: #343a40; }
svg.plot .plot-title { font-size: 14px; font-weight: 600; }
svg.plot .axis-label { font-size: 12px; }
svg.plot .grid { stroke: #e9ecef; stroke-width: 1; }
svg.plot .frame { fill: none; stroke: #adb5bd; }
svg.plot .no-data { font-size: 14px; fill: #868e96; }
)css";

std::string section(const std::string& id, const std::string& title, const std::string& note,
                    const std::string& body) {
  return "<section id=\"" + id + "\">\n<h2>" + html_escape(title) + "</h2>\n" +
         (note.empty() ? "" : "<p class=\"note\">" + html_escape(note) + "</p>\n") + body +
         "</section>\n";
}

std::string card(const std::string& label, const std::string& value) {
  return "<div class=\"card\"><div class=\"value\">" + html_escape(value) +
         "</div><div class=\"label\">" + html_escape(label) + "</div></div>";
}

std::string scrolled(const std::string& html) { return "<div class=\"scroll\">" + html + "</div>\n"; }

std::string optional_text(const std::optional<double>& value, const std::string& unit) {
  return value ? format_number(*value) + unit : "-";
}

std::string overview(const StudyContents& study) {
  std::size_t ok = 0;
  for (const auto& trial : study.trials) ok += trial.status == TrialStatus::ok;
  const TrialRecord* best = best_trial(study.trials);
  std::string html = "<div class=\"summary\">";
  html += card("trials", std::to_string(study.trials.size()));
  html += card("ok", std::to_string(ok));
  html += card("best reward", best ? format_number(best->reward) : "-");
  html += card("best accuracy", best ? optional_text(best->accuracy, "") : "-");
  html += card("best latency", best ? optional_text(best->latency_us, " us") : "-");
  html += card("validations", std::to_string(study.validations.size()));
  html += "</div>\n";
  html += scrolled(meta_table(study.meta).html("meta"));
  for (const auto& [key, value] : study.meta) {  // the flow file and other long texts
    if (value.find('\n') == std::string::npos) continue;
    html += "<details><summary>" + html_escape(key) + "</summary><pre>" + html_escape(value) +
            "</pre></details>\n";
  }
  return html;
}

std::string pareto_section(const StudyContents& study) {
  std::string plots = "<div class=\"plots\">\n";
  std::string tables;
  for (const auto& set : accuracy_pareto_sets(study.trials)) {
    plots += accuracy_cost_plot(study.trials, set);
    std::vector<const TrialRecord*> members;
    for (auto number : set.members) members.push_back(find_trial(study.trials, number));
    tables += "<h3>Pareto set: accuracy vs " + html_escape(cost_metric_label(set.cost)) + " (" +
              std::to_string(set.members.size()) + " of " + std::to_string(set.candidates) +
              ")</h3>\n" + scrolled(trials_table(members, TableDetail::compact).html("pareto"));
  }
  return section("pareto", "Accuracy vs cost",
                 "Every ok trial with an accuracy; the Pareto front (no other trial is both more "
                 "accurate and cheaper) in orange. Hover a point for its trial.",
                 plots + "</div>\n" + tables);
}

Table accelerator_table(const TrialRecord& trial) {
  Table table;
  table.headers = {"parameter", "value", "unit"};
  for (const auto& param : accelerator_space()) {
    table.rows.push_back({param.name, param.format(param.get(trial.accelerator)), param.unit});
  }
  return table;
}

// The clock the design was evaluated at, and its margin against the timing model's Fmax.
std::string clock_text(const AcceleratorConfig& config) {
  const ClockEstimate estimate = estimate_clock(config);
  const double margin = estimate.margin * 100;
  return std::to_string(config.clock_mhz) + " MHz (timing model: Fmax " + format_number(estimate.fmax_mhz, 4) +
         " MHz on sky130 HD, margin " + (margin >= 0 ? "+" : "") + format_number(margin, 3) + "%)";
}

Table result_table(const TrialRecord& t) {
  Table table;
  table.headers = {"metric", "value"};
  table.rows = {{"trial", std::to_string(t.number)},
                {"network", t.network},
                {"network hash", t.network_hash},
                {"accelerator hash", t.accelerator_hash},
                {"accuracy", optional_text(t.accuracy, "")},
                {"latency", optional_text(t.latency_us, " us")},
                {"clock", clock_text(t.accelerator)},
                {"energy", optional_text(t.energy_uj, " uJ")},
                {"area", optional_text(t.area_mm2, " mm2")},
                {"cycles", t.cycles ? std::to_string(*t.cycles) : "-"},
                {"MACs", t.macs ? std::to_string(*t.macs) : "-"},
                {"reward", format_number(t.reward)},
                {"fidelity", t.fidelity}};
  return table;
}

// Per layer: cycles, the cycle breakdown and energy, from the NetworkMetrics JSON.
Table layer_table(const nlohmann::json& metrics) {
  Table table;
  table.headers = {"layer", "kind", "MACs", "cycles", "compute", "vector", "dma", "dma stall",
                   "idle", "energy (nJ)"};
  if (!metrics.is_object() || !metrics.contains("layers")) return table;
  auto get = [](const nlohmann::json& object, const char* key) -> std::string {
    if (!object.is_object() || !object.contains(key)) return "";
    const auto& value = object[key];
    if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
    if (value.is_number()) return format_number(value.get<double>());
    return value.is_string() ? value.get<std::string>() : value.dump();
  };
  for (const auto& layer : metrics["layers"]) {
    const nlohmann::json breakdown = layer.contains("breakdown") ? layer["breakdown"] : nlohmann::json();
    std::string energy;
    if (layer.contains("energy_pj") && layer["energy_pj"].contains("total") &&
        layer["energy_pj"]["total"].is_number()) {
      energy = format_number(layer["energy_pj"]["total"].get<double>() / 1000.0);
    }
    table.rows.push_back({get(layer, "name"), get(layer, "kind"), get(layer, "macs"),
                          get(layer, "cycles"), get(breakdown, "compute"), get(breakdown, "vector"),
                          get(breakdown, "dma"), get(breakdown, "dma_stall"), get(breakdown, "idle"),
                          energy});
  }
  return table;
}

std::string winner_section(const StudyContents& study) {
  const TrialRecord* best = best_trial(study.trials);
  if (!best) return section("winner", "Winning design", "No ok trial yet.", "");
  std::string body = "<div class=\"plots\">\n<div><h3>Accelerator</h3>\n" +
                     accelerator_table(*best).html("accelerator") + "</div>\n<div><h3>Result</h3>\n" +
                     result_table(*best).html("result") + "</div>\n</div>\n";
  if (best->metrics.is_object()) {
    body += "<div class=\"plots\">\n" + layer_cycles_plot(best->metrics) +
            layer_energy_plot(best->metrics) + "</div>\n";
    body += "<h3>Per layer</h3>\n<p class=\"note\">Cycle breakdown from the activity counters; "
            "compute, vector and DMA overlap in time (double buffering), so they need not add up "
            "to the cycles.</p>\n" +
            scrolled(layer_table(best->metrics).html("layers"));
  } else {
    body += "<p class=\"note\">This trial has no per-layer metrics.</p>\n";
  }
  return section("winner", "Winning design: trial " + std::to_string(best->number),
                 "The ok trial with the highest reward.", body);
}

std::string validation_section(const StudyContents& study) {
  if (study.validations.empty()) {
    return section("validation", "RTL validation", "No RTL validation recorded in this study.", "");
  }
  std::size_t agree = 0;
  for (const auto& v : study.validations) agree += v.agree;
  return section("validation", "RTL validation",
                 std::to_string(agree) + " of " + std::to_string(study.validations.size()) +
                     " validated designs agree with the analytic model (same cycles, "
                     "bit-exact outputs).",
                 scrolled(validations_table(study.validations).html("validations")));
}

}  // namespace

std::string report_html(const StudyContents& study) {
  auto name = study.meta.find("name");
  const std::string title =
      "tandem study" + (name == study.meta.end() ? std::string() : ": " + name->second);
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
                     html_escape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  html += "<h1>" + html_escape(title) + "</h1>\n<p class=\"note\">" + html_escape(study.path) + "</p>\n";
  html += overview(study);
  html += pareto_section(study);
  html += section("progress", "Search progress",
                  "Reward of each ok trial (grey) and the best so far (blue), by trial number.",
                  progress_plot(study.trials));
  html += winner_section(study);
  html += validation_section(study);
  html += section("trials", "All trials", "",
                  scrolled(trials_table(study.trials, TableDetail::compact).html("trials")));
  return html + "</body>\n</html>\n";
}

}  // namespace tandem
