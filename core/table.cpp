#include "core/table.h"

#include <algorithm>

namespace tandem {

namespace {
// '|' escaped (network descriptions separate stages with it).
std::string markdown_cell(const std::string& text) {
  std::string cell;
  for (char c : text) cell += c == '|' ? std::string("\\|") : std::string(1, c);
  return cell;
}
}  // namespace

std::string Table::text(const std::string& indent) const {
  std::vector<std::size_t> widths(min_widths);
  auto widen = [&](const std::vector<std::string>& row) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  };
  widen(headers);
  for (const auto& row : rows) widen(row);
  std::string text;
  auto line = [&](const std::vector<std::string>& row) {
    std::string out = indent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string pad(widths[i] - row[i].size(), ' ');
      const bool right = i < right_aligned.size() && right_aligned[i];
      out += right ? pad + row[i] : row[i] + pad;
      if (i + 1 < row.size()) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    text += out + "\n";
  };
  if (!headers.empty()) line(headers);
  for (const auto& row : rows) line(row);
  return text;
}

std::string Table::csv() const {
  std::string text;
  auto line = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size(); ++i) text += (i ? "," : "") + csv_field(row[i]);
    text += "\n";
  };
  if (!headers.empty()) line(headers);
  for (const auto& row : rows) line(row);
  return text;
}

std::string Table::html(const std::string& css_class) const {
  std::string text = css_class.empty() ? "<table>\n" : "<table class=\"" + css_class + "\">\n";
  text += "<thead><tr>";
  for (const auto& header : headers) text += "<th>" + html_escape(header) + "</th>";
  text += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    text += "<tr>";
    for (const auto& cell : row) text += "<td>" + html_escape(cell) + "</td>";
    text += "</tr>\n";
  }
  return text + "</tbody>\n</table>\n";
}

std::string Table::markdown() const {
  auto line = [](const std::vector<std::string>& row) {
    std::string text = "|";
    for (const std::string& cell : row) text += " " + markdown_cell(cell) + " |";
    return text + "\n";
  };
  std::string text = line(headers) + "|";
  for (std::size_t i = 0; i < headers.size(); ++i) text += "---|";
  text += "\n";
  for (const auto& row : rows) text += line(row);
  return text;
}

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace tandem
