// tessera: graphs in .tsr files: a compressed_graph's offsets, targets and weights as columns,
// its direction and sizes as metadata, optionally a vertex-key column; loaded back as a
// zero-copy csr_view over the file's mapping.
//
// Layout (docs/format.md, "Graphs"): columns `offsets` (E), `targets` (V), `weights` (W, when
// weighted) and `vertex_key` (any type, optional), all nullable. Row group 0 has V + 1 rows:
// `offsets` and the first V `vertex_key`s (one trailing null); `targets`/`weights` are null.
// Row group 1 has E rows: `targets` and `weights`; the others are null. The real arrays are
// stored plain and uncompressed (so they map without copying), the null padding compressed
// (a few bytes). Schema metadata: tessera.graph = "csr", tessera.graph.direction =
// "directed"|"undirected", tessera.graph.num_vertices, tessera.graph.num_edges.
//
// Needs tessera::format.
#pragma once

#include <tessera/column/column.hpp>
#include <tessera/column/table.hpp>
#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/graph/compressed_graph.hpp>
#include <tessera/io/tsr.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN
namespace tsr {

namespace detail_g {
template <class T>
column borrowed(std::span<const T> v) {
  return column::unchecked(type_of_v<T>, v.size(), {},
                           buffer(v.data(), v.size_bytes(), std::shared_ptr<const void>()));
}
inline column nulls(data_type t, std::size_t n) {
  bitmap none(n, false);
  if (is_string_like(t.id))
    return column::unchecked(
        t.id == type_id::large_string ? t : data_type(type_id::string), n, buffer(std::move(none)),
        t.id == type_id::large_string ? buffer(aligned_buffer<std::int64_t>(n + 1, 0))
                                      : buffer(aligned_buffer<std::int32_t>(n + 1, 0)),
        {}, {}, 0, n);
  if (t.id == type_id::boolean)
    return column::unchecked(t, n, buffer(std::move(none)), buffer(bitmap(n)), {}, {}, 0, n);
  return column::unchecked(
      t, n, buffer(std::move(none)),
      buffer(aligned_buffer<std::byte>(n * fixed_width_bytes(t.id), std::byte{0})), {}, {}, 0, n);
}
inline column with_trailing_null(const column& keys) {
  // keys + one null row, by concatenation with a null column of the same type.
  const data_type t = keys.id() == type_id::dictionary ? data_type(type_id::string) : keys.type();
  column k = keys;
  if (keys.id() == type_id::dictionary) {
    basic_string_builder<std::int32_t> b;
    for (std::size_t i = 0; i < keys.size(); ++i)
      keys.is_valid(i) ? b.append(keys.string_at(i)) : b.append_null();
    k = b.finish();
  }
  auto c = detail_r::concat({k, nulls(t, 1)}, t);
  return std::move(*c);
}
} // namespace detail_g

/// Writes `g` (and optionally one key per vertex) to `path` atomically. Errors: io_error;
/// invalid_argument when vertex_keys does not have one row per vertex.
template <vertex_id V, edge_offset E, weight_or_void W>
requires column_number<V> && column_number<E> &&(std::is_void_v<W> || column_number<W>)
    [[nodiscard]] expected<void> try_write_graph(const std::filesystem::path& path,
                                                 const compressed_graph<V, E, W>& g,
                                                 const column* vertex_keys = nullptr,
                                                 write_options options = {}) {
  constexpr bool weighted = !std::is_void_v<W>;
  const std::size_t n = g.num_vertices(), m = g.num_edges();
  if (vertex_keys && vertex_keys->size() != n)
    return make_error(errc::invalid_argument, "vertex_keys has " +
                                                  std::to_string(vertex_keys->size()) +
                                                  " rows for " + std::to_string(n) + " vertices");
  std::vector<field> fields = {{"offsets", type_of_v<E>, true, {}},
                               {"targets", type_of_v<V>, true, {}}};
  if constexpr (weighted) fields.push_back({"weights", type_of_v<W>, true, {}});
  data_type key_type = type_id::string;
  if (vertex_keys) {
    key_type =
        vertex_keys->id() == type_id::dictionary ? data_type(type_id::string) : vertex_keys->type();
    fields.push_back({"vertex_key", key_type, true, {}});
  }
  key_value_metadata meta = {
      {"tessera.graph", "csr"},
      {"tessera.graph.direction", g.is_directed() ? "directed" : "undirected"},
      {"tessera.graph.num_vertices", std::to_string(n)},
      {"tessera.graph.num_edges", std::to_string(m)}};
  const tessera::schema s(fields, meta);
  options.row_group_rows = 0;
  auto w = writer::create(path, s, options);
  if (!w) return unexpected(std::move(w.error()));

  // Row group 0: offsets (+ keys). An empty graph stores a single offset 0.
  const aligned_buffer<E> zero(1, E{0});
  const std::span<const E> offs = n == 0 ? zero.span() : g.offsets();
  std::vector<column> rg0 = {detail_g::borrowed<E>(offs), detail_g::nulls(type_of_v<V>, n + 1)};
  if constexpr (weighted) rg0.push_back(detail_g::nulls(type_of_v<W>, n + 1));
  if (vertex_keys) rg0.push_back(detail_g::with_trailing_null(*vertex_keys));
  auto t0 = table::make(s, std::move(rg0));
  if (!t0) return unexpected(std::move(t0.error()));
  write_options o0 = options;
  o0.raw_columns = {"offsets"};
  if (auto ok = w->try_write(*t0, o0); !ok) return ok;

  // Row group 1: targets (+ weights).
  if (m > 0) {
    std::vector<column> rg1 = {detail_g::nulls(type_of_v<E>, m),
                               detail_g::borrowed<V>(g.targets())};
    if constexpr (weighted) rg1.push_back(detail_g::borrowed<W>(g.weights()));
    if (vertex_keys) rg1.push_back(detail_g::nulls(key_type, m));
    auto t1 = table::make(s, std::move(rg1));
    if (!t1) return unexpected(std::move(t1.error()));
    write_options o1 = options;
    o1.raw_columns = {"targets", "weights"};
    if (auto ok = w->try_write(*t1, o1); !ok) return ok;
  }
  return w->try_close();
}

template <vertex_id V, edge_offset E, weight_or_void W>
class mapped_graph;

/// Loads a graph written by try_write_graph with the same V, E and W types (numbers). Verifies
/// the file (checksums, offsets) and the CSR invariants (offsets from 0, non-decreasing, ending
/// at the edge count; targets < num_vertices). O(n + m). Errors: corrupt_data, io_error,
/// invalid_argument (not a graph file, or other index/weight types).
template <vertex_id V, edge_offset E, weight_or_void W>
[[nodiscard]] expected<mapped_graph<V, E, W>> try_read_graph(const std::filesystem::path& path,
                                                             open_options options = {});

namespace detail {
/// What try_read_graph loads and checks before a mapped_graph owns it.
template <class V, class E, class W>
struct mapped_graph_parts {
  column offsets_, targets_, weights_;
  std::optional<column> keys_;
  csr_view<V, E, W> view_;
  graph_direction direction_ = graph_direction::directed;
};
} // namespace detail

/// A graph loaded from a .tsr file: a csr_view over columns that point into the file's mapping
/// (zero-copy when the arrays were stored raw, as try_write_graph does) and keep it alive.
template <vertex_id V, edge_offset E, weight_or_void W>
class mapped_graph {
public:
  using view_type = csr_view<V, E, W>;
  [[nodiscard]] const view_type& view() const noexcept { return p_.view_; }
  [[nodiscard]] graph_direction direction() const noexcept { return p_.direction_; }
  [[nodiscard]] bool is_directed() const noexcept {
    return p_.direction_ == graph_direction::directed;
  }
  [[nodiscard]] std::size_t num_vertices() const noexcept { return p_.view_.num_vertices(); }
  [[nodiscard]] std::size_t num_edges() const noexcept { return p_.view_.num_edges(); }
  /// The vertex keys (one per vertex), if the file has them.
  [[nodiscard]] const std::optional<column>& vertex_keys() const noexcept { return p_.keys_; }
  /// The columns under the view (their buffers show whether they are views of the mapping).
  [[nodiscard]] const column& offsets_column() const noexcept { return p_.offsets_; }
  [[nodiscard]] const column& targets_column() const noexcept { return p_.targets_; }

  /// Takes what try_read_graph loaded and checked.
  explicit mapped_graph(detail::mapped_graph_parts<V, E, W> parts) : p_(std::move(parts)) {}

private:
  detail::mapped_graph_parts<V, E, W> p_;
};

template <vertex_id V, edge_offset E, weight_or_void W>
expected<mapped_graph<V, E, W>> try_read_graph(const std::filesystem::path& path,
                                               open_options options) {
  static_assert(column_number<V> && column_number<E> && (std::is_void_v<W> || column_number<W>),
                "graph index and weight types must be column types");
  constexpr bool weighted = !std::is_void_v<W>;
  auto r = reader::open(path, options);
  if (!r) return unexpected(std::move(r.error()));
  const auto& m = r->metadata();
  const auto bad = [&](const std::string& what) {
    location where;
    where.file = path.string();
    return make_error(errc::invalid_argument, what, std::move(where));
  };
  if (find_metadata(m.schema.metadata(), "tessera.graph") != std::optional<std::string_view>("csr"))
    return bad("not a tessera graph file (no tessera.graph = csr metadata)");
  const auto oi = m.schema.index_of("offsets"), ti = m.schema.index_of("targets");
  const auto wi = m.schema.index_of("weights"), ki = m.schema.index_of("vertex_key");
  if (!oi || !ti) return bad("graph file without offsets/targets columns");
  if (!(m.schema[*oi].type == data_type(type_of_v<E>)) ||
      !(m.schema[*ti].type == data_type(type_of_v<V>)))
    return bad("graph file stores offsets as " + to_string(m.schema[*oi].type) +
               " and targets as " + to_string(m.schema[*ti].type) + ", not the requested types");
  if (weighted != wi.has_value())
    return bad(weighted ? "graph file has no weights" : "graph file is weighted");
  if constexpr (weighted)
    if (!(m.schema[*wi].type == data_type(type_of_v<W>)))
      return bad("graph file stores weights as " + to_string(m.schema[*wi].type));
  if (m.row_groups.empty() || m.row_groups.size() > 2)
    return make_error(errc::corrupt_data, "graph file must have 1 or 2 row groups");
  detail::mapped_graph_parts<V, E, W> g;
  const auto dir = find_metadata(m.schema.metadata(), "tessera.graph.direction");
  g.direction_ = dir == std::optional<std::string_view>("undirected") ? graph_direction::undirected
                                                                      : graph_direction::directed;
  auto offs = r->try_read_chunk(0, *oi);
  if (!offs) return unexpected(std::move(offs.error()));
  g.offsets_ = std::move(*offs);
  if (g.offsets_.null_count() != 0) return make_error(errc::corrupt_data, "null graph offsets");
  if (m.row_groups.size() == 2) {
    auto t = r->try_read_chunk(1, *ti);
    if (!t) return unexpected(std::move(t.error()));
    g.targets_ = std::move(*t);
    if constexpr (weighted) {
      auto wt = r->try_read_chunk(1, *wi);
      if (!wt) return unexpected(std::move(wt.error()));
      g.weights_ = std::move(*wt);
    }
  } else {
    g.targets_ = column::unchecked(type_of_v<V>, 0, {}, {});
    if constexpr (weighted) g.weights_ = column::unchecked(type_of_v<W>, 0, {}, {});
  }
  if (g.targets_.null_count() != 0 || (weighted && g.weights_.null_count() != 0))
    return make_error(errc::corrupt_data, "null graph targets or weights");
  if (ki) {
    auto k = r->try_read_chunk(0, *ki);
    if (!k) return unexpected(std::move(k.error()));
    g.keys_ = k->slice(0, k->size() - 1);
  }
  const auto ov = g.offsets_.template view<E>().values();
  const auto tv = g.targets_.template view<V>().values();
  // A graph with no vertices is stored as the single offset 0.
  const std::span<const E> offsets = ov.size() == 1 ? ov.subspan(0, 0) : ov;
  if (ov.size() == 1 && !tv.empty())
    return make_error(errc::corrupt_data, "edges without vertices");
  if constexpr (weighted) {
    auto v = csr_view<V, E, W>::make(offsets, tv, g.weights_.template view<W>().values());
    if (!v) return unexpected(std::move(v.error()).in_file(path.string()));
    g.view_ = *v;
  } else {
    auto v = csr_view<V, E, W>::make(offsets, tv);
    if (!v) return unexpected(std::move(v.error()).in_file(path.string()));
    g.view_ = *v;
  }
  return mapped_graph<V, E, W>(std::move(g));
}

} // namespace tsr
TESSERA_NAMESPACE_END
