// A table of text cells and its three renderings: aligned plain text (terminal), CSV
// (RFC 4180 quoting) and an HTML <table> (escaped). `study show`, the report and its CSV
// files all build a TextTable and pick a rendering, so the columns are defined once.
#pragma once

#include <string>
#include <vector>

namespace tandem {

struct TextTable {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;  // each as long as headers

  std::string text(const std::string& indent = "") const;
  std::string csv() const;
  std::string html(const std::string& css_class = "") const;
};

std::string html_escape(const std::string& text);  // & < > " '
std::string csv_field(const std::string& text);    // quoted when it holds , " or a line break

// Numbers for people: `significant` digits, no trailing zeros ("12.5", "0.000123", "1.2e+06").
std::string format_number(double value, int significant = 4);
// Numbers for machines: the shortest text that reads back as exactly `value`.
std::string exact_number(double value);

}  // namespace tandem
