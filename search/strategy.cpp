// The strategy registry. Function-local statics, because strategies register from static
// initializers in other translation units whose order is unspecified.
#include "search/strategy.h"

#include <map>
#include <stdexcept>

namespace tandem {

namespace {

struct RegisteredStrategy {
  std::string description;
  StrategyFactory factory;
};

std::map<std::string, RegisteredStrategy>& registry() {
  static std::map<std::string, RegisteredStrategy> strategies;
  return strategies;
}

const RegisteredStrategy& find_strategy(const std::string& name) {
  auto found = registry().find(name);
  if (found == registry().end()) {
    std::string valid;
    for (const std::string& known : strategy_names()) valid += (valid.empty() ? "" : ", ") + known;
    throw std::invalid_argument("unknown strategy '" + name + "' (valid: " + valid + ")");
  }
  return found->second;
}

}  // namespace

bool register_strategy(const std::string& name, const std::string& description,
                       StrategyFactory factory) {
  const bool inserted =
      registry().emplace(name, RegisteredStrategy{description, std::move(factory)}).second;
  if (!inserted) throw std::logic_error("strategy '" + name + "' is registered twice");
  return true;
}

std::unique_ptr<Strategy> make_strategy(const std::string& name, const SearchSpace& space,
                                        const StrategyOptions& options) {
  return find_strategy(name).factory(space, options);
}

std::vector<std::string> strategy_names() {
  std::vector<std::string> names;
  for (const auto& entry : registry()) names.push_back(entry.first);
  return names;
}

std::string strategy_description(const std::string& name) {
  return find_strategy(name).description;
}

}  // namespace tandem
