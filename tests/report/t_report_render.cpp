// t_report_render: the report as a browser shows it. Headless Chromium (Debian package
// `chromium`, installed by scripts/install-deps.sh) renders index.html: the rendered DOM holds
// every plot with its points and bars, and a screenshot is a full-size, non-blank image.
// Without chromium the test fails and names the package: a report nobody checked is not done.
#include <catch2/catch.hpp>

#include <png.h>

#include <filesystem>
#include <regex>

#include "report_fixture.h"

using namespace tandem::test;

namespace {

const char* kChromium = "/usr/bin/chromium";

std::string chromium(const std::string& profile, const std::string& args) {
  return std::string(kChromium) +
         " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
         " --disable-background-networking --disable-component-update --disable-sync"
         " --user-data-dir=" + profile + " " + args;
}

std::size_t count(const std::string& text, const std::regex& pattern) {
  return static_cast<std::size_t>(std::distance(std::sregex_iterator(text.begin(), text.end(), pattern),
                                                std::sregex_iterator()));
}

// The <svg id="ID"> element's text in the rendered DOM, "" if absent.
std::string svg_element(const std::string& dom, const std::string& id) {
  const auto start = dom.find("id=\"" + id + "\"");
  if (start == std::string::npos) return "";
  const auto end = dom.find("</svg>", start);
  return dom.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

TEST_CASE("t_report_render: headless Chromium renders every plot of the report", "[report][chromium]") {
  if (!std::filesystem::exists(kChromium)) {
    FAIL(kChromium << " is missing: install the Debian package 'chromium' (scripts/install-deps.sh)");
  }
  const std::string dir = std::filesystem::absolute(write_test_report("t_report_render")).string();
  const std::string profile = dir + "/../chromium-profile";
  std::filesystem::remove_all(profile);
  const std::string page = "file://" + dir + "/index.html";

  const auto dom = run_process(chromium(profile, "--dump-dom " + page));
  INFO(dom.err);
  REQUIRE(dom.exit_code == 0);
  const std::regex circle("<circle ");
  const std::regex rect_with_tip("<rect [^>]*><title>");
  // Ok trials with accuracy: 40 minus 3 failed minus 5 rejected; each scatter shows all of them.
  const std::size_t ok = 40 - 3 - 5;
  for (const char* id : {"plot-accuracy_vs_latency_us", "plot-accuracy_vs_energy_uj"}) {
    INFO(id);
    const std::string svg = svg_element(dom.out, id);
    REQUIRE_FALSE(svg.empty());
    CHECK(count(svg, circle) == ok);
    CHECK(svg.find("<polyline") != std::string::npos);  // the front
    CHECK(svg.find("class=\"axis x-axis\"") != std::string::npos);
  }
  const std::string progress = svg_element(dom.out, "plot-progress");
  CHECK(count(progress, circle) == ok);
  const std::string cycles = svg_element(dom.out, "plot-layer-cycles");
  CHECK(count(cycles, rect_with_tip) >= 6);  // one bar per layer of the winner
  const std::string energy = svg_element(dom.out, "plot-layer-energy");
  CHECK(count(energy, rect_with_tip) >= 6 * 4);  // four components per layer

  const std::string png = dir + "/../screenshot.png";
  std::filesystem::remove(png);
  const auto shot = run_process(chromium(profile, "--screenshot=" + png + " --window-size=1200,2000 " + page));
  INFO(shot.err);
  REQUIRE(shot.exit_code == 0);
  REQUIRE(std::filesystem::exists(png));

  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  REQUIRE(png_image_begin_read_from_file(&image, png.c_str()) != 0);
  image.format = PNG_FORMAT_GRAY;
  std::vector<png_byte> pixels(PNG_IMAGE_SIZE(image));
  REQUIRE(png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr) != 0);
  CHECK(image.width == 1200);
  CHECK(image.height == 2000);
  std::size_t inked = 0;
  for (png_byte value : pixels) inked += value < 200;
  const double fraction = static_cast<double>(inked) / static_cast<double>(pixels.size());
  INFO("fraction of dark pixels " << fraction);
  CHECK(fraction > 0.01);  // text, axes and points
  CHECK(fraction < 0.6);   // not a black or broken page
}
