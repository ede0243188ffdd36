// The joint network + accelerator space as categorical genes: what the strategies search in a
// real study. Network genes come first ("net." + the NetworkSpace decision), then one gene per
// searched accelerator parameter ("hw." + the declared name, in declaration order), so every
// conditional network gene depends only on genes before it.
#pragma once

#include <functional>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/accelerator_config.h"
#include "models/network_space.h"
#include "search/search_space.h"

namespace tandem {

struct NetworkSide {
  // Not owned; must outlive the JointSpace. nullptr: the network is fixed (no network genes).
  const NetworkSpace* space = nullptr;
};

// A candidate clock above what its configuration meets: lowered to that clock (bounded: the
// design is evaluated at a clock it can run at), the candidate rejected as infeasible (reject),
// or kept (as_given: latencies at a clock the RTL may not meet).
enum class ClockPolicy { bounded, reject, as_given };
inline constexpr ClockPolicy kClockPolicies[] = {ClockPolicy::bounded, ClockPolicy::reject, ClockPolicy::as_given};
const char* clock_policy_name(ClockPolicy policy);
std::vector<std::string> clock_policy_names();

struct AcceleratorSide {
  std::optional<AcceleratorConfig> fixed;  // set: no hardware genes
  AcceleratorConfig base;                  // values of the parameters that are not searched
  // Narrowing, by declared parameter name: the values to search instead of the declared
  // search_values. Every value must be allowed by the declaration. One value fixes the
  // parameter (no gene).
  std::map<std::string, std::vector<std::int64_t>> values;
  // The clock a configuration can meet (MHz; the cost stage's timing model), and what to do
  // with a candidate whose clock_mhz exceeds it. Without a limit clocks are taken as given.
  std::function<int(const AcceleratorConfig&)> clock_limit;
  ClockPolicy clock_policy = ClockPolicy::bounded;
};

// What a point decodes to. `genotype` is empty when the network is fixed.
struct Candidate {
  Genotype genotype;
  AcceleratorConfig accelerator;
};

class JointSpace : public SearchSpace {
 public:
  // Throws std::invalid_argument for an unknown parameter name, a narrowing value the
  // declaration does not allow, an empty or repeated value list, narrowing next to a fixed
  // accelerator, or a base value the declaration does not allow.
  JointSpace(NetworkSide network, AcceleratorSide accelerator);

  const std::vector<Gene>& genes() const override { return genes_; }
  std::vector<int> allowed(const Point& point, std::size_t gene) const override;
  // The network's reason (NetworkSpace::check) or the configuration's first violation
  // (validate(): ranges and cross-field constraints), prefixed "network: " or "accelerator: ".
  std::optional<std::string> check(const Point& point) const override;

  // Both throw std::invalid_argument with check()'s reason for a point outside the space, and
  // encode() also for a candidate the space cannot express (a value not searched, a fixed
  // parameter that differs, a genotype on a fixed-network side).
  Candidate decode(const Point& point) const;
  Point encode(const Candidate& candidate) const;

  std::size_t network_genes() const { return network_genes_; }
  std::size_t hardware_genes() const { return genes_.size() - network_genes_; }
  const NetworkSpace* network_space() const { return network_.space; }
  // The declared parameter behind hardware gene `gene` (an index into genes()) and the value
  // each of its choices stands for.
  const ParamSpec& hardware_param(std::size_t gene) const;
  const std::vector<std::int64_t>& hardware_values(std::size_t gene) const;

 private:
  struct HardwareGene {
    const ParamSpec* param;
    std::vector<std::int64_t> values;  // choice index -> parameter value
  };

  Genotype genotype_of(const Point& point) const;
  const HardwareGene& hardware_gene(std::size_t gene) const;

  NetworkSide network_;
  AcceleratorConfig base_;  // the fixed accelerator, or base with single-value narrowing applied
  std::function<int(const AcceleratorConfig&)> clock_limit_;
  ClockPolicy clock_policy_ = ClockPolicy::as_given;
  // The clock a configuration is evaluated at under the policy (bounded: at most its limit).
  int evaluated_clock(const AcceleratorConfig& config) const;
  std::vector<HardwareGene> hardware_;
  std::vector<Gene> genes_;
  std::size_t network_genes_ = 0;
};

}  // namespace tandem
