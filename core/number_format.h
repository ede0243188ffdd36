// Numbers as text, in one place: every table, report, plot and message formats numbers with
// these, so that one figure reads the same wherever it appears.
#pragma once

#include <string>
#include <utility>

namespace tandem {

// Numbers for people: `significant` digits, no trailing zeros ("12.5", "0.000123", "1.2e+06").
// With 6 digits it is what `std::ostream << double` prints.
std::string format_number(double value, int significant = 4);
// A fixed number of decimals ("0.6541", "12.30"): what `std::fixed << std::setprecision(n)` prints.
std::string fixed_number(double value, int decimals);
// Numbers for machines: the shortest text that reads back as exactly `value`.
std::string exact_number(double value);
// `value` divided by 1000 while it is 1000 or more, at most 4 times, and how many times: the
// mantissa and the index of its decimal prefix (k, M, G, T) for counts and sizes.
std::pair<double, int> scaled_by_thousands(double value);

}  // namespace tandem
