// Errors in user input (YAML files, CLI values): one line naming where and what is valid.
#pragma once

#include <stdexcept>
#include <string>

namespace tandem {

// Where in an input file something came from. Line and column are 1-based; 0 means unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  std::string to_string() const;  // "file:line:column", "file:line" or "file"
};

// Thrown for any problem with user input. what() is the full one-line message:
//   "<file>:<line>:<column>: error: <field>: <message>"
class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, std::string field, std::string message);

  const SourceLocation& where() const { return where_; }
  const std::string& field() const { return field_; }
  const std::string& message() const { return message_; }

 private:
  SourceLocation where_;
  std::string field_;
  std::string message_;
};

// The text of an input file the user named; a missing or unreadable file is an InputError
// naming it ("<file>: error: cannot open file: <reason>").
std::string read_input_file(const std::string& path);

}  // namespace tandem
