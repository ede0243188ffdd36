#include "search/search_flow.h"

#include <algorithm>

#include "core/sha256.h"
#include "core/text.h"
#include "core/yaml_input.h"
#include "models/network_space.h"

namespace tandem {
namespace {

constexpr SearchMode kModes[] = {SearchMode::joint, SearchMode::hardware_only,
                                 SearchMode::network_only, SearchMode::phased};

// A string field that must be one of `names`, with a suggestion for a misspelling.
std::string one_of(const YamlMap& map, const std::string& key, const std::vector<std::string>& names) {
  const std::string value = map.string(key);
  if (std::find(names.begin(), names.end(), value) != names.end()) return value;
  const std::string near = nearest_name(value, names);
  throw map.error(key, "unknown value '" + value + "'" +
                           (near.empty() ? "" : "; did you mean '" + near + "'?") +
                           " (valid: " + join(names, " | ") + ")");
}

int positive_int(const YamlMap& map, const std::string& key, int max) {
  const std::int64_t value = map.integer(key);
  if (value < 1 || value > max) {
    throw map.error(key, std::to_string(value) + " is out of range (valid: integer 1.." +
                             std::to_string(max) + ")");
  }
  return static_cast<int>(value);
}

double positive_number(const YamlMap& map, const std::string& key) {
  const double value = map.number(key);
  if (!(value > 0)) throw map.error(key, "must be > 0");
  return value;
}

// `hardware: { array.rows: [8, 16], ... }`: each value allowed by the declared space.
std::map<std::string, std::vector<std::int64_t>> parse_hardware(const YamlMap& map) {
  std::map<std::string, std::vector<std::int64_t>> values;
  std::vector<std::string> names;
  for (const ParamSpec& param : accelerator_space()) names.push_back(param.name);
  for (const auto& entry : map.node()) {
    const std::string name = entry.first.as<std::string>();
    const ParamSpec* param = find_param(name);
    if (!param) {
      const std::string near = nearest_name(name, names);
      throw InputError(location_of(entry.first, map.file()), map.field(name),
                       "unknown accelerator parameter" +
                           (near.empty() ? std::string() : "; did you mean '" + near + "'?") +
                           " (valid: " + join(names, ", ") + ")");
    }
    const YAML::Node list = entry.second;
    if (!list.IsSequence() || list.size() == 0) {
      throw map.error(name, "expected a non-empty list of values, got " + describe_node(list));
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string field = map.field(name) + "[" + std::to_string(i) + "]";
      const std::string text = list[i].IsScalar() ? list[i].Scalar() : "";
      std::optional<std::int64_t> value;
      if (param->kind == ParamSpec::Kind::choice) {
        const auto it = std::find(param->choices.begin(), param->choices.end(), text);
        if (it != param->choices.end()) value = it - param->choices.begin();
      } else {
        try {
          std::size_t used = 0;
          const long long parsed = std::stoll(text, &used);
          if (used == text.size()) value = parsed;
        } catch (const std::exception&) {
        }
      }
      if (!value || !param->allows(*value)) {
        throw InputError(location_of(list[i], map.file()), field,
                         describe_node(list[i]) + " is not allowed (valid: " + param->allowed_text() + ")");
      }
      if (std::find(values[name].begin(), values[name].end(), *value) != values[name].end()) {
        throw InputError(location_of(list[i], map.file()), field, "duplicate value '" + text + "'");
      }
      values[name].push_back(*value);
    }
  }
  return values;
}

// `network_choices: { s1.block: [mbconv], ... }`: decisions of the network space and the
// choices (as `tandem space show` prints them) each may take.
std::map<std::string, std::vector<int>> parse_network_choices(const YamlMap& map, const NetworkSpace& space) {
  std::map<std::string, std::vector<int>> choices;
  std::vector<std::string> names;
  for (const Decision& d : space.decisions()) names.push_back(d.name);
  for (const auto& entry : map.node()) {
    const std::string name = entry.first.as<std::string>();
    const auto decision = std::find_if(space.decisions().begin(), space.decisions().end(),
                                       [&](const Decision& d) { return d.name == name; });
    if (decision == space.decisions().end()) {
      const std::string near = nearest_name(name, names);
      throw InputError(location_of(entry.first, map.file()), map.field(name),
                       "not a decision of network space '" + space.name() + "'" +
                           (near.empty() ? std::string() : "; did you mean '" + near + "'?") +
                           " (tandem space show lists them)");
    }
    const YAML::Node list = entry.second;
    if (!list.IsSequence() || list.size() == 0) {
      throw map.error(name, "expected a non-empty list of choices, got " + describe_node(list));
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string text = list[i].IsScalar() ? list[i].Scalar() : "";
      const auto it = std::find(decision->choices.begin(), decision->choices.end(), text);
      if (it == decision->choices.end() || std::count(choices[name].begin(), choices[name].end(),
                                                      static_cast<int>(it - decision->choices.begin()))) {
        throw InputError(location_of(list[i], map.file()), map.field(name) + "[" + std::to_string(i) + "]",
                         describe_node(list[i]) +
                             (it == decision->choices.end() ? " is not a choice" : " is listed twice") +
                             " (valid: " + join(decision->choices, " | ") + ")");
      }
      choices[name].push_back(static_cast<int>(it - decision->choices.begin()));
    }
  }
  return choices;
}

Objective parse_objective(const YamlMap& map) {
  Objective objective;
  const std::string kind = map.has("kind") ? one_of(map, "kind", {"reward", "pareto"}) : "reward";
  if (kind == "reward") {
    map.require_only({"kind", "cost", "target", "weight"});
    objective.kind = Objective::Kind::reward;
    if (map.has("cost")) objective.cost = *parse_metric(one_of(map, "cost", {"latency", "energy"}));
    if (!map.has("target")) {
      throw map.error("target", "missing; the reward needs the cost's target (in " +
                                    std::string(metric_unit(objective.cost)) + ")");
    }
    objective.target = positive_number(map, "target");
    if (map.has("weight")) objective.weight = map.number("weight");
    return objective;
  }
  map.require_only({"kind", "metrics"});
  objective.kind = Objective::Kind::pareto;
  const YAML::Node list = map.get("metrics");
  if (!map.has("metrics") || !list.IsSequence() || list.size() < 2) {
    throw map.error("metrics", "expected a list of 2 or more of: " + join(metric_names(), ", "));
  }
  objective.metrics.clear();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string name = list[i].IsScalar() ? list[i].Scalar() : "";
    const auto metric = parse_metric(name);
    if (!metric || std::count(objective.metrics.begin(), objective.metrics.end(), *metric)) {
      throw InputError(location_of(list[i], map.file()), map.field("metrics") + "[" + std::to_string(i) + "]",
                       describe_node(list[i]) + (metric ? " is listed twice" : " is not a metric") +
                           " (valid: " + join(metric_names(), ", ") + ")");
    }
    objective.metrics.push_back(*metric);
  }
  return objective;
}

// `constraints: { latency: {max: 500}, accuracy: {min: 0.8} }`
std::vector<Constraint> parse_constraints(const YamlMap& map) {
  std::vector<Constraint> constraints;
  map.require_only(metric_names());
  for (const std::string& name : metric_names()) {
    if (!map.has(name)) continue;
    const YamlMap bound = map.map(name);
    bound.require_only({"min", "max"});
    Constraint c;
    c.metric = *parse_metric(name);
    if (bound.has("min")) c.min = bound.number("min");
    if (bound.has("max")) c.max = bound.number("max");
    if (!c.min && !c.max) throw map.error(name, "give min, max or both");
    if (c.min && c.max && *c.min > *c.max) throw bound.error("min", "is above max");
    constraints.push_back(c);
  }
  return constraints;
}

void parse_strategy(const YamlMap& map, SearchFlow& search) {
  map.require_only({"name", "population", "sample_size", "learning_rate", "ppo_epochs", "clip", "initial_points",
                    "candidates"});
  StrategyOptions& options = search.strategy_options;
  if (map.has("name")) search.strategy = one_of(map, "name", strategy_names());
  if (map.has("population")) options.population = positive_int(map, "population", 100000);
  if (map.has("sample_size")) options.sample_size = positive_int(map, "sample_size", 100000);
  if (map.has("learning_rate")) options.learning_rate = positive_number(map, "learning_rate");
  if (map.has("ppo_epochs")) options.ppo_epochs = positive_int(map, "ppo_epochs", 100);
  if (map.has("clip")) {
    options.clip = positive_number(map, "clip");
    if (options.clip >= 1) throw map.error("clip", "must be < 1 (PPO's ratio clip, typically 0.1..0.3)");
  }
  if (map.has("initial_points")) options.initial_points = positive_int(map, "initial_points", 100000);
  if (map.has("candidates")) options.candidates = positive_int(map, "candidates", 1000000);
  if (options.population != 0 && options.sample_size > options.population) {
    throw map.error("sample_size", "is larger than the population (" + std::to_string(options.population) + ")");
  }
}

}  // namespace

const char* search_mode_name(SearchMode mode) {
  switch (mode) {
    case SearchMode::joint: return "joint";
    case SearchMode::hardware_only: return "hardware_only";
    case SearchMode::network_only: return "network_only";
    case SearchMode::phased: return "phased";
  }
  return "joint";
}

std::vector<std::string> search_mode_names() {
  std::vector<std::string> names;
  for (SearchMode mode : kModes) names.push_back(search_mode_name(mode));
  return names;
}

std::string SearchFlow::hash() const { return sha256_hex(canonical_text).substr(0, 16); }

std::string SearchFlow::study_path() const { return flow.output_dir + "/study.db"; }

SearchFlow load_search_flow(const std::string& file) {
  SearchFlow search;
  search.flow = load_flow_file(file);
  const YamlDocument document = load_yaml_file(file);
  // Where trials run does not change them: a study moves between executors.
  YAML::Node hashed = YAML::Clone(document.root);
  if (hashed.IsMap() && hashed["search"].IsMap()) hashed["search"].remove("execution");
  search.canonical_text = YAML::Dump(hashed);
  if (!search.flow.has_search) {
    throw InputError(location_of(document.root, file), "search",
                     "missing; a search flow needs a `search:` section (docs/search.md)");
  }
  const YamlMap map(search.flow.search, "search", file);
  map.require_only({"mode", "network_space", "network_choices", "hardware", "objective", "constraints", "accuracy",
                    "strategy", "trials", "workers", "validate_top", "network_trials", "clock", "execution"});

  if (map.has("mode")) {
    const std::string mode = one_of(map, "mode", search_mode_names());
    for (SearchMode m : kModes) {
      if (mode == search_mode_name(m)) search.mode = m;
    }
  }
  const YamlMap top(document.root, "", file);
  if (search.mode == SearchMode::hardware_only && search.flow.network.empty()) {
    throw map.error("mode", "hardware_only searches the accelerator for a fixed network; give the flow a "
                            "`network:` (YAML file, topology CSV or zoo:NAME)");
  }
  if (search.mode != SearchMode::hardware_only && !search.flow.network.empty()) {
    throw top.error("network", "a fixed network is only used by mode hardware_only; mode " +
                                   std::string(search_mode_name(search.mode)) +
                                   " searches the network space (search.network_space)");
  }
  if (map.has("network_space")) search.network_space = one_of(map, "network_space", NetworkSpace::names());
  if (map.has("network_choices")) {
    if (!search.searches_network()) throw map.error("network_choices", "mode hardware_only has a fixed network");
    search.network_choices = parse_network_choices(map.map("network_choices"), *NetworkSpace::find(search.network_space));
  }
  if (map.has("hardware")) search.hardware_values = parse_hardware(map.map("hardware"));
  if (map.has("objective")) {
    search.objective = parse_objective(map.map("objective"));
  } else {
    throw map.error("objective", "missing; e.g. {kind: reward, cost: latency, target: 100} or "
                                 "{kind: pareto, metrics: [accuracy, latency]}");
  }
  if (map.has("constraints")) search.constraints = parse_constraints(map.map("constraints"));
  if (map.has("accuracy")) search.accuracy = parse_accuracy_spec(map.map("accuracy"));
  if (map.has("strategy")) parse_strategy(map.map("strategy"), search);
  search.strategy_options.seed = search.flow.seed;
  search.strategy_options.multi_objective = search.objective.kind == Objective::Kind::pareto;
  if (map.has("clock")) {
    const std::string policy = one_of(map, "clock", clock_policy_names());
    for (ClockPolicy p : kClockPolicies) {
      if (policy == clock_policy_name(p)) search.clock_policy = p;
    }
  }
  if (map.has("execution")) search.execution = parse_execution_spec(map.map("execution"));
  if (map.has("trials")) search.trials = positive_int(map, "trials", 1000000);
  if (map.has("workers")) search.workers = positive_int(map, "workers", 256);
  if (map.has("validate_top")) {
    const std::int64_t top_k = map.integer("validate_top");
    if (top_k < 0 || top_k > search.trials) {
      throw map.error("validate_top", std::to_string(top_k) + " is out of range (valid: integer 0.." +
                                          std::to_string(search.trials) + ", the trials)");
    }
    search.validate_top = static_cast<int>(top_k);
  }
  if (search.mode == SearchMode::phased) {
    search.network_trials = map.has("network_trials") ? positive_int(map, "network_trials", search.trials - 1)
                                                       : search.trials / 2;
    if (search.network_trials < 1 || search.network_trials >= search.trials) {
      throw map.error("trials", "phased mode needs at least 2 trials (one per phase)");
    }
  } else if (map.has("network_trials")) {
    throw map.error("network_trials", "only used by mode phased");
  }
  return search;
}

}  // namespace tandem
