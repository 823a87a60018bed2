// tessera: schemas (named, typed fields with metadata) and tables (a schema + equal-length
// columns).
//
// Needs only the standard library.
#pragma once

#include <tessera/column/column.hpp>
#include <tessera/column/types.hpp>
#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// Ordered key/value pairs (Arrow's metadata model: keys may repeat; order is kept).
using key_value_metadata = std::vector<std::pair<std::string, std::string>>;

/// The value of the first pair with `key`, if any.
[[nodiscard]] inline std::optional<std::string_view> find_metadata(const key_value_metadata& m,
                                                                   std::string_view key) noexcept {
  for (const auto& [k, v] : m)
    if (k == key) return std::string_view(v);
  return std::nullopt;
}

/// A named, typed column slot of a schema.
struct field {
  std::string name;
  data_type type;
  bool nullable = true; ///< false: the column must have null_count() == 0
  key_value_metadata metadata;

  friend bool operator==(const field&, const field&) = default;
};

/// An ordered list of fields plus schema-level metadata. Field names are expected to be unique;
/// lookup by name returns the first match.
class schema {
public:
  schema() = default;
  explicit schema(std::vector<field> fields, key_value_metadata metadata = {})
      : fields_(std::move(fields)), metadata_(std::move(metadata)) {}

  [[nodiscard]] std::size_t size() const noexcept { return fields_.size(); }
  [[nodiscard]] const field& operator[](std::size_t i) const noexcept {
    TESSERA_ASSERT(i < fields_.size(), "schema field index out of range");
    return fields_[i];
  }
  [[nodiscard]] std::span<const field> fields() const noexcept { return fields_; }
  [[nodiscard]] const key_value_metadata& metadata() const noexcept { return metadata_; }
  /// The index of the first field called `name`. O(number of fields).
  [[nodiscard]] std::optional<std::size_t> index_of(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < fields_.size(); ++i)
      if (fields_[i].name == name) return i;
    return std::nullopt;
  }

  friend bool operator==(const schema&, const schema&) = default;

private:
  std::vector<field> fields_;
  key_value_metadata metadata_;
};

/// A schema and one column per field, all of the same length. Immutable and cheap to copy
/// (columns share their buffers).
class table {
public:
  /// An empty table (no columns, no rows).
  table() = default;

  /// Checks that there is one column per field, of the field's type, all of equal length, with
  /// no nulls in non-nullable fields. Errors: errc::invalid_argument naming the column.
  [[nodiscard]] static expected<table> make(tessera::schema s, std::vector<column> columns) {
    if (s.size() != columns.size())
      return unexpected(error(errc::invalid_argument,
                              "schema has " + std::to_string(s.size()) + " fields but " +
                                  std::to_string(columns.size()) + " columns were given"));
    const std::size_t rows = columns.empty() ? 0 : columns[0].size();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const field& f = s[i];
      if (!(columns[i].type() == f.type))
        return unexpected(error(errc::invalid_argument,
                                "column '" + f.name + "' has type " + to_string(columns[i].type()) +
                                    " but its field says " + to_string(f.type)));
      if (columns[i].size() != rows)
        return unexpected(error(errc::invalid_argument,
                                "column '" + f.name + "' has " + std::to_string(columns[i].size()) +
                                    " rows, expected " + std::to_string(rows)));
      if (!f.nullable && columns[i].null_count() != 0)
        return unexpected(
            error(errc::invalid_argument, "column '" + f.name + "' is not nullable but holds " +
                                              std::to_string(columns[i].null_count()) + " nulls"));
    }
    return table(std::move(s), std::move(columns), rows);
  }
  /// A table from (name, column) pairs; every field nullable. Errors as make().
  [[nodiscard]] static expected<table>
  from_columns(std::vector<std::pair<std::string, column>> named) {
    std::vector<field> fields;
    std::vector<column> cols;
    fields.reserve(named.size());
    cols.reserve(named.size());
    for (auto& [name, c] : named) {
      fields.push_back(field{std::move(name), c.type(), true, {}});
      cols.push_back(std::move(c));
    }
    return make(tessera::schema(std::move(fields)), std::move(cols));
  }

  [[nodiscard]] const tessera::schema& schema() const noexcept { return schema_; }
  [[nodiscard]] std::size_t num_rows() const noexcept { return rows_; }
  [[nodiscard]] std::size_t num_columns() const noexcept { return columns_.size(); }
  [[nodiscard]] std::span<const column> columns() const noexcept { return columns_; }
  /// Column i. Precondition: i < num_columns().
  [[nodiscard]] const column& operator[](std::size_t i) const noexcept {
    TESSERA_ASSERT(i < columns_.size(), "table column index out of range");
    return columns_[i];
  }
  /// The column called `name`, or nullptr.
  [[nodiscard]] const column* find(std::string_view name) const noexcept {
    const auto i = schema_.index_of(name);
    return i ? &columns_[*i] : nullptr;
  }
  /// The column called `name`; errc::not_found listing the names there are.
  [[nodiscard]] expected<column> column_by_name(std::string_view name) const {
    if (const column* c = find(name)) return *c;
    return unexpected(not_found(name));
  }
  /// The column called `name`; throws tessera::exception (errc::not_found).
  [[nodiscard]] const column& at(std::string_view name) const {
    if (const column* c = find(name)) return *c;
    throw_error(not_found(name));
  }

  /// Rows [first, first + length) without copying. Precondition: first + length <= num_rows().
  [[nodiscard]] table slice(std::size_t first, std::size_t length) const {
    TESSERA_ASSERT(first <= rows_ && length <= rows_ - first, "table slice out of range");
    std::vector<column> cols;
    cols.reserve(columns_.size());
    for (const auto& c : columns_) cols.push_back(c.slice(first, length));
    return table(schema_, std::move(cols), length);
  }
  /// The named columns in the given order (errc::not_found for an unknown name).
  [[nodiscard]] expected<table> select(std::span<const std::string> names) const {
    std::vector<field> fields;
    std::vector<column> cols;
    for (const auto& n : names) {
      const auto i = schema_.index_of(n);
      if (!i) return unexpected(not_found(n));
      fields.push_back(schema_[*i]);
      cols.push_back(columns_[*i]);
    }
    return table(tessera::schema(std::move(fields), schema_.metadata()), std::move(cols), rows_);
  }
  /// The same columns under another schema with the same types; used by kernels that keep the
  /// shape. Errors as make().
  [[nodiscard]] expected<table> with_columns(std::vector<column> cols) const {
    return make(schema_, std::move(cols));
  }

  /// Same schema and logically equal columns (column::equals).
  [[nodiscard]] bool equals(const table& other) const {
    if (!(schema_ == other.schema_) || rows_ != other.rows_) return false;
    for (std::size_t i = 0; i < columns_.size(); ++i)
      if (!columns_[i].equals(other.columns_[i])) return false;
    return true;
  }

private:
  table(tessera::schema s, std::vector<column> cols, std::size_t rows)
      : schema_(std::move(s)), columns_(std::move(cols)), rows_(rows) {}
  [[nodiscard]] error not_found(std::string_view name) const {
    std::string names;
    for (const auto& f : schema_.fields()) names += (names.empty() ? "'" : ", '") + f.name + "'";
    return error(errc::not_found, "no column named '" + std::string(name) +
                                      "' (columns: " + (names.empty() ? "none" : names) + ")");
  }

  tessera::schema schema_;
  std::vector<column> columns_;
  std::size_t rows_ = 0;
};

TESSERA_NAMESPACE_END
