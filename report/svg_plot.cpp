#include "report/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/number_format.h"
#include "core/table.h"

namespace tandem::svg {
namespace {

constexpr double kMarginLeft = 70, kMarginRight = 20, kMarginTop = 36, kMarginBottom = 52;

// SVG coordinates: two decimals are plenty.
std::string num(double value) { return fixed_number(value, 2); }

// "0.2", "1000", "25000"; far from 1, "1e6", "2e-5" instead of printf's "1e+06".
std::string tick_label(double value) {
  if (std::abs(value) < 1e-12) return "0";
  std::string text = format_number(value, std::abs(value) >= 1e-3 && std::abs(value) < 1e5 ? 6 : 3);
  const auto e = text.find('e');
  if (e == std::string::npos) return text;
  std::string exponent = text.substr(e + 1);
  const bool negative = exponent[0] == '-';
  exponent = exponent.substr(exponent.find_first_not_of("+-0") == std::string::npos
                                 ? exponent.size() - 1
                                 : exponent.find_first_not_of("+-0"));
  return text.substr(0, e) + "e" + (negative ? "-" : "") + exponent;
}

double nice_step(double span, int target) {
  const double raw = span / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (raw <= factor * magnitude) return factor * magnitude;
  }
  return 10 * magnitude;
}

// A data interval with room around it, the one an axis shows.
struct Domain {
  double low = 0, high = 1;
  Scale scale = Scale::linear;
};

Domain domain_of(std::vector<double> values, Scale scale, bool include_zero = false) {
  values.erase(std::remove_if(values.begin(), values.end(),
                              [scale](double v) { return !std::isfinite(v) || (scale == Scale::log && v <= 0); }),
               values.end());
  if (include_zero && scale == Scale::linear) values.push_back(0);
  Domain domain{0, 1, scale};
  if (values.empty()) return domain;
  auto [min_it, max_it] = std::minmax_element(values.begin(), values.end());
  double low = *min_it, high = *max_it;
  if (scale == Scale::log) {  // a few percent of the decades as air on both sides
    const double decades = std::max(1.0, std::log10(high / low));
    const double pad = std::pow(10.0, 0.04 * decades);
    domain.low = low / pad;
    domain.high = high * pad;
    return domain;
  }
  if (high == low) {
    const double pad = low == 0 ? 1 : std::abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const double step = nice_step(high - low, 5);
  domain.low = std::floor(low / step) * step;
  domain.high = std::ceil(high / step) * step;
  if (!include_zero) {  // a little air so points do not sit on the frame
    domain.low -= step * 0.25;
    domain.high += step * 0.25;
  }
  return domain;
}

// The plotting area of an SVG and the two axes' mappings; draws frame, grid, ticks, labels.
class Frame {
 public:
  Frame(int width, int height, Domain x, Domain y, double margin_bottom = kMarginBottom)
      : width_(width), height_(height), margin_bottom_(margin_bottom), x_(x), y_(y) {}

  double left() const { return kMarginLeft; }
  double right() const { return width_ - kMarginRight; }
  double top() const { return kMarginTop; }
  double bottom() const { return height_ - margin_bottom_; }

  double px(double value) const { return left() + fraction(value, x_) * (right() - left()); }
  double py(double value) const { return bottom() - fraction(value, y_) * (bottom() - top()); }
  bool visible(double x, double y) const {
    return inside(x, x_) && inside(y, y_);
  }

  std::string open(const std::string& id, const std::string& title) const {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" id=\"" + html_escape(id) +
           "\" width=\"" + std::to_string(width_) + "\" height=\"" + std::to_string(height_) +
           "\" viewBox=\"0 0 " + std::to_string(width_) + " " + std::to_string(height_) +
           "\" role=\"img\" aria-label=\"" + html_escape(title) + "\">\n<title>" +
           html_escape(title) + "</title>\n<text class=\"plot-title\" x=\"" +
           num(width_ / 2.0) + "\" y=\"20\" text-anchor=\"middle\">" + html_escape(title) +
           "</text>\n";
  }

  std::string y_axis(const std::string& label) const {
    std::string svg = "<g class=\"axis y-axis\">\n";
    for (double tick : ticks(y_.low, y_.high, y_.scale)) {
      const double y = py(tick);
      svg += "<line class=\"grid\" x1=\"" + num(left()) + "\" x2=\"" + num(right()) + "\" y1=\"" +
             num(y) + "\" y2=\"" + num(y) + "\"/>";
      svg += "<text x=\"" + num(left() - 6) + "\" y=\"" + num(y + 4) +
             "\" text-anchor=\"end\">" + tick_label(tick) + "</text>\n";
    }
    const double middle = (top() + bottom()) / 2;
    svg += "<text class=\"axis-label\" transform=\"translate(16 " + num(middle) +
           ") rotate(-90)\" text-anchor=\"middle\">" + html_escape(label) + "</text>\n";
    return svg + "</g>\n";
  }

  std::string x_axis(const std::string& label) const {
    std::string svg = "<g class=\"axis x-axis\">\n";
    for (double tick : ticks(x_.low, x_.high, x_.scale)) {
      const double x = px(tick);
      svg += "<line class=\"grid\" x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" + num(top()) +
             "\" y2=\"" + num(bottom()) + "\"/>";
      svg += "<text x=\"" + num(x) + "\" y=\"" + num(bottom() + 16) +
             "\" text-anchor=\"middle\">" + tick_label(tick) + "</text>\n";
    }
    svg += x_label(label);
    return svg + "</g>\n";
  }

  std::string x_label(const std::string& label) const {
    return "<text class=\"axis-label\" x=\"" + num((left() + right()) / 2) + "\" y=\"" +
           num(height_ - 8.0) + "\" text-anchor=\"middle\">" + html_escape(label) + "</text>\n";
  }

  std::string border() const {
    return "<rect class=\"frame\" x=\"" + num(left()) + "\" y=\"" + num(top()) + "\" width=\"" +
           num(right() - left()) + "\" height=\"" + num(bottom() - top()) + "\"/>\n";
  }

  std::string no_data() const {
    return "<text class=\"no-data\" x=\"" + num((left() + right()) / 2) + "\" y=\"" +
           num((top() + bottom()) / 2) + "\" text-anchor=\"middle\">no data</text>\n";
  }

  // Legend entries, top right inside the frame.
  std::string legend(const std::vector<std::pair<std::string, std::string>>& entries) const {
    std::string svg = "<g class=\"legend\">\n";
    double y = top() + 14;
    std::size_t longest = 0, count = 0;
    for (const auto& entry : entries) {
      if (entry.first.empty()) continue;
      longest = std::max(longest, entry.first.size());
      ++count;
    }
    if (count == 0) return "";
    // A translucent box keeps the legend readable over points.
    const double box_width = 32 + 7.0 * static_cast<double>(longest);
    svg += "<rect class=\"legend-box\" x=\"" + num(right() - box_width - 4) + "\" y=\"" + num(top() + 2) +
           "\" width=\"" + num(box_width) + "\" height=\"" + num(16.0 * count + 4) +
           "\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>\n";
    for (const auto& [name, color] : entries) {
      if (name.empty()) continue;
      const double x = right() - 10 - 7.0 * static_cast<double>(name.size());
      svg += "<rect x=\"" + num(x - 16) + "\" y=\"" + num(y - 9) + "\" width=\"10\" height=\"10\" fill=\"" +
             html_escape(color) + "\"/><text x=\"" + num(x) + "\" y=\"" + num(y) + "\">" +
             html_escape(name) + "</text>\n";
      y += 16;
    }
    return svg + "</g>\n";
  }

 private:
  static double transform(double value, Scale scale) {
    return scale == Scale::log ? std::log10(value) : value;
  }
  static double fraction(double value, const Domain& d) {
    return (transform(value, d.scale) - transform(d.low, d.scale)) /
           (transform(d.high, d.scale) - transform(d.low, d.scale));
  }
  static bool inside(double value, const Domain& d) {
    return std::isfinite(value) && (d.scale != Scale::log || value > 0);
  }

  int width_, height_;
  double margin_bottom_;
  Domain x_, y_;
};

std::string polyline(const Frame& frame, const Series& series) {
  std::string points;
  double previous_y = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < series.x.size() && i < series.y.size(); ++i) {
    if (!frame.visible(series.x[i], series.y[i])) continue;
    const double x = frame.px(series.x[i]), y = frame.py(series.y[i]);
    if (series.style == Series::Style::steps && !std::isnan(previous_y)) {
      points += num(x) + "," + num(previous_y) + " ";
    }
    points += num(x) + "," + num(y) + " ";
    previous_y = y;
  }
  return "<polyline class=\"series-line\" fill=\"none\" stroke=\"" + html_escape(series.color) +
         "\" stroke-width=\"2\" points=\"" + points + "\"/>\n";
}

std::string markers(const Frame& frame, const Series& series) {
  std::string svg;
  for (std::size_t i = 0; i < series.x.size() && i < series.y.size(); ++i) {
    if (!frame.visible(series.x[i], series.y[i])) continue;
    svg += "<circle cx=\"" + num(frame.px(series.x[i])) + "\" cy=\"" + num(frame.py(series.y[i])) +
           "\" r=\"" + num(series.radius) + "\" fill=\"" + html_escape(series.color) + "\">";
    if (i < series.tips.size()) svg += "<title>" + html_escape(series.tips[i]) + "</title>";
    svg += "</circle>\n";
  }
  return svg;
}

}  // namespace

Scale choose_scale(const std::vector<double>& values) {
  double low = std::numeric_limits<double>::infinity(), high = 0;
  for (double value : values) {
    if (!std::isfinite(value)) continue;
    if (value <= 0) return Scale::linear;
    low = std::min(low, value);
    high = std::max(high, value);
  }
  return high > 0 && high / low >= 100 ? Scale::log : Scale::linear;
}

std::vector<double> ticks(double low, double high, Scale scale) {
  std::vector<double> result;
  if (!(high > low)) return {low};
  if (scale == Scale::log) {
    const int first = static_cast<int>(std::floor(std::log10(low) + 1e-9));
    const int last = static_cast<int>(std::ceil(std::log10(high) - 1e-9));
    const bool few_decades = std::log10(high / low) < 2.5;
    for (int exponent = first; exponent <= last; ++exponent) {
      for (double factor : few_decades ? std::vector<double>{1, 2, 5} : std::vector<double>{1}) {
        const double tick = factor * std::pow(10.0, exponent);
        if (tick >= low * (1 - 1e-9) && tick <= high * (1 + 1e-9)) result.push_back(tick);
      }
    }
    return result;
  }
  const double step = nice_step(high - low, 5);
  for (double tick = std::ceil(low / step - 1e-9) * step; tick <= high + step * 1e-9; tick += step) {
    result.push_back(std::abs(tick) < step * 1e-9 ? 0.0 : tick);
  }
  return result;
}

std::string render(const XYPlot& plot) {
  std::vector<double> xs, ys;
  for (const auto& series : plot.series) {
    xs.insert(xs.end(), series.x.begin(), series.x.end());
    ys.insert(ys.end(), series.y.begin(), series.y.end());
  }
  const Frame frame(plot.width, plot.height, domain_of(xs, plot.x.scale), domain_of(ys, plot.y.scale));
  std::string svg = frame.open(plot.id, plot.title) + frame.y_axis(plot.y.label) +
                    frame.x_axis(plot.x.label) + frame.border();
  bool any = false;
  std::vector<std::pair<std::string, std::string>> legend;
  for (const auto& series : plot.series) {
    if (series.x.empty()) continue;
    any = true;
    svg += "<g class=\"series\" data-name=\"" + html_escape(series.name) + "\">\n";
    if (series.style != Series::Style::points) svg += polyline(frame, series);
    if (series.radius > 0) svg += markers(frame, series);
    svg += "</g>\n";
    legend.emplace_back(series.name, series.color);
  }
  if (!any) svg += frame.no_data();
  return svg + frame.legend(legend) + "</svg>\n";
}

std::string render(const BarPlot& plot) {
  const std::size_t count = plot.categories.size();
  std::vector<double> totals(count, 0.0);
  for (const auto& stack : plot.stacks) {
    for (std::size_t i = 0; i < count && i < stack.values.size(); ++i) {
      if (std::isfinite(stack.values[i]) && stack.values[i] > 0) totals[i] += stack.values[i];
    }
  }
  // Rotated (45 degrees) category labels need room below the frame: about 4.5 px per character.
  std::size_t longest = 0;
  for (const auto& category : plot.categories) longest = std::max(longest, category.size());
  const int width = plot.width > 0 ? plot.width
                                   : static_cast<int>(std::clamp(160.0 + 36.0 * static_cast<double>(count), 460.0, 1120.0));
  const Frame frame(width, plot.height, Domain{0, static_cast<double>(std::max<std::size_t>(count, 1))},
                    domain_of(totals, Scale::linear, /*include_zero=*/true),
                    std::max(kMarginBottom, 20 + 4.5 * static_cast<double>(std::min<std::size_t>(longest, 40))));
  std::string svg = frame.open(plot.id, plot.title) + frame.y_axis(plot.y.label) + frame.border();
  if (count == 0) return svg + frame.no_data() + "</svg>\n";
  const double slot = frame.px(1) - frame.px(0);
  const double bar = std::max(1.0, slot * 0.7);
  std::vector<double> base(count, 0.0);
  for (const auto& stack : plot.stacks) {
    svg += "<g class=\"bars\" data-name=\"" + html_escape(stack.name) + "\" fill=\"" +
           html_escape(stack.color) + "\">\n";
    for (std::size_t i = 0; i < count && i < stack.values.size(); ++i) {
      const double value = stack.values[i];
      if (!std::isfinite(value) || value <= 0) continue;
      const double y_top = frame.py(base[i] + value), y_bottom = frame.py(base[i]);
      svg += "<rect x=\"" + num(frame.px(static_cast<double>(i)) + (slot - bar) / 2) + "\" y=\"" +
             num(y_top) + "\" width=\"" + num(bar) + "\" height=\"" + num(y_bottom - y_top) +
             "\"><title>" + html_escape(plot.categories[i] + ", " + stack.name + ": " +
                                        format_number(value, 4)) +
             "</title></rect>\n";
      base[i] += value;
    }
    svg += "</g>\n";
  }
  svg += "<g class=\"axis x-axis categories\">\n";
  for (std::size_t i = 0; i < count; ++i) {
    const double x = frame.px(i + 0.5);
    svg += "<text transform=\"translate(" + num(x + 3) + " " + num(frame.bottom() + 8) +
           ") rotate(-45)\" text-anchor=\"end\">" + html_escape(plot.categories[i]) + "</text>\n";
  }
  svg += "</g>\n";
  std::vector<std::pair<std::string, std::string>> legend;
  for (const auto& stack : plot.stacks) legend.emplace_back(stack.name, stack.color);
  return svg + frame.legend(legend) + "</svg>\n";
}

}  // namespace tandem::svg
