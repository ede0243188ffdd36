// Inline SVG plots for the HTML reports, drawn in C++ with no script and no external resource:
// an x-y plot (points, lines, steps) and a (stacked) bar plot, both with ticked, labelled axes,
// linear or log scale. Every plot in a report is one of these two; nothing draws its own axes.
// Internal to the report stage (report/report.h is its public header).
#pragma once

#include <string>
#include <vector>

namespace tandem::svg {

enum class Scale { linear, log };

struct Axis {
  std::string label;  // with its unit: "latency (us)"
  Scale scale = Scale::linear;
};

// log when every value is positive and they span at least two decades; linear otherwise.
Scale choose_scale(const std::vector<double>& values);

struct Series {
  enum class Style { points, line, steps };  // steps: horizontal then vertical (a front)
  std::string name;   // legend entry; empty: none
  std::string color;  // CSS color
  Style style = Style::points;
  std::vector<double> x, y;
  std::vector<std::string> tips;  // per point, shown on hover (<title>); may be empty
  double radius = 3.5;            // points
};

struct XYPlot {
  std::string id;  // the <svg> element's id
  std::string title;
  Axis x, y;
  std::vector<Series> series;  // drawn in order: later on top
  int width = 540, height = 380;
};

struct BarPlot {
  struct Stack {
    std::string name, color;
    std::vector<double> values;  // one per category; stacks add up
  };
  std::string id;
  std::string title;
  std::vector<std::string> categories;  // x labels (rotated)
  std::vector<Stack> stacks;
  Axis y;  // bars start at 0, so the scale is always linear
  int width = 0;  // 0: grows with the number of categories (460 to 1120 px)
  int height = 380;
};

std::string render(const XYPlot& plot);
std::string render(const BarPlot& plot);

// Tick positions of an axis over [low, high] (exposed for tests): 1-2-5 steps (linear) or
// decades, with 2 and 5 between when there are few decades (log).
std::vector<double> ticks(double low, double high, Scale scale);

}  // namespace tandem::svg
