// Graphs in .tsr files: round trips of directed/undirected, weighted/unweighted, empty graphs and
// isolated vertices, with vertex keys; zero-copy loading; type and invariant checks.
#include <tessera/column/builder.hpp>
#include <tessera/io/tsr_graph.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <string_view>
#include <vector>

#include "tsr_support.hpp"

using namespace tessera;

namespace {
template <class V, class E, class W>
compressed_graph<V, E, W> make_graph(std::vector<E> offsets, std::vector<V> targets,
                                     std::vector<std::conditional_t<std::is_void_v<W>, int, W>> w,
                                     graph_direction d) {
  aligned_buffer<E> o{std::span<const E>(offsets)};
  aligned_buffer<V> t{std::span<const V>(targets)};
  if constexpr (std::is_void_v<W>) {
    (void)w;
    return *compressed_graph<V, E, W>::from_arrays(std::move(o), std::move(t), d);
  } else {
    aligned_buffer<W> ww{std::span<const W>(w)};
    return *compressed_graph<V, E, W>::from_arrays(std::move(o), std::move(t), std::move(ww), d);
  }
}
} // namespace

TEST_CASE("tsr graph: weighted round trip with keys, loaded as a zero-copy view") {
  tsr_test::temp_dir dir;
  // 0 -> 1 (0.5), 0 -> 2 (1.5), 2 -> 0 (2.5); vertex 3 isolated.
  auto g = make_graph<std::uint32_t, std::uint64_t, double>(
      {0, 2, 2, 3, 3}, {1, 2, 0}, {0.5, 1.5, 2.5}, graph_direction::undirected);
  const std::vector<std::optional<std::string_view>> key_values = {"a", "b", std::nullopt, "d"};
  const column keys = make_string_column(key_values);
  REQUIRE(tsr::try_write_graph(dir.path / "g.tsr", g, &keys));
  auto back = tsr::try_read_graph<std::uint32_t, std::uint64_t, double>(dir.path / "g.tsr");
  REQUIRE(back);
  CHECK(back->num_vertices() == 4);
  CHECK(back->num_edges() == 3);
  CHECK_FALSE(back->is_directed());
  const auto& v = back->view();
  for (std::size_t u = 0; u < 4; ++u) {
    CHECK(std::ranges::equal(v.targets_of(u), g.targets_of(u)));
    CHECK(std::ranges::equal(v.weights_of(u), g.weights_of(u)));
  }
  REQUIRE(back->vertex_keys());
  CHECK(back->vertex_keys()->equals(keys));
  // Zero copy: the arrays are 64-byte aligned views into the mapping, not fresh allocations
  // (a decoded buffer would be owned by an aligned_buffer holder of exactly its size).
  auto r = tsr::reader::open(dir.path / "g.tsr");
  REQUIRE(r);
  const auto& rg1 = r->metadata().row_groups[1];
  CHECK(rg1.columns[1].streams[0].codec == tsr::compression::none);
  CHECK(rg1.columns[1].streams[0].encoding == tsr::stream_encoding::plain);
  CHECK(r->metadata().row_groups[0].columns[0].streams[0].codec == tsr::compression::none);
  // Padding chunks are compressed to almost nothing.
  CHECK(rg1.columns[0].stored_bytes() < 64);
  // Wrong types are refused.
  auto wrong = tsr::try_read_graph<std::uint64_t, std::uint64_t, double>(dir.path / "g.tsr");
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().code() == errc::invalid_argument);
  CHECK_FALSE((tsr::try_read_graph<std::uint32_t, std::uint64_t, void>(dir.path / "g.tsr")));
}

TEST_CASE("tsr graph: unweighted, empty and edgeless graphs") {
  tsr_test::temp_dir dir;
  auto g = make_graph<std::int32_t, std::int64_t, void>({0, 1, 2}, {1, 0}, {},
                                                        graph_direction::directed);
  REQUIRE(tsr::try_write_graph(dir.path / "u.tsr", g));
  auto back = tsr::try_read_graph<std::int32_t, std::int64_t, void>(dir.path / "u.tsr");
  REQUIRE(back);
  CHECK(back->is_directed());
  CHECK(back->num_edges() == 2);
  CHECK(back->view().targets_of(1)[0] == 0);
  CHECK_FALSE(back->vertex_keys());

  const compressed_graph<std::uint32_t, std::uint64_t, void> empty;
  REQUIRE(tsr::try_write_graph(dir.path / "e.tsr", empty));
  auto e = tsr::try_read_graph<std::uint32_t, std::uint64_t, void>(dir.path / "e.tsr");
  REQUIRE(e);
  CHECK(e->num_vertices() == 0);
  CHECK(e->num_edges() == 0);

  auto isolated = make_graph<std::uint32_t, std::uint64_t, void>({0, 0, 0, 0}, {}, {},
                                                                 graph_direction::directed);
  REQUIRE(tsr::try_write_graph(dir.path / "i.tsr", isolated));
  auto i = tsr::try_read_graph<std::uint32_t, std::uint64_t, void>(dir.path / "i.tsr");
  REQUIRE(i);
  CHECK(i->num_vertices() == 3);
  CHECK(i->num_edges() == 0);
}

TEST_CASE("tsr graph: a file whose CSR invariants fail is rejected, not trusted") {
  tsr_test::temp_dir dir;
  // A valid .tsr table shaped like a graph but with a target out of range.
  auto g = make_graph<std::uint32_t, std::uint64_t, void>({0, 1, 2}, {1, 0}, {},
                                                          graph_direction::directed);
  REQUIRE(tsr::try_write_graph(dir.path / "g.tsr", g));
  auto r = tsr::reader::open(dir.path / "g.tsr");
  REQUIRE(r);
  const table t = r->read();
  // Rewrite it with target 7 (>= 2 vertices) through the general writer.
  tsr::write_options o;
  o.row_group_rows = 0;
  o.sync = false;
  auto w = tsr::writer::create(dir.path / "bad.tsr", t.schema(), o);
  REQUIRE(w);
  REQUIRE(w->try_write(t.slice(0, 3)));
  const std::vector<std::uint32_t> targets = {7, 0};
  REQUIRE(w->try_write(
      *table::make(t.schema(), {t[0].slice(3, 2), make_column<std::uint32_t>(targets)})));
  REQUIRE(w->try_close());
  auto bad = tsr::try_read_graph<std::uint32_t, std::uint64_t, void>(dir.path / "bad.tsr");
  REQUIRE_FALSE(bad);
  MESSAGE(bad.error().to_string());
  // Not a graph at all.
  tsr::write_table(dir.path / "plain.tsr", t);
  const table plain = *table::from_columns({{"x", make_column<std::int32_t>({1})}});
  tsr::write_table(dir.path / "plain.tsr", plain);
  CHECK(tsr::try_read_graph<std::uint32_t, std::uint64_t, void>(dir.path / "plain.tsr")
            .error()
            .code() == errc::invalid_argument);
}
