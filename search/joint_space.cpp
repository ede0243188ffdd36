#include "search/joint_space.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace tandem {

namespace {

std::string declared_names() {
  std::string names;
  for (const ParamSpec& param : accelerator_space()) {
    names += (names.empty() ? "" : ", ") + param.name;
  }
  return names;
}

// The values a narrowing asks for, each checked against the declaration.
std::vector<std::int64_t> checked_values(const ParamSpec& param,
                                         const std::vector<std::int64_t>& values) {
  const std::string where = "accelerator parameter '" + param.name + "': ";
  if (values.empty()) throw std::invalid_argument(where + "the list of values to search is empty");
  std::set<std::int64_t> seen;
  for (std::int64_t value : values) {
    if (!param.allows(value)) {
      throw std::invalid_argument(where + param.format(value) +
                                  " is not allowed; valid: " + param.allowed_text());
    }
    if (!seen.insert(value).second) {
      throw std::invalid_argument(where + param.format(value) + " is listed twice");
    }
  }
  return values;
}

std::string values_text(const ParamSpec& param, const std::vector<std::int64_t>& values) {
  std::string text;
  for (std::int64_t value : values) text += (text.empty() ? "" : " | ") + param.format(value);
  return text;
}

std::vector<int> all_indices(std::size_t count) {
  std::vector<int> indices(count);
  for (std::size_t i = 0; i < count; ++i) indices[i] = static_cast<int>(i);
  return indices;
}

}  // namespace

const char* clock_policy_name(ClockPolicy policy) {
  switch (policy) {
    case ClockPolicy::bounded: return "bounded";
    case ClockPolicy::reject: return "reject";
    case ClockPolicy::as_given: return "as_given";
  }
  return "?";
}

std::vector<std::string> clock_policy_names() {
  std::vector<std::string> names;
  for (ClockPolicy policy : kClockPolicies) names.push_back(clock_policy_name(policy));
  return names;
}

int JointSpace::evaluated_clock(const AcceleratorConfig& config) const {
  if (!clock_limit_ || clock_policy_ != ClockPolicy::bounded) return config.clock_mhz;
  return std::min(config.clock_mhz, clock_limit_(config));
}

JointSpace::JointSpace(NetworkSide network, AcceleratorSide accelerator)
    : network_(network),
      base_(accelerator.fixed ? *accelerator.fixed : accelerator.base),
      clock_limit_(accelerator.clock_limit),
      clock_policy_(accelerator.clock_policy) {
  if (network_.space) {
    for (const Decision& decision : network_.space->decisions()) {
      genes_.push_back({"net." + decision.name, decision.choices});
    }
  }
  network_genes_ = genes_.size();

  if (accelerator.fixed && !accelerator.values.empty()) {
    throw std::invalid_argument("accelerator parameter '" + accelerator.values.begin()->first +
                                "': a fixed accelerator is not searched, so its values cannot "
                                "be narrowed");
  }
  for (const auto& entry : accelerator.values) {
    if (!find_param(entry.first)) {
      throw std::invalid_argument("unknown accelerator parameter '" + entry.first +
                                  "' (valid: " + declared_names() + ")");
    }
  }
  for (const ParamSpec& param : accelerator_space()) {
    if (!param.allows(param.get(base_))) {
      throw std::invalid_argument("accelerator parameter '" + param.name +
                                  "': " + param.format(param.get(base_)) +
                                  " is not allowed; valid: " + param.allowed_text());
    }
    if (accelerator.fixed) continue;
    auto narrowed = accelerator.values.find(param.name);
    std::vector<std::int64_t> values = narrowed == accelerator.values.end()
                                           ? param.search_values
                                           : checked_values(param, narrowed->second);
    if (values.size() == 1) {
      param.set(base_, values.front());  // a property of the system, not a decision
      continue;
    }
    Gene gene{"hw." + param.name, {}};
    for (std::int64_t value : values) gene.choices.push_back(param.format(value));
    genes_.push_back(std::move(gene));
    hardware_.push_back({&param, std::move(values)});
  }
}

const JointSpace::HardwareGene& JointSpace::hardware_gene(std::size_t gene) const {
  if (gene < network_genes_ || gene >= genes_.size()) {
    throw std::out_of_range("gene " + std::to_string(gene) + " is not a hardware gene");
  }
  return hardware_[gene - network_genes_];
}

const ParamSpec& JointSpace::hardware_param(std::size_t gene) const {
  return *hardware_gene(gene).param;
}

const std::vector<std::int64_t>& JointSpace::hardware_values(std::size_t gene) const {
  return hardware_gene(gene).values;
}

Genotype JointSpace::genotype_of(const Point& point) const {
  const std::size_t count = std::min(point.size(), network_genes_);
  return Genotype(point.begin(), point.begin() + static_cast<std::ptrdiff_t>(count));
}

std::vector<int> JointSpace::allowed(const Point& point, std::size_t gene) const {
  if (gene < network_genes_) return network_.space->allowed(genotype_of(point), gene);
  return all_indices(hardware_gene(gene).values.size());  // cross-field rules are check()'s
}

std::optional<std::string> JointSpace::check(const Point& point) const {
  if (point.size() != genes_.size()) {
    return "a point of this space has " + std::to_string(genes_.size()) + " genes, got " +
           std::to_string(point.size());
  }
  if (network_.space) {
    if (auto problem = network_.space->check(genotype_of(point))) return "network: " + *problem;
  }
  AcceleratorConfig config = base_;
  for (std::size_t gene = network_genes_; gene < genes_.size(); ++gene) {
    const HardwareGene& hw = hardware_gene(gene);
    const int index = point[gene];
    if (index < 0 || index >= static_cast<int>(hw.values.size())) {
      return "accelerator: gene " + genes_[gene].name + " is " + std::to_string(index) +
             ", outside 0.." + std::to_string(hw.values.size() - 1);
    }
    hw.param->set(config, hw.values[static_cast<std::size_t>(index)]);
  }
  const std::vector<ConfigViolation> violations = validate(config);
  if (!violations.empty()) {
    return "accelerator: " + violations.front().field + ": " + violations.front().message;
  }
  if (clock_limit_ && clock_policy_ == ClockPolicy::reject) {
    const int limit = clock_limit_(config);
    if (config.clock_mhz > limit) {
      return "accelerator: clock_mhz: " + std::to_string(config.clock_mhz) + " MHz exceeds the " +
             std::to_string(limit) + " MHz this configuration meets (timing model, search.clock: reject)";
    }
  }
  return std::nullopt;
}

Candidate JointSpace::decode(const Point& point) const {
  if (auto problem = check(point)) throw std::invalid_argument(*problem);
  Candidate candidate{genotype_of(point), base_};
  for (std::size_t gene = network_genes_; gene < genes_.size(); ++gene) {
    const HardwareGene& hw = hardware_gene(gene);
    hw.param->set(candidate.accelerator, hw.values[static_cast<std::size_t>(point[gene])]);
  }
  candidate.accelerator.clock_mhz = evaluated_clock(candidate.accelerator);
  return candidate;
}

Point JointSpace::encode(const Candidate& candidate) const {
  if (candidate.genotype.size() != network_genes_) {
    throw std::invalid_argument(network_.space
                                    ? "a genotype of space '" + network_.space->name() + "' has " +
                                          std::to_string(network_genes_) + " genes, got " +
                                          std::to_string(candidate.genotype.size())
                                    : "the network is fixed, but the candidate has a genotype");
  }
  Point point(candidate.genotype.begin(), candidate.genotype.end());
  for (const ParamSpec& param : accelerator_space()) {
    const std::int64_t value = param.get(candidate.accelerator);
    auto searched = std::find_if(hardware_.begin(), hardware_.end(),
                                 [&](const HardwareGene& hw) { return hw.param == &param; });
    // Under the bounded policy a candidate's clock is the lower of the space's and its limit.
    const bool clock = param.name == "clock_mhz" && clock_limit_ && clock_policy_ == ClockPolicy::bounded;
    if (searched == hardware_.end()) {
      AcceleratorConfig expected = candidate.accelerator;
      expected.clock_mhz = base_.clock_mhz;
      if (clock && value == evaluated_clock(expected)) continue;
      if (value != param.get(base_)) {
        throw std::invalid_argument("accelerator parameter '" + param.name + "' is " +
                                    param.format(value) + ", but this space fixes it at " +
                                    param.format(param.get(base_)));
      }
      continue;
    }
    auto index = std::find_if(searched->values.begin(), searched->values.end(), [&](std::int64_t v) {
      if (!clock) return v == value;
      AcceleratorConfig expected = candidate.accelerator;
      expected.clock_mhz = static_cast<int>(v);
      return evaluated_clock(expected) == value;
    });
    if (index == searched->values.end()) {
      throw std::invalid_argument("accelerator parameter '" + param.name + "' is " +
                                  param.format(value) + ", not one of the searched values " +
                                  values_text(param, searched->values));
    }
    point.push_back(static_cast<int>(index - searched->values.begin()));
  }
  if (auto problem = check(point)) throw std::invalid_argument(*problem);
  return point;
}

}  // namespace tandem
