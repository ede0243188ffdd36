// Small text helpers for the hand-written readers of other tools' files (SCALE-Sim's CSV and
// .cfg, Slurm's and the trainers' output) and for messages: one definition, not one per user.
#pragma once

#include <string>
#include <vector>

namespace tandem {

// Without leading and trailing spaces, tabs, carriage returns and newlines.
std::string trim(const std::string& text);
// ASCII lower case.
std::string lowercase(std::string text);
// The words with `separator` between them (none before the first non-empty text).
std::string join(const std::vector<std::string>& words, const std::string& separator);
// The last line that holds more than spaces, tabs and carriage returns; "" when none does.
std::string last_nonblank_line(const std::string& text);

}  // namespace tandem
