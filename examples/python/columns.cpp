// tessera.Table and the file functions: read_csv, read_tsr / write_tsr, parquet_metadata.
//
// Columns reach numpy as follows (the README documents it):
//  - numbers and timestamps: read-only views of tessera's buffers (no copy; the array keeps the
//    column alive); timestamps as datetime64[s|ms|us|ns];
//  - dates: datetime64[D] (a converted copy: date32 is 4 bytes, datetime64 8);
//  - booleans: bool arrays (unpacked from bits);
//  - strings: object arrays of str, None for null;
//  - a number, boolean, date or timestamp column with nulls: numpy.ma.MaskedArray whose mask
//    is True at the nulls.
#include "common.hpp"

#include "../common/parquet_json.hpp"

#include <tessera/column/builder.hpp>
#include <tessera/column/column.hpp>
#include <tessera/column/table.hpp>
#include <tessera/column/types.hpp>
#include <tessera/io/csv.hpp>
#include <tessera/io/tsr.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace tessera_python {
namespace {

struct table_py {
  tessera::table t;
};

/// Element i's validity as a numpy bool mask (True = null), or None without nulls.
py::object null_mask(const tessera::column& c) {
  if (c.null_count() == 0) return py::none();
  std::vector<std::uint8_t> mask(c.size());
  for (std::size_t i = 0; i < mask.size(); ++i) mask[i] = c.is_null(i) ? 1 : 0;
  return to_numpy(std::move(mask)).attr("view")("bool");
}

py::object masked(py::object values, const tessera::column& c) {
  py::object mask = null_mask(c);
  if (mask.is_none()) return values;
  return py::module_::import("numpy.ma").attr("masked_array")(values, py::arg("mask") = mask);
}

/// A read-only numpy view of a fixed-width column, keeping a copy of the column (which shares
/// its buffers) alive.
template <class T>
py::array fixed_view(const tessera::column& c) {
  const auto v = c.view<T>();
  auto holder = std::make_unique<tessera::column>(c);
  py::capsule owner(holder.get(), [](void* p) { delete static_cast<tessera::column*>(p); });
  holder.release();
  py::array a = py::array_t<T>(static_cast<py::ssize_t>(v.size), v.data, owner);
  make_read_only(a);
  return a;
}

py::object string_array(const tessera::column& c) {
  py::list items(c.size());
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c.is_null(i)) {
      items[i] = py::none();
      continue;
    }
    const std::string_view s = c.string_at(i);
    PyObject* u = PyUnicode_DecodeUTF8(s.data(), static_cast<py::ssize_t>(s.size()), "replace");
    if (u == nullptr) throw py::error_already_set();
    items[i] = py::reinterpret_steal<py::object>(u);
  }
  return py::module_::import("numpy").attr("array")(items, py::arg("dtype") = "O");
}

py::object to_python(const tessera::column& c) {
  using tessera::type_id;
  switch (c.id()) {
  case type_id::boolean: {
    std::vector<std::uint8_t> bits(c.size());
    for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = c.value<bool>(i) ? 1 : 0;
    return masked(to_numpy(std::move(bits)).attr("view")("bool"), c);
  }
  case type_id::int8:
    return masked(fixed_view<std::int8_t>(c), c);
  case type_id::int16:
    return masked(fixed_view<std::int16_t>(c), c);
  case type_id::int32:
    return masked(fixed_view<std::int32_t>(c), c);
  case type_id::int64:
    return masked(fixed_view<std::int64_t>(c), c);
  case type_id::uint8:
    return masked(fixed_view<std::uint8_t>(c), c);
  case type_id::uint16:
    return masked(fixed_view<std::uint16_t>(c), c);
  case type_id::uint32:
    return masked(fixed_view<std::uint32_t>(c), c);
  case type_id::uint64:
    return masked(fixed_view<std::uint64_t>(c), c);
  case type_id::float32:
    return masked(fixed_view<float>(c), c);
  case type_id::float64:
    return masked(fixed_view<double>(c), c);
  case type_id::date32:
    return masked(fixed_view<std::int32_t>(c).attr("astype")("datetime64[D]"), c);
  case type_id::timestamp:
    return masked(fixed_view<std::int64_t>(c).attr("view")(
                      "datetime64[" + std::string(tessera::to_string(c.type().unit)) + "]"),
                  c);
  case type_id::string:
  case type_id::large_string:
  case type_id::dictionary:
    return string_array(c);
  }
  fail(tessera::errc::unsupported, "column type " + tessera::to_string(c.type()));
}

// ---------------------------------------------------------------------------------------------
// numpy -> columns (copied into tessera's aligned buffers).

using bool_array = py::array_t<bool, py::array::c_style | py::array::forcecast>;

/// The null mask of a masked array (True = null), if any.
std::optional<bool_array> nulls_of(const py::object& mask) {
  if (mask.is_none()) return std::nullopt;
  return bool_array::ensure(mask);
}

template <class T>
tessera::column numbers(const py::array& values, const py::object& mask,
                        tessera::data_type type = tessera::type_of_v<T>) {
  using arr = py::array_t<T, py::array::c_style | py::array::forcecast>;
  const arr a = arr::ensure(values);
  if (!a) throw py::error_already_set();
  tessera::primitive_builder<T> b(type);
  const std::span<const T> s(a.data(), static_cast<std::size_t>(a.size()));
  if (mask.is_none()) {
    b.append(s);
  } else {
    const auto m = bool_array::ensure(mask);
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (m.data()[i])
        b.append_null();
      else
        b.append(s[i]);
    }
  }
  return b.finish();
}

tessera::time_unit unit_of(const std::string& dtype, const std::string& name) {
  if (dtype == "datetime64[s]") return tessera::time_unit::second;
  if (dtype == "datetime64[ms]") return tessera::time_unit::millisecond;
  if (dtype == "datetime64[us]") return tessera::time_unit::microsecond;
  if (dtype == "datetime64[ns]") return tessera::time_unit::nanosecond;
  fail(tessera::errc::invalid_argument, "column '" + name + "': unsupported dtype " + dtype +
                                            " (datetime64 with D, s, ms, us or ns)");
}

tessera::column from_python(const std::string& name, py::handle obj) {
  py::module_ np = py::module_::import("numpy");
  py::object mask = py::none();
  py::object data = py::reinterpret_borrow<py::object>(obj);
  if (py::isinstance(obj, np.attr("ma").attr("MaskedArray"))) {
    mask = np.attr("ma").attr("getmaskarray")(obj);
    data = obj.attr("data");
  }
  py::array a = np.attr("asarray")(data);
  if (a.ndim() != 1)
    fail(tessera::errc::invalid_argument,
         "column '" + name + "' must be 1-D, got " + std::to_string(a.ndim()) + " dimensions");
  const char kind = a.dtype().kind();
  const auto size = a.itemsize();
  const std::string dtype = dtype_name(a);
  if (kind == 'M') {
    // NaT is a null.
    const py::object nat = np.attr("isnat")(a);
    mask = mask.is_none() ? nat : py::object(np.attr("logical_or")(mask, nat));
    if (dtype == "datetime64[D]")
      return numbers<std::int32_t>(a.attr("astype")("int64").attr("astype")("int32"), mask,
                                   tessera::type_id::date32);
    return numbers<std::int64_t>(a.attr("view")("int64"), mask,
                                 tessera::timestamp_type(unit_of(dtype, name)));
  }
  if (kind == 'b') {
    const auto v = bool_array::ensure(a);
    const auto m = nulls_of(mask);
    tessera::bool_builder b;
    for (py::ssize_t i = 0; i < v.size(); ++i) {
      if (m && m->data()[i])
        b.append_null();
      else
        b.append(v.data()[i]);
    }
    return b.finish();
  }
  if (kind == 'i' || kind == 'u') {
    const bool s = kind == 'i';
    switch (size) {
    case 1:
      return s ? numbers<std::int8_t>(a, mask) : numbers<std::uint8_t>(a, mask);
    case 2:
      return s ? numbers<std::int16_t>(a, mask) : numbers<std::uint16_t>(a, mask);
    case 4:
      return s ? numbers<std::int32_t>(a, mask) : numbers<std::uint32_t>(a, mask);
    case 8:
      return s ? numbers<std::int64_t>(a, mask) : numbers<std::uint64_t>(a, mask);
    default:
      break;
    }
  }
  if (kind == 'f' && (size == 4 || size == 8))
    return size == 4 ? numbers<float>(a, mask) : numbers<double>(a, mask);
  if (kind == 'U' || kind == 'O') {
    tessera::string_builder b;
    const py::list items = a.attr("tolist")();
    const auto m = nulls_of(mask);
    std::size_t i = 0;
    for (const auto item : items) {
      if (item.is_none() || (m && m->data()[i])) {
        b.append_null();
      } else if (py::isinstance<py::str>(item)) {
        b.append(item.cast<std::string>());
      } else {
        fail(tessera::errc::invalid_argument,
             "column '" + name + "' row " + std::to_string(i) + ": expected str or None, got " +
                 py::str(py::type::of(item).attr("__name__")).cast<std::string>());
      }
      ++i;
    }
    return b.finish();
  }
  fail(tessera::errc::invalid_argument,
       "column '" + name + "': unsupported dtype " + dtype + " (numbers, bool, str, datetime64)");
}

tessera::table table_from_dict(const py::dict& d) {
  std::vector<std::pair<std::string, tessera::column>> named;
  for (const auto& [k, v] : d) {
    if (!py::isinstance<py::str>(k))
      fail(tessera::errc::invalid_argument, "column names must be str");
    const auto name = k.cast<std::string>();
    named.emplace_back(name, from_python(name, v));
  }
  return tessera::table::from_columns(std::move(named)).value();
}

tessera::table as_table(const py::object& data) {
  if (py::isinstance<table_py>(data)) return data.cast<const table_py&>().t;
  if (py::isinstance<py::dict>(data)) return table_from_dict(data.cast<py::dict>());
  fail(tessera::errc::invalid_argument,
       "expected a tessera.Table or a dict of arrays, got " +
           py::str(py::type::of(data).attr("__name__")).cast<std::string>());
}

const tessera::column& column_at(const table_py& t, const py::object& key) {
  if (py::isinstance<py::int_>(key)) {
    const auto i = key.cast<std::int64_t>();
    if (i < 0 || static_cast<std::uint64_t>(i) >= t.t.num_columns())
      throw py::index_error("column index " + std::to_string(i) + " out of range");
    return t.t[static_cast<std::size_t>(i)];
  }
  const auto name = key.cast<std::string>();
  const auto* c = t.t.find(name);
  if (c == nullptr) throw py::key_error("no column '" + name + "'");
  return *c;
}

std::vector<std::string> names_of(const tessera::table& t) {
  std::vector<std::string> out;
  for (const auto& f : t.schema().fields()) out.push_back(f.name);
  return out;
}

// ---------------------------------------------------------------------------------------------
// File functions.

char one_char(const std::optional<std::string>& s, const char* what) {
  if (!s || s->size() > 1)
    fail(tessera::errc::invalid_argument,
         std::string(what) + " must be one character (or '' for none)");
  return s->empty() ? '\0' : (*s)[0];
}

table_py read_csv(const std::string& path, std::optional<std::string> delimiter,
                  std::optional<std::string> quote, std::optional<std::string> escape,
                  std::optional<std::size_t> header_lines, std::size_t preamble_lines,
                  std::size_t footnote_lines, std::optional<std::string> comment,
                  std::optional<std::vector<std::string>> null_values, bool trim, bool infer_types,
                  bool permissive, const std::string& ragged, int threads,
                  const std::string& encoding) {
  tessera::csv::read_options o;
  if (delimiter) o.delimiter = one_char(delimiter, "delimiter");
  if (quote) o.quote = one_char(quote, "quote");
  if (escape) o.escape = one_char(escape, "escape");
  o.header_lines = header_lines;
  o.preamble_lines = preamble_lines;
  o.footnote_lines = footnote_lines;
  if (comment) o.comment = one_char(comment, "comment");
  if (null_values) o.null_values = *null_values;
  o.trim = trim;
  o.infer_types = infer_types;
  o.errors = permissive ? tessera::csv::error_mode::permissive : tessera::csv::error_mode::strict;
  if (ragged == "error")
    o.ragged = tessera::csv::ragged_rows::error;
  else if (ragged == "pad")
    o.ragged = tessera::csv::ragged_rows::pad_with_nulls;
  else if (ragged == "truncate")
    o.ragged = tessera::csv::ragged_rows::truncate;
  else if (ragged == "pad_or_truncate")
    o.ragged = tessera::csv::ragged_rows::pad_or_truncate;
  else
    fail(tessera::errc::invalid_argument,
         "unknown ragged policy '" + ragged + "' (expected error, pad, truncate, pad_or_truncate)");
  if (encoding == "utf-8" || encoding == "utf8")
    o.input_encoding = tessera::csv::encoding::utf8;
  else if (encoding == "latin-1" || encoding == "latin1")
    o.input_encoding = tessera::csv::encoding::latin1;
  else
    fail(tessera::errc::invalid_argument,
         "unknown encoding '" + encoding + "' (expected utf-8 or latin-1)");
  o.threads = threads;
  auto r = [&] {
    py::gil_scoped_release unlocked;
    return tessera::csv::try_read(path, o);
  }();
  return {std::move(r).value().table};
}

table_py read_tsr(const std::string& path, std::optional<std::vector<std::string>> columns,
                  std::optional<std::string> where, std::optional<std::uint64_t> limit) {
  tessera::tsr::read_options o;
  if (columns) o.columns = *columns;
  if (where) o.where = tessera::tsr::parse_where(*where).value();
  if (limit) o.limit = *limit;
  auto r = [&] {
    py::gil_scoped_release unlocked;
    return tessera::tsr::try_read_table(path, o);
  }();
  return {std::move(r).value()};
}

void write_tsr(const std::string& path, const py::object& data, const std::string& codec, int level,
               std::size_t row_group_rows) {
  tessera::tsr::write_options o;
  if (codec == "zstd")
    o.codec = tessera::tsr::compression::zstd;
  else if (codec == "none")
    o.codec = tessera::tsr::compression::none;
  else
    fail(tessera::errc::invalid_argument, "unknown codec '" + codec + "' (expected zstd or none)");
  o.level = level;
  if (row_group_rows == 0) fail(tessera::errc::invalid_argument, "row_group_rows must be > 0");
  o.row_group_rows = row_group_rows;
  const tessera::table t = as_table(data);
  auto r = [&] {
    py::gil_scoped_release unlocked;
    return tessera::tsr::try_write_table(path, t, o);
  }();
  std::move(r).value();
}

// Parquet metadata: the JSON `tessera meta FILE` prints, as Python objects.

/// Text from the file, which need not be UTF-8 (binary statistics, key/value metadata):
/// undecodable bytes appear as \xNN escapes.
py::str text(std::string_view s) {
  PyObject* u =
      PyUnicode_DecodeUTF8(s.data(), static_cast<py::ssize_t>(s.size()), "backslashreplace");
  if (u == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(u);
}

py::object to_python(const tessera_examples::json& j) {
  using value_t = tessera_examples::json::value_t;
  switch (j.type()) {
  case value_t::boolean:
    return py::bool_(j.get<bool>());
  case value_t::number_integer:
    return py::int_(j.get<std::int64_t>());
  case value_t::number_unsigned:
    return py::int_(j.get<std::uint64_t>());
  case value_t::number_float:
    return py::float_(j.get<double>());
  case value_t::string:
    return text(j.get_ref<const std::string&>());
  case value_t::array: {
    py::list l;
    for (const auto& e : j) l.append(to_python(e));
    return l;
  }
  case value_t::object: {
    py::dict d;
    for (const auto& [k, v] : j.items()) d[text(k)] = to_python(v);
    return d;
  }
  default: // null (binary and discarded values are never produced)
    return py::none();
  }
}

py::dict parquet_metadata(const std::string& path) {
  auto j = [&] {
    py::gil_scoped_release unlocked;
    return tessera_examples::parquet_json(path);
  }();
  return to_python(j);
}

} // namespace

void init_columns(py::module_& m) {
  py::class_<table_py>(m, "Table",
                       "An immutable table of named, typed columns (Arrow layout).\n\n"
                       "t['name'] or t[i] gives a column as numpy: numbers and timestamps as\n"
                       "read-only views of tessera's buffers, dates as datetime64[D], booleans as\n"
                       "bool, strings as object arrays (None for null). A number, boolean, date\n"
                       "or timestamp column with nulls comes as numpy.ma.MaskedArray (mask True\n"
                       "at the nulls).")
      .def(py::init([](const py::dict& columns) { return table_py{table_from_dict(columns)}; }),
           py::arg("columns"),
           "A table from a dict of name -> 1-D array (copied): integer, float, bool, str/object\n"
           "(None is null), datetime64 (NaT is null) or numpy.ma.MaskedArray (masked is null).")
      .def_property_readonly(
          "column_names", [](const table_py& t) { return names_of(t.t); }, "Column names.")
      .def_property_readonly(
          "num_rows", [](const table_py& t) { return t.t.num_rows(); }, "Number of rows.")
      .def_property_readonly(
          "num_columns", [](const table_py& t) { return t.t.num_columns(); }, "Number of columns.")
      .def_property_readonly(
          "types",
          [](const table_py& t) {
            py::dict d;
            for (const auto& f : t.t.schema().fields()) d[py::str(f.name)] = to_string(f.type);
            return d;
          },
          "Column name -> tessera type name ('int64', 'float64', 'string', 'timestamp[us]'...).")
      .def("__len__", [](const table_py& t) { return t.t.num_rows(); })
      .def("__contains__",
           [](const table_py& t, const std::string& name) { return t.t.find(name) != nullptr; })
      .def(
          "__getitem__",
          [](const table_py& t, const py::object& key) { return to_python(column_at(t, key)); },
          py::arg("key"), "Column by name or index, as numpy (see the class doc).")
      .def(
          "null_count",
          [](const table_py& t, const py::object& key) { return column_at(t, key).null_count(); },
          py::arg("key"), "Number of nulls in a column.")
      .def(
          "to_dict",
          [](const table_py& t) {
            py::dict d;
            for (std::size_t i = 0; i < t.t.num_columns(); ++i)
              d[py::str(t.t.schema()[i].name)] = to_python(t.t[i]);
            return d;
          },
          "Every column as numpy, in order: {name: array}.")
      .def("__repr__", [](const table_py& t) {
        std::string s = "tessera.Table(" + std::to_string(t.t.num_rows()) + " rows: ";
        bool first = true;
        for (const auto& f : t.t.schema().fields()) {
          if (!first) s += ", ";
          first = false;
          s += f.name + ": " + to_string(f.type);
        }
        return s + ")";
      });

  m.def("read_csv", &read_csv, py::arg("path"), py::kw_only(), py::arg("delimiter") = py::none(),
        py::arg("quote") = py::none(), py::arg("escape") = py::none(),
        py::arg("header_lines") = py::none(), py::arg("preamble_lines") = 0,
        py::arg("footnote_lines") = 0, py::arg("comment") = py::none(),
        py::arg("null_values") = py::none(), py::arg("trim") = false, py::arg("infer_types") = true,
        py::arg("permissive") = false, py::arg("ragged") = "error", py::arg("threads") = 0,
        py::arg("encoding") = "utf-8",
        "Reads a CSV file into a Table. Dialect options left None are sniffed: delimiter,\n"
        "quote ('' disables quoting), escape (the quote itself: doubled quotes; '\\\\':\n"
        "backslash), header_lines (0 or 1). null_values: unquoted fields read as null\n"
        "(default ['']). Types are inferred (bool, int64, float64, date32, timestamp, string)\n"
        "unless infer_types=False. permissive=True skips bad records instead of failing;\n"
        "ragged: 'error', 'pad', 'truncate' or 'pad_or_truncate'. encoding: 'utf-8' or\n"
        "'latin-1'. Parses in parallel with the GIL released; errors name line and column.");
  m.def("read_tsr", &read_tsr, py::arg("path"), py::kw_only(), py::arg("columns") = py::none(),
        py::arg("where") = py::none(), py::arg("limit") = py::none(),
        "Reads a .tsr file into a Table: only `columns` (in that order), only rows matching\n"
        "`where` (e.g. \"price > 5 and name = 'x'\"; row groups that cannot match are not\n"
        "read), at most `limit` rows. Checksums are verified; the GIL is released.");
  m.def("write_tsr", &write_tsr, py::arg("path"), py::arg("data"), py::kw_only(),
        py::arg("codec") = "zstd", py::arg("level") = 1,
        py::arg("row_group_rows") = tessera::tsr::write_options{}.row_group_rows,
        "Writes a Table (or a dict of arrays, as Table(dict)) to a .tsr file atomically\n"
        "(a temporary file renamed over `path`). codec: 'zstd' or 'none'.");
  m.def("parquet_metadata", &parquet_metadata, py::arg("path"),
        "A Parquet file's footer as a dict (the keys `tessera meta` prints): version, num_rows,\n"
        "created_by, the schema tree, key/value metadata and, per row group, every column\n"
        "chunk's codec, encodings, sizes, offsets and statistics (as text). An encrypted footer\n"
        "gives encrypted_footer=True and its encryption algorithm only.");
}

} // namespace tessera_python
