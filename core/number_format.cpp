#include "core/number_format.h"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace tandem {

std::string format_number(double value, int significant) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*g", significant, value);
  return text;
}

std::string fixed_number(double value, int decimals) {
  // 309 integer digits at most, a sign, the point and the decimals (a few in practice).
  char text[400];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string exact_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return nlohmann::json(value).dump();
}

std::pair<double, int> scaled_by_thousands(double value) {
  int prefix = 0;
  while (value >= 1000.0 && prefix < 4) {
    value /= 1000.0;
    ++prefix;
  }
  return {value, prefix};
}

}  // namespace tandem
