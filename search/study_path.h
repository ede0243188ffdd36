// Where a study lives: users name the database or the output directory that holds it.
#pragma once

#include <string>

namespace tandem {

constexpr const char* kStudyFileName = "study.db";

// `path` itself when it is not a directory; `path`/study.db when it is one.
std::string resolve_study_path(const std::string& path);

}  // namespace tandem
