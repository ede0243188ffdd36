#pragma once

namespace tandem {

const char* version();  // the project version from CMake, e.g. "0.1.0"

}  // namespace tandem
