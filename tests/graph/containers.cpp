#include <tessera/graph/compressed_graph.hpp>
#include <tessera/graph/concepts.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <list>
#include <utility>
#include <vector>

using namespace tessera;

// The concept family accepts plain containers and tessera's graphs, and rejects non-graphs.
static_assert(adjacency_list<std::vector<std::vector<int>>>);
static_assert(!weighted_adjacency_list<std::vector<std::vector<int>>>);
static_assert(weighted_adjacency_list<std::vector<std::vector<std::pair<int, double>>>>);
static_assert(adjacency_list<std::vector<std::list<std::uint64_t>>>);
static_assert(!adjacency_list<std::vector<int>>);
static_assert(!adjacency_list<std::vector<std::vector<double>>>);
static_assert(!adjacency_list<std::vector<std::vector<bool>>>);
static_assert(std::same_as<vertex_t<std::vector<std::vector<short>>>, short>);
static_assert(std::same_as<weight_t<std::vector<std::vector<std::pair<int, float>>>>, float>);
static_assert(adjacency_list<compressed_graph<>> && compressed_adjacency<compressed_graph<>>);
static_assert(!weighted_adjacency_list<compressed_graph<>>);
static_assert(weighted_adjacency_list<compressed_graph<std::int32_t, std::int64_t, double>>);
static_assert(adjacency_list<csr_view<std::uint32_t, std::uint32_t, float>>);
static_assert(bidirectional_adjacency_list<bidirectional_graph<>>);
static_assert(!bidirectional_adjacency_list<compressed_graph<>>);
static_assert(std::ranges::random_access_range<weighted_edge_range<int, double>>);
static_assert(
    std::same_as<vertex_t<compressed_graph<std::uint16_t, std::uint32_t, int>>, std::uint16_t>);

TEST_CASE("a vector of vectors is a graph") {
  const std::vector<std::vector<int>> g{{1, 2}, {2}, {}};
  CHECK(num_vertices(g) == 3);
  CHECK(degree(g, 0) == 2);
  CHECK(degree(g, 2) == 0);
  int sum = 0;
  for (auto e : neighbors(g, 0)) sum += target(e);
  CHECK(sum == 3);
  const std::vector<std::vector<std::pair<int, double>>> w{{{1, 0.5}}, {}};
  CHECK(edge_weight(*neighbors(w, 0).begin()) == 0.5);
}

TEST_CASE_TEMPLATE("compressed_graph over every id and offset type", V, std::int32_t, std::uint32_t,
                   std::int64_t, std::uint64_t) {
  // 0 -> 1, 0 -> 2, 2 -> 0, 2 -> 2 (self loop), 3 isolated
  aligned_buffer<std::uint64_t> offsets(5);
  offsets[1] = 2, offsets[2] = 2, offsets[3] = 4, offsets[4] = 4;
  aligned_buffer<V> targets(4);
  targets[0] = 1, targets[1] = 2, targets[2] = 0, targets[3] = 2;
  aligned_buffer<double> weights(4);
  for (std::size_t e = 0; e < 4; ++e) weights[e] = 0.5 * static_cast<double>(e);

  auto made = compressed_graph<V, std::uint64_t, double>::from_arrays(
      std::move(offsets), std::move(targets), std::move(weights));
  REQUIRE(made.has_value());
  const auto& g = *made;
  CHECK(g.num_vertices() == 4);
  CHECK(g.num_edges() == 4);
  CHECK(g.degree(0) == 2);
  CHECK(g.degree(1) == 0);
  CHECK(g.degree(3) == 0);
  CHECK(g.edge_ids(2) == std::pair<std::size_t, std::size_t>{2, 4});
  std::vector<std::pair<V, double>> seen;
  for (auto e : g.neighbors(2)) seen.emplace_back(target(e), edge_weight(e));
  CHECK(seen == std::vector<std::pair<V, double>>{{V{0}, 1.0}, {V{2}, 1.5}});
  CHECK(g.memory_bytes() == 5 * 8 + 4 * sizeof(V) + 4 * 8);

  auto copy = g.clone();
  copy.mutable_weights()[0] = 9.0;
  CHECK(g.weights()[0] == 0.0);
  const auto v = g.view();
  CHECK(v.num_edges() == 4);
  CHECK(v.weights_of(0)[1] == 0.5);
}

TEST_CASE("csr_view::make rejects every broken invariant with a message") {
  const std::vector<std::uint32_t> targets{1, 0};
  const auto make = [&](std::vector<std::uint64_t> offsets, std::vector<std::uint32_t> t) {
    return csr_view<std::uint32_t, std::uint64_t>::make(offsets, t);
  };
  CHECK(make({0, 1, 2}, targets).has_value());
  CHECK(make({1, 1, 2}, targets).error().message().find("offsets[0]") != std::string::npos);
  CHECK(make({0, 2, 1}, targets).error().message().find("decrease") != std::string::npos);
  CHECK(make({0, 1, 3}, targets).error().message().find("end at 3") != std::string::npos);
  CHECK(make({0, 1, 2}, {1, 2}).error().message().find("not below the vertex count 2") !=
        std::string::npos);
  CHECK(make({}, {1}).error().code() == errc::corrupt_data);
  CHECK(make({}, {}).has_value());

  const std::vector<std::int8_t> negative{-1};
  const std::vector<std::uint16_t> off{0, 1};
  CHECK(csr_view<std::int8_t, std::uint16_t>::make(off, negative)
            .error()
            .message()
            .find("negative") != std::string::npos);

  std::vector<std::uint16_t> many(300, 0);
  CHECK(csr_view<std::int8_t, std::uint16_t>::make(many, {}).error().code() == errc::overflow);

  const std::vector<float> w{1.0f};
  CHECK(csr_view<std::uint32_t, std::uint64_t, float>::make(std::vector<std::uint64_t>{0, 1, 2},
                                                            targets, w)
            .error()
            .message()
            .find("1 weights for 2 edges") != std::string::npos);
}

TEST_CASE("empty graphs") {
  auto g = compressed_graph<>::from_arrays(aligned_buffer<std::uint64_t>(1), {});
  REQUIRE(g.has_value());
  CHECK(g->num_vertices() == 0);
  CHECK(g->num_edges() == 0);
  compressed_graph<> none;
  CHECK(none.num_vertices() == 0);
  CHECK(none.view().num_vertices() == 0);
}
