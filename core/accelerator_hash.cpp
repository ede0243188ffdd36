// Canonical form and hash of a configuration: independent of YAML key order and of whether
// defaults are spelled out, because both are computed from the parsed struct.
#include "core/accelerator_config.h"
#include "core/sha256.h"

namespace tandem {

// Bump when the meaning of a parameter changes, so that old caches are not reused (v2:
// requant_latency). A new parameter changes every text by itself (mesh.x, mesh.y did).
static constexpr const char* kCanonicalSchema = "tandem-accelerator-v2";

std::string canonical_text(const AcceleratorConfig& config) {
  std::string text = std::string(kCanonicalSchema) + "\n";
  for (const auto& param : accelerator_space()) {
    text += param.name + "=" + param.format(param.get(config)) + "\n";
  }
  return text;
}

std::string config_hash(const AcceleratorConfig& config) {
  return sha256_hex(canonical_text(config)).substr(0, 16);
}

}  // namespace tandem
