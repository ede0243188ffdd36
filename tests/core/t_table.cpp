// The one table type and the one number formatter (core/table.h, core/number_format.h).
#include <catch2/catch.hpp>

#include <iomanip>
#include <limits>
#include <sstream>

#include "core/number_format.h"
#include "core/table.h"

using namespace tandem;

namespace {

Table sample_table() {
  Table table;
  table.headers = {"name", "count", "note"};
  table.rows = {{"a|b", "7", "x, \"y\""}, {"longer name", "1234", ""}};
  return table;
}

}  // namespace

TEST_CASE("t_table: plain text aligns columns two spaces apart, trailing spaces trimmed", "[table]") {
  Table table = sample_table();
  CHECK(table.text() ==
        "name         count  note\n"
        "a|b          7      x, \"y\"\n"
        "longer name  1234\n");
  table.right_aligned = {false, true};
  CHECK(table.text("  ") ==
        "  name         count  note\n"
        "  a|b              7  x, \"y\"\n"
        "  longer name   1234\n");
}

TEST_CASE("t_table: a headerless list with minimum widths", "[table]") {
  Table list;
  list.min_widths = {2, 6};
  list.right_aligned = {true};
  list.rows = {{"0", "ab", "first"}, {"1", "abcdefgh", "second"}};
  CHECK(list.text() ==
        " 0  ab        first\n"
        " 1  abcdefgh  second\n");
  list.rows.pop_back();
  CHECK(list.text() == " 0  ab      first\n");
}

TEST_CASE("t_table: CSV quotes, HTML escapes, Markdown escapes '|'", "[table]") {
  const Table table = sample_table();
  CHECK(table.csv() == "name,count,note\na|b,7,\"x, \"\"y\"\"\"\nlonger name,1234,\n");
  CHECK(table.html("t") ==
        "<table class=\"t\">\n<thead><tr><th>name</th><th>count</th><th>note</th></tr></thead>\n<tbody>\n"
        "<tr><td>a|b</td><td>7</td><td>x, &quot;y&quot;</td></tr>\n"
        "<tr><td>longer name</td><td>1234</td><td></td></tr>\n</tbody>\n</table>\n");
  CHECK(table.markdown() ==
        "| name | count | note |\n"
        "|---|---|---|\n"
        "| a\\|b | 7 | x, \"y\" |\n"
        "| longer name | 1234 |  |\n");
}

TEST_CASE("t_table: numbers as people and machines read them", "[table][number]") {
  CHECK(format_number(12.5) == "12.5");
  CHECK(format_number(0.000123456) == "0.0001235");
  CHECK(format_number(1234567) == "1.235e+06");
  CHECK(fixed_number(0.65, 4) == "0.6500");
  CHECK(fixed_number(1234.5, 0) == "1234");  // round half to even, like printf
  CHECK(exact_number(0.1) == "0.1");
  CHECK(exact_number(std::numeric_limits<double>::infinity()) == "inf");
  // The stream formats they replace.
  for (double value : {0.0, -2.5, 1.0 / 3.0, 123456789.0, 1e-7, 0.670484}) {
    std::ostringstream plain, fixed;
    plain << value;
    fixed << std::fixed << std::setprecision(2) << value;
    CHECK(format_number(value, 6) == plain.str());
    CHECK(fixed_number(value, 2) == fixed.str());
  }
}
