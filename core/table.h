// A table of text cells and its renderings: aligned plain text (terminal), CSV (RFC 4180
// quoting), an HTML <table> (escaped) and a Markdown table ('|' escaped). The tables tandem
// prints or writes are all of this type, so each table's columns are defined once and nothing
// aligns columns by hand (the benchmarks' tables printed row by row as they are measured aside).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tandem {

struct Table {
  std::vector<std::string> headers;  // empty: no header line (text and CSV: a list of rows)
  std::vector<std::vector<std::string>> rows;  // a shorter row leaves its last cells out
  // Plain text only, per column (missing entries: left-aligned, no minimum): right-aligned
  // columns (counts), and minimum widths for lists whose layout must not depend on which rows
  // are present.
  std::vector<bool> right_aligned;
  std::vector<std::size_t> min_widths;

  // Columns two spaces apart, each line prefixed by `indent`, trailing spaces trimmed.
  std::string text(const std::string& indent = "") const;
  std::string csv() const;
  std::string html(const std::string& css_class = "") const;
  std::string markdown() const;
};

std::string html_escape(const std::string& text);  // & < > " '
std::string csv_field(const std::string& text);    // quoted when it holds , " or a line break

}  // namespace tandem
