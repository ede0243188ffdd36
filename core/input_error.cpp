#include "core/input_error.h"

#include "core/files.h"

namespace tandem {

std::string SourceLocation::to_string() const {
  std::string text = file.empty() ? "<input>" : file;
  if (line > 0) {
    text += ":" + std::to_string(line);
    if (column > 0) text += ":" + std::to_string(column);
  }
  return text;
}

static std::string format_input_error(const SourceLocation& where, const std::string& field,
                                      const std::string& message) {
  std::string text = where.to_string() + ": error: ";
  if (!field.empty()) text += field + ": ";
  return text + message;
}

InputError::InputError(SourceLocation where, std::string field, std::string message)
    : std::runtime_error(format_input_error(where, field, message)),
      where_(std::move(where)),
      field_(std::move(field)),
      message_(std::move(message)) {}

std::string read_input_file(const std::string& path) {
  try {
    return read_file(path);
  } catch (const FileError& e) {
    throw InputError({path, 0, 0}, "", "cannot open file: " + e.reason());
  }
}

}  // namespace tandem
