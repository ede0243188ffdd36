#include "search/study_path.h"

#include <filesystem>

namespace tandem {

std::string resolve_study_path(const std::string& path) {
  if (std::filesystem::is_directory(path)) return (std::filesystem::path(path) / kStudyFileName).string();
  return path;
}

}  // namespace tandem
