// tessera: the Arrow C Data Interface: export columns and tables as ArrowSchema/ArrowArray without
// copying, and import them back without copying.
//
// Export: the ArrowArray's buffers point into the column's own buffers (its offset is the
// column's offset); the exported structures keep those buffers alive until their release
// callback runs, which frees everything exactly once (children and dictionary included, whether
// or not the consumer moved them out first). A table is exported as a struct ("+s") with one
// child per column; field names, nullability and key/value metadata go into the schema.
//
// Import: takes ownership of the ArrowArray (the caller's struct is marked released, as a move)
// and wraps its buffers: the column's buffers keep the array alive, and the producer's release
// callback runs once, when the last column or slice referring to it is destroyed. The schema is
// only read; the caller still releases it. Buffer contents are checked as column::make does
// (offsets monotone and inside the data, dictionary indices inside the dictionary, alignment),
// but the C interface carries no buffer sizes: their extents are taken from length and offset.
//
// Supported formats: b c C s S i I l L f g tdD ts{s,m,u,n}: (a timezone is accepted and not
// kept) u U, dictionaries with int32 indices ("i") over u/U, and "+s" for tables.
#pragma once

#include <tessera/column/buffer.hpp>
#include <tessera/column/column.hpp>
#include <tessera/column/table.hpp>
#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The structures of the specification, verbatim, shared with any other library defining them.
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

extern "C" {
struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};

struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};
}
#endif

TESSERA_NAMESPACE_BEGIN

namespace detail::arrow {

struct schema_holder {
  std::string format, name, metadata;
  std::vector<std::unique_ptr<ArrowSchema>> children;
  std::vector<ArrowSchema*> child_ptrs;
  std::unique_ptr<ArrowSchema> dictionary;
};

inline void release_schema(ArrowSchema* s) noexcept {
  if (s == nullptr || s->release == nullptr) return;
  auto* h = static_cast<schema_holder*>(s->private_data);
  for (auto& c : h->children)
    if (c->release != nullptr) c->release(c.get());
  if (h->dictionary && h->dictionary->release != nullptr)
    h->dictionary->release(h->dictionary.get());
  delete h;
  s->release = nullptr;
  s->private_data = nullptr;
}

struct array_holder {
  column col; // keeps the buffers alive
  const void* buffers[3] = {nullptr, nullptr, nullptr};
  std::vector<std::unique_ptr<ArrowArray>> children;
  std::vector<ArrowArray*> child_ptrs;
  std::unique_ptr<ArrowArray> dictionary;
};

inline void release_array(ArrowArray* a) noexcept {
  if (a == nullptr || a->release == nullptr) return;
  auto* h = static_cast<array_holder*>(a->private_data);
  for (auto& c : h->children)
    if (c->release != nullptr) c->release(c.get());
  if (h->dictionary && h->dictionary->release != nullptr)
    h->dictionary->release(h->dictionary.get());
  delete h;
  a->release = nullptr;
  a->private_data = nullptr;
}

inline std::string format_of(const data_type& t) {
  switch (t.id) {
  case type_id::boolean:
    return "b";
  case type_id::int8:
    return "c";
  case type_id::uint8:
    return "C";
  case type_id::int16:
    return "s";
  case type_id::uint16:
    return "S";
  case type_id::int32:
  case type_id::dictionary: // the indices; the dictionary child says "u"/"U"
    return "i";
  case type_id::uint32:
    return "I";
  case type_id::int64:
    return "l";
  case type_id::uint64:
    return "L";
  case type_id::float32:
    return "f";
  case type_id::float64:
    return "g";
  case type_id::date32:
    return "tdD";
  case type_id::timestamp:
    switch (t.unit) {
    case time_unit::second:
      return "tss:";
    case time_unit::millisecond:
      return "tsm:";
    case time_unit::microsecond:
      return "tsu:";
    case time_unit::nanosecond:
      return "tsn:";
    }
    return "tsu:";
  case type_id::string:
    return "u";
  case type_id::large_string:
    return "U";
  }
  return "";
}

inline std::string encode_metadata(const key_value_metadata& m) {
  if (m.empty()) return {};
  std::string out;
  const auto put32 = [&](std::size_t v) {
    const auto x = static_cast<std::int32_t>(v);
    char b[4];
    std::memcpy(b, &x, 4);
    out.append(b, 4);
  };
  put32(m.size());
  for (const auto& [k, v] : m) {
    put32(k.size());
    out += k;
    put32(v.size());
    out += v;
  }
  return out;
}

inline void fill_schema(ArrowSchema* out, std::unique_ptr<schema_holder> h, std::int64_t flags) {
  out->format = h->format.c_str();
  out->name = h->name.c_str();
  out->metadata = h->metadata.empty() ? nullptr : h->metadata.data();
  out->flags = flags;
  out->n_children = static_cast<std::int64_t>(h->children.size());
  for (auto& c : h->children) h->child_ptrs.push_back(c.get());
  out->children = h->child_ptrs.empty() ? nullptr : h->child_ptrs.data();
  out->dictionary = h->dictionary.get();
  out->release = &release_schema;
  out->private_data = h.release();
}

inline void export_column_schema(const column& c, const std::string& name, bool nullable,
                                 const key_value_metadata& metadata, ArrowSchema* out) {
  auto h = std::make_unique<schema_holder>();
  h->format = format_of(c.type());
  h->name = name;
  h->metadata = encode_metadata(metadata);
  if (c.id() == type_id::dictionary) {
    h->dictionary = std::make_unique<ArrowSchema>();
    export_column_schema(*c.dictionary(), "", true, {}, h->dictionary.get());
  }
  fill_schema(out, std::move(h), nullable ? ARROW_FLAG_NULLABLE : 0);
}

inline void export_column_array(const column& c, ArrowArray* out) {
  auto h = std::make_unique<array_holder>();
  h->col = c;
  int n_buffers = 2;
  h->buffers[0] = c.validity_buffer().empty() ? nullptr : c.validity_buffer().data();
  h->buffers[1] = c.values_buffer().data();
  // Consumers may dereference the data buffer even at length 0: never hand out null there.
  alignas(64) static const std::uint64_t no_values[8] = {};
  if (h->buffers[1] == nullptr) h->buffers[1] = no_values;
  if (c.id() == type_id::string || c.id() == type_id::large_string) {
    n_buffers = 3;
    // An empty string column still has one offset (0) per the specification.
    static const char no_bytes[1] = {0};
    h->buffers[2] = c.data_buffer().empty() ? static_cast<const void*>(no_bytes)
                                            : static_cast<const void*>(c.data_buffer().data());
  }
  if (c.id() == type_id::dictionary) {
    h->dictionary = std::make_unique<ArrowArray>();
    export_column_array(*c.dictionary(), h->dictionary.get());
  }
  out->length = static_cast<std::int64_t>(c.size());
  out->null_count = static_cast<std::int64_t>(c.null_count());
  out->offset = static_cast<std::int64_t>(c.offset());
  out->n_buffers = n_buffers;
  out->n_children = 0;
  out->buffers = h->buffers;
  out->children = nullptr;
  out->dictionary = h->dictionary.get();
  out->release = &release_array;
  out->private_data = h.release();
}

/// Owns an imported ArrowArray; releasing it runs the producer's callback once.
struct imported_array {
  ArrowArray array{};
  explicit imported_array(ArrowArray* source) noexcept : array(*source) {
    source->release = nullptr; // moved
  }
  imported_array(const imported_array&) = delete;
  imported_array& operator=(const imported_array&) = delete;
  ~imported_array() {
    if (array.release != nullptr) array.release(&array);
  }
};

inline error import_error(std::string msg) {
  return error(errc::corrupt_data, std::move(msg));
}

inline expected<data_type> type_of_format(std::string_view f) {
  if (f == "b") return data_type(type_id::boolean);
  if (f == "c") return data_type(type_id::int8);
  if (f == "C") return data_type(type_id::uint8);
  if (f == "s") return data_type(type_id::int16);
  if (f == "S") return data_type(type_id::uint16);
  if (f == "i") return data_type(type_id::int32);
  if (f == "I") return data_type(type_id::uint32);
  if (f == "l") return data_type(type_id::int64);
  if (f == "L") return data_type(type_id::uint64);
  if (f == "f") return data_type(type_id::float32);
  if (f == "g") return data_type(type_id::float64);
  if (f == "tdD") return data_type(type_id::date32);
  if (f == "u") return data_type(type_id::string);
  if (f == "U") return data_type(type_id::large_string);
  if (f.size() >= 4 && f.substr(0, 2) == "ts" && f[3] == ':') {
    switch (f[2]) {
    case 's':
      return timestamp_type(time_unit::second);
    case 'm':
      return timestamp_type(time_unit::millisecond);
    case 'u':
      return timestamp_type(time_unit::microsecond);
    case 'n':
      return timestamp_type(time_unit::nanosecond);
    default:
      break;
    }
  }
  return unexpected(error(errc::unsupported,
                          "Arrow format '" + std::string(f) + "' is not supported by tessera"));
}

inline expected<key_value_metadata> decode_metadata(const char* p) {
  key_value_metadata m;
  if (p == nullptr) return m;
  const auto get32 = [&]() {
    std::int32_t v;
    std::memcpy(&v, p, 4);
    p += 4;
    return v;
  };
  const std::int32_t n = get32();
  if (n < 0) return unexpected(import_error("negative metadata count"));
  for (std::int32_t i = 0; i < n; ++i) {
    const std::int32_t kl = get32();
    if (kl < 0) return unexpected(import_error("negative metadata key length"));
    std::string k(p, static_cast<std::size_t>(kl));
    p += kl;
    const std::int32_t vl = get32();
    if (vl < 0) return unexpected(import_error("negative metadata value length"));
    std::string v(p, static_cast<std::size_t>(vl));
    p += vl;
    m.emplace_back(std::move(k), std::move(v));
  }
  return m;
}

/// Imports one array (already owned by `owner`) described by `schema`.
inline expected<column> import_owned(const ArrowArray& a, const ArrowSchema& s,
                                     const std::shared_ptr<const void>& owner) {
  if (s.format == nullptr) return unexpected(import_error("ArrowSchema without a format"));
  auto type = type_of_format(s.format);
  if (!type) return unexpected(std::move(type.error()));
  if (a.length < 0 || a.offset < 0)
    return unexpected(import_error("negative ArrowArray length or offset"));
  const auto length = static_cast<std::size_t>(a.length);
  const auto offset = static_cast<std::size_t>(a.offset);
  const std::size_t end = length + offset;
  const bool strings = type->id == type_id::string || type->id == type_id::large_string;
  const std::int64_t want_buffers = strings ? 3 : 2;
  if (a.n_buffers != want_buffers || a.buffers == nullptr)
    return unexpected(import_error("Arrow format '" + std::string(s.format) + "' needs " +
                                   std::to_string(want_buffers) + " buffers, the array has " +
                                   std::to_string(a.n_buffers)));
  if (a.null_count != 0 && a.null_count != -1 && a.buffers[0] == nullptr)
    return unexpected(import_error("ArrowArray has nulls but no validity buffer"));
  const buffer validity =
      a.buffers[0] == nullptr ? buffer() : buffer(a.buffers[0], (end + 7) / 8, owner);
  std::shared_ptr<const column> dictionary;
  if (s.dictionary != nullptr) {
    if (type->id != type_id::int32)
      return unexpected(error(errc::unsupported, "dictionary indices must be int32 (\"i\")"));
    if (a.dictionary == nullptr)
      return unexpected(import_error("dictionary-encoded ArrowArray without a dictionary"));
    auto d = import_owned(*a.dictionary, *s.dictionary, owner);
    if (!d) return unexpected(std::move(d.error()).add_context("dictionary"));
    if (!is_string_like(d->id()) || d->id() == type_id::dictionary)
      return unexpected(error(errc::unsupported, "only string dictionaries are supported"));
    dictionary = std::make_shared<const column>(std::move(*d));
    type = data_type(type_id::dictionary);
  }
  buffer values, data;
  if (type->id == type_id::boolean) {
    values = buffer(a.buffers[1], (end + 7) / 8, owner);
  } else if (strings) {
    const std::size_t w = type->id == type_id::string ? 4 : 8;
    if (a.buffers[1] == nullptr && length != 0)
      return unexpected(import_error("string ArrowArray without offsets"));
    std::size_t bytes = 0;
    if (a.buffers[1] != nullptr) {
      if (reinterpret_cast<std::uintptr_t>(a.buffers[1]) % w != 0)
        return unexpected(import_error("string offsets are misaligned"));
      values = buffer(a.buffers[1], (end + 1) * w, owner);
      const std::int64_t last = w == 4 ? static_cast<const std::int32_t*>(a.buffers[1])[end]
                                       : static_cast<const std::int64_t*>(a.buffers[1])[end];
      if (last < 0) return unexpected(import_error("negative string offset"));
      bytes = static_cast<std::size_t>(last);
    }
    if (a.buffers[2] == nullptr && bytes != 0)
      return unexpected(import_error("string ArrowArray without data"));
    data = buffer(a.buffers[2], bytes, owner);
  } else {
    values = buffer(a.buffers[1], end * fixed_width_bytes(type->id), owner);
  }
  return column::make(*type, length, validity, values, data, std::move(dictionary), offset);
}

} // namespace detail::arrow

/// Exports `c` (zero copy) into `*out_array` and `*out_schema`, which the caller (the consumer)
/// must release with their release callbacks. `name`, `nullable` and `metadata` go into the
/// schema. Throws std::bad_alloc only.
inline void export_column(const column& c, ArrowArray* out_array, ArrowSchema* out_schema,
                          const std::string& name = "", bool nullable = true,
                          const key_value_metadata& metadata = {}) {
  detail::arrow::export_column_array(c, out_array);
  detail::arrow::export_column_schema(c, name, nullable, metadata, out_schema);
}

/// Exports `t` as a struct array ("+s") with one child per column (zero copy).
inline void export_table(const table& t, ArrowArray* out_array, ArrowSchema* out_schema) {
  using namespace detail::arrow;
  auto sh = std::make_unique<schema_holder>();
  sh->format = "+s";
  sh->metadata = encode_metadata(t.schema().metadata());
  auto ah = std::make_unique<array_holder>();
  for (std::size_t k = 0; k < t.num_columns(); ++k) {
    const field& f = t.schema()[k];
    sh->children.push_back(std::make_unique<ArrowSchema>());
    export_column_schema(t[k], f.name, f.nullable, f.metadata, sh->children.back().get());
    ah->children.push_back(std::make_unique<ArrowArray>());
    export_column_array(t[k], ah->children.back().get());
  }
  fill_schema(out_schema, std::move(sh), 0);
  for (auto& c : ah->children) ah->child_ptrs.push_back(c.get());
  out_array->length = static_cast<std::int64_t>(t.num_rows());
  out_array->null_count = 0;
  out_array->offset = 0;
  out_array->n_buffers = 1;
  out_array->n_children = static_cast<std::int64_t>(ah->children.size());
  out_array->buffers = ah->buffers; // buffers[0] == nullptr: no struct-level nulls
  out_array->children = ah->child_ptrs.empty() ? nullptr : ah->child_ptrs.data();
  out_array->dictionary = nullptr;
  out_array->release = &release_array;
  out_array->private_data = ah.release();
}

/// Imports a column (zero copy), taking ownership of `*array` (see the header comment; the
/// array is released even when the import fails). Errors: errc::unsupported for a format tessera
/// has no type for, errc::corrupt_data for inconsistent buffers.
[[nodiscard]] inline expected<column> import_column(ArrowArray* array, const ArrowSchema* schema) {
  if (array == nullptr || array->release == nullptr || schema == nullptr)
    return unexpected(error(errc::invalid_argument, "import of a released or null ArrowArray"));
  auto owner = std::make_shared<const detail::arrow::imported_array>(array);
  return detail::arrow::import_owned(owner->array, *schema, owner);
}

/// Imports a struct array ("+s") as a table (zero copy), taking ownership of `*array`. Field names,
/// nullability and metadata come from the schema. Errors as import_column, and
/// errc::unsupported for a struct with nulls of its own.
[[nodiscard]] inline expected<table> import_table(ArrowArray* array, const ArrowSchema* schema) {
  using namespace detail::arrow;
  if (array == nullptr || array->release == nullptr || schema == nullptr)
    return unexpected(error(errc::invalid_argument, "import of a released or null ArrowArray"));
  auto owner = std::make_shared<const imported_array>(array);
  const ArrowArray& a = owner->array;
  if (schema->format == nullptr || std::string_view(schema->format) != "+s")
    return unexpected(error(errc::invalid_argument, "a table is imported from a struct (\"+s\")"));
  if (a.n_children != schema->n_children || a.n_children < 0 || a.length < 0 || a.offset < 0)
    return unexpected(import_error("struct array and schema disagree on the children"));
  if (a.null_count > 0)
    return unexpected(error(errc::unsupported, "struct arrays with top-level nulls"));
  std::vector<field> fields;
  std::vector<column> cols;
  for (std::int64_t k = 0; k < a.n_children; ++k) {
    const ArrowSchema& cs = *schema->children[k];
    auto c = import_owned(*a.children[k], cs, owner);
    const std::string name = cs.name ? cs.name : "";
    if (!c) return unexpected(std::move(c.error()).add_context("column '" + name + "'"));
    const auto len = static_cast<std::size_t>(a.length), off = static_cast<std::size_t>(a.offset);
    if (c->size() < off + len)
      return unexpected(import_error("struct child '" + name + "' is shorter than the struct"));
    auto md = decode_metadata(cs.metadata);
    if (!md) return unexpected(std::move(md.error()));
    fields.push_back(field{name, c->type(), (cs.flags & ARROW_FLAG_NULLABLE) != 0, std::move(*md)});
    cols.push_back(c->slice(off, len));
  }
  auto md = decode_metadata(schema->metadata);
  if (!md) return unexpected(std::move(md.error()));
  return table::make(tessera::schema(std::move(fields), std::move(*md)), std::move(cols));
}

TESSERA_NAMESPACE_END
