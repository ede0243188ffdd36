// SHA-256 digests for configuration hashes and artefact manifests.
#pragma once

#include <string>
#include <string_view>

namespace tandem {

std::string sha256_hex(std::string_view data);  // 64 lowercase hex digits

}  // namespace tandem
