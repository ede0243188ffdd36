// Small text helpers for the hand-written readers of other tools' files (SCALE-Sim's CSV and
// .cfg): one definition, not one per reader.
#pragma once

#include <string>

namespace tandem {

// Without leading and trailing spaces, tabs, carriage returns and newlines.
std::string trim(const std::string& text);
// ASCII lower case.
std::string lowercase(std::string text);

}  // namespace tandem
