// tessera: the error type of data-dependent failures, and the exception that carries it.
#pragma once

#include <tessera/config.hpp>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

TESSERA_NAMESPACE_BEGIN

/// What kind of failure an error is. Stable names (see to_string) appear in messages.
enum class errc : std::uint8_t {
  invalid_argument, ///< a caller-supplied value is outside what the function accepts
  parse_error,      ///< text input does not follow its format
  corrupt_data,     ///< binary input is malformed: bad magic, checksum, offset or length
  io_error,         ///< the operating system refused a read, write, open or rename
  overflow,         ///< a count or id does not fit the chosen integer type
  out_of_range,     ///< an index or id lies outside its container
  not_found,        ///< a named thing (column, vertex key, file) does not exist
  cycle,            ///< a graph that must be acyclic has a cycle
  unsupported,      ///< valid input using a feature tessera does not implement
  cancelled,        ///< the work was cancelled through its stop token
  timeout,          ///< the work ran past its deadline
};

/// The stable lower-case name of an error code, e.g. "parse error".
[[nodiscard]] constexpr std::string_view to_string(errc code) noexcept {
  switch (code) {
  case errc::invalid_argument:
    return "invalid argument";
  case errc::parse_error:
    return "parse error";
  case errc::corrupt_data:
    return "corrupt data";
  case errc::io_error:
    return "I/O error";
  case errc::overflow:
    return "overflow";
  case errc::out_of_range:
    return "out of range";
  case errc::not_found:
    return "not found";
  case errc::cycle:
    return "cycle";
  case errc::unsupported:
    return "unsupported";
  case errc::cancelled:
    return "cancelled";
  case errc::timeout:
    return "timeout";
  }
  return "unknown error";
}

/// Where in an input a failure was found. Every field is optional; unknown numbers are 0
/// (line, column: 1-based) or `no_offset` (byte offset: 0-based).
struct location {
  static constexpr std::uint64_t no_offset = std::numeric_limits<std::uint64_t>::max();

  std::string file;                      ///< path or other name of the input
  std::uint64_t line = 0;                ///< 1-based line (text) or record number; 0 if unknown
  std::uint64_t column = 0;              ///< 1-based column or field number; 0 if unknown
  std::uint64_t byte_offset = no_offset; ///< 0-based offset into the input
  std::string context;                   ///< free-form: "column 'price', chunk 3"

  [[nodiscard]] bool empty() const noexcept {
    return file.empty() && line == 0 && column == 0 && byte_offset == no_offset && context.empty();
  }
};

/// A data-dependent failure: what kind, what happened, and where.
///
/// The message says what was expected and what was found; the location says where. `what()`
/// style text joins them as `file:line:column: kind: message (context, byte N)`.
class error {
public:
  error(errc code, std::string message, location where = {})
      : code_(code), message_(std::move(message)), where_(std::move(where)) {}

  [[nodiscard]] errc code() const noexcept { return code_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  [[nodiscard]] const location& where() const noexcept { return where_; }

  /// Fills in the file name if none was recorded (readers of buffers learn it late).
  error& in_file(std::string file) & {
    if (where_.file.empty()) where_.file = std::move(file);
    return *this;
  }
  error&& in_file(std::string file) && { return std::move(in_file(std::move(file))); }

  /// Prepends context (outermost last added): "chunk 3" then "column 'x'" gives "column 'x', chunk
  /// 3".
  error& add_context(std::string_view what) & {
    where_.context =
        where_.context.empty() ? std::string(what) : std::string(what) + ", " + where_.context;
    return *this;
  }
  error&& add_context(std::string_view what) && { return std::move(add_context(what)); }

  /// The full human-readable text.
  [[nodiscard]] std::string to_string() const {
    std::string out;
    if (!where_.file.empty()) out += where_.file;
    if (where_.line != 0) {
      out += out.empty() ? "line " : ":";
      out += std::to_string(where_.line);
      if (where_.column != 0) {
        // Two appends, not ":" + std::to_string(...): g++ 12 at -O3 warns (-Wrestrict, a false
        // positive) on inserting before a temporary string's contents.
        out += ':';
        out += std::to_string(where_.column);
      }
    }
    if (!out.empty()) out += ": ";
    out += tessera::to_string(code_);
    out += ": ";
    out += message_;
    if (!where_.context.empty() || where_.byte_offset != location::no_offset) {
      out += " (";
      out += where_.context;
      if (where_.byte_offset != location::no_offset) {
        if (!where_.context.empty()) out += ", ";
        out += "byte ";
        out += std::to_string(where_.byte_offset);
      }
      out += ")";
    }
    return out;
  }

  friend bool operator==(const error& a, const error& b) {
    return a.code_ == b.code_ && a.message_ == b.message_ && a.to_string() == b.to_string();
  }

private:
  errc code_;
  std::string message_;
  location where_;
};

/// The exception thrown by tessera's throwing conveniences; carries the full error.
class exception : public std::runtime_error {
public:
  explicit exception(tessera::error err)
      : std::runtime_error(err.to_string()), err_(std::move(err)) {}
  [[nodiscard]] const tessera::error& error() const noexcept { return err_; }
  [[nodiscard]] errc code() const noexcept { return err_.code(); }

private:
  tessera::error err_;
};

/// Throws `tessera::exception` holding `err`.
[[noreturn]] inline void throw_error(error err) {
  throw exception(std::move(err));
}

TESSERA_NAMESPACE_END
