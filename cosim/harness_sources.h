// The co-simulation harness sources embedded into tandem at build time (cmake/embed_files.cmake):
// the SystemC main and the core headers it includes, by path relative to the harness folder.
#pragma once

#include <string>
#include <vector>

namespace tandem {

struct HarnessSource {
  std::string path;  // e.g. "tandem_cosim_main.cpp", "core/program.h"
  std::string text;
};

const std::vector<HarnessSource>& cosim_harness_sources();

}  // namespace tandem
