#include "report/report_internal.h"

#include <algorithm>
#include <cmath>

#include "core/number_format.h"
#include "report/svg_plot.h"

namespace tandem {
namespace {

constexpr const char* kMuted = "#9aa5b1";
constexpr const char* kAccent = "#d9480f";
constexpr const char* kBlue = "#1c7ed6";
// Energy components, in a fixed order of colors.
const std::vector<std::string> kPalette = {"#1c7ed6", "#f59f00", "#37b24d", "#ae3ec9", "#e8590c",
                                           "#0ca678", "#f03e3e", "#7048e8", "#868e96", "#74b816"};

std::string trial_tip(const TrialRecord& t) {
  const AcceleratorSummary hw = summarize(t.accelerator);
  std::string tip = "trial " + std::to_string(t.number) + ": " + t.network + " on " + hw.array + " " +
                    hw.dataflow;
  if (t.accuracy) tip += ", accuracy " + format_number(*t.accuracy);
  if (t.latency_us) tip += ", " + format_number(*t.latency_us) + " us";
  if (t.energy_uj) tip += ", " + format_number(*t.energy_uj) + " uJ";
  return tip + ", reward " + format_number(t.reward);
}

svg::Series series(std::string name, const char* color, svg::Series::Style style) {
  svg::Series series;
  series.name = std::move(name);
  series.color = color;
  series.style = style;
  return series;
}

void add_point(svg::Series& series, double x, double y, std::string tip) {
  series.x.push_back(x);
  series.y.push_back(y);
  series.tips.push_back(std::move(tip));
}

}  // namespace

std::string accuracy_cost_plot(const std::vector<TrialRecord>& trials, const ParetoSet& set) {
  svg::Series all = series("ok trials", kMuted, svg::Series::Style::points);
  svg::Series front = series("Pareto front", kAccent, svg::Series::Style::steps);
  front.radius = 5;
  for (const auto& trial : trials) {
    if (trial.status != TrialStatus::ok || !trial.accuracy || !cost_of(trial, set.cost)) continue;
    if (std::find(set.members.begin(), set.members.end(), trial.number) != set.members.end()) continue;
    add_point(all, *cost_of(trial, set.cost), *trial.accuracy, trial_tip(trial));
  }
  for (auto number : set.members) {  // by ascending cost: the steps of the front
    const TrialRecord& trial = *find_trial(trials, number);
    add_point(front, *cost_of(trial, set.cost), *trial.accuracy, trial_tip(trial));
  }
  std::vector<double> costs = all.x;
  costs.insert(costs.end(), front.x.begin(), front.x.end());
  svg::XYPlot plot;
  plot.id = "plot-" + set.name;
  plot.title = std::string("Accuracy vs ") + cost_metric_label(set.cost);
  plot.x = {cost_metric_label(set.cost), svg::choose_scale(costs)};
  plot.y = {"accuracy (top-1)", svg::Scale::linear};
  plot.series = {all, front};
  return svg::render(plot);
}

std::string progress_plot(const std::vector<TrialRecord>& trials) {
  svg::Series each = series("reward of each ok trial", kMuted, svg::Series::Style::points);
  svg::Series best = series("best so far", kBlue, svg::Series::Style::steps);
  best.radius = 0;
  for (const auto& trial : trials) {
    if (trial.status != TrialStatus::ok || !std::isfinite(trial.reward)) continue;
    add_point(each, static_cast<double>(trial.number), trial.reward, trial_tip(trial));
    if (best.y.empty() || trial.reward > best.y.back()) {
      best.x.push_back(static_cast<double>(trial.number));
      best.y.push_back(trial.reward);
    }
  }
  if (!trials.empty() && !best.x.empty()) {  // carry the best to the last trial
    best.x.push_back(static_cast<double>(trials.back().number));
    best.y.push_back(best.y.back());
  }
  svg::XYPlot plot;
  plot.id = "plot-progress";
  plot.title = "Search progress";
  plot.x = {"trial number", svg::Scale::linear};
  plot.y = {"reward (higher is better)", svg::Scale::linear};
  plot.series = {each, best};
  return svg::render(plot);
}

namespace {

const nlohmann::json& layers_of(const nlohmann::json& metrics) {
  static const nlohmann::json none = nlohmann::json::array();
  if (!metrics.is_object() || !metrics.contains("layers") || !metrics["layers"].is_array()) return none;
  return metrics["layers"];
}

double number_at(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_number()) return 0;
  return object[key].get<double>();
}

std::vector<std::string> layer_names(const nlohmann::json& layers) {
  std::vector<std::string> names;
  for (const auto& layer : layers) {
    names.push_back(layer.contains("name") && layer["name"].is_string() ? layer["name"].get<std::string>()
                                                                       : "?");
  }
  return names;
}

}  // namespace

std::string layer_cycles_plot(const nlohmann::json& metrics) {
  const auto& layers = layers_of(metrics);
  svg::BarPlot plot;
  plot.id = "plot-layer-cycles";
  plot.title = "Latency per layer";
  plot.categories = layer_names(layers);
  plot.y = {"cycles", svg::Scale::linear};
  svg::BarPlot::Stack cycles{"cycles", kBlue, {}};
  for (const auto& layer : layers) cycles.values.push_back(number_at(layer, "cycles"));
  plot.stacks = {cycles};
  return svg::render(plot);
}

std::string layer_energy_plot(const nlohmann::json& metrics) {
  const auto& layers = layers_of(metrics);
  std::vector<std::string> components;  // sorted, without the total (the stacks add up to it)
  for (const auto& layer : layers) {
    if (!layer.contains("energy_pj") || !layer["energy_pj"].is_object()) continue;
    for (const auto& item : layer["energy_pj"].items()) {
      if (item.key() != "total" &&
          std::find(components.begin(), components.end(), item.key()) == components.end()) {
        components.push_back(item.key());
      }
    }
  }
  std::sort(components.begin(), components.end());
  svg::BarPlot plot;
  plot.id = "plot-layer-energy";
  plot.title = "Energy per layer, by component";
  plot.categories = layer_names(layers);
  plot.y = {"energy (nJ)", svg::Scale::linear};
  for (std::size_t c = 0; c < components.size(); ++c) {
    svg::BarPlot::Stack stack{components[c], kPalette[c % kPalette.size()], {}};
    for (const auto& layer : layers) {
      const nlohmann::json& energy = layer.contains("energy_pj") ? layer["energy_pj"] : nlohmann::json();
      stack.values.push_back(number_at(energy, components[c].c_str()) / 1000.0);
    }
    plot.stacks.push_back(std::move(stack));
  }
  return svg::render(plot);
}

}  // namespace tandem
