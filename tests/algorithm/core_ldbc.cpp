// LDBC Graphalytics validation (../shared/data/graphs/ldbc-graphalytics): BFS, PageRank, WCC and
// SSSP, directed and undirected, with the suite's parameters and matching rules
// (../shared/data/README.md). Skips visibly when the shared data is absent.
#include "core_fixtures.hpp"
#include "support/shared_data.hpp"

#include <tessera/algorithm/bfs.hpp>
#include <tessera/algorithm/components.hpp>
#include <tessera/algorithm/pagerank.hpp>
#include <tessera/algorithm/sssp.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

using namespace core_fixtures;

namespace {

const std::string root = "graphs/ldbc-graphalytics/";

tessera::graph_direction dir_of(bool directed) {
  return directed ? tessera::graph_direction::directed : tessera::graph_direction::undirected;
}

void check_bfs(const ldbc_graph& g, bool directed, std::int64_t source,
               const std::map<std::int64_t, std::string>& want) {
  const auto csr = make_csr<std::uint32_t>(g.el, dir_of(directed));
  const auto r = tessera::bfs(csr, static_cast<std::uint32_t>(g.index.at(source)));
  REQUIRE(want.size() == g.ids.size());
  for (std::size_t v = 0; v < g.ids.size(); ++v) {
    const std::string got = r.level[v] == tessera::bfs_unreached<std::uint32_t>
                                ? std::string("9223372036854775807")
                                : std::to_string(r.level[v]);
    CHECK_MESSAGE(got == want.at(g.ids[v]), "vertex " << g.ids[v]);
  }
}

void check_pr(const ldbc_graph& g, bool directed, std::size_t iterations,
              const std::map<std::int64_t, std::string>& want) {
  tessera::pagerank_options opt;
  opt.damping = 0.85;
  opt.fixed_iterations = iterations;
  opt.dangling = tessera::dangling_policy::uniform;
  const auto csr = make_csr<std::uint32_t>(g.el, dir_of(directed));
  const auto r = tessera::pagerank(csr, opt);
  CHECK(r.iterations == iterations);
  for (std::size_t v = 0; v < g.ids.size(); ++v) {
    const double expect = std::stod(want.at(g.ids[v]));
    CHECK_MESSAGE(std::abs(r.rank[v] - expect) <= 1e-4 * std::abs(expect), "vertex " << g.ids[v]);
  }
}

void check_wcc(const ldbc_graph& g, bool directed,
               const std::map<std::int64_t, std::string>& want) {
  const auto csr = make_csr<std::uint32_t>(g.el, dir_of(directed));
  const auto r = tessera::weakly_connected_components(csr);
  // Same partition: equal expected labels <=> equal computed labels.
  for (std::size_t a = 0; a < g.ids.size(); ++a)
    for (std::size_t b = 0; b < g.ids.size(); ++b)
      CHECK((want.at(g.ids[a]) == want.at(g.ids[b])) == (r.component[a] == r.component[b]));
}

void check_sssp(const ldbc_graph& g, bool directed, std::int64_t source,
                const std::map<std::int64_t, std::string>& want) {
  const auto csr = make_csr<std::uint32_t, double>(g.el, dir_of(directed));
  for (auto algo : {tessera::sssp_algorithm::dijkstra, tessera::sssp_algorithm::delta_stepping}) {
    tessera::sssp_options opt;
    opt.algorithm = algo;
    const auto r = tessera::sssp(csr, static_cast<std::uint32_t>(g.index.at(source)), opt);
    for (std::size_t v = 0; v < g.ids.size(); ++v) {
      const std::string& w = want.at(g.ids[v]);
      if (w == "infinity" || w == "Infinity") {
        CHECK(std::isinf(r.distance[v]));
      } else {
        const double expect = std::stod(w);
        CHECK_MESSAGE(std::abs(r.distance[v] - expect) <= 1e-4 * std::abs(expect),
                      "vertex " << g.ids[v]);
      }
    }
  }
}

} // namespace

TEST_CASE("LDBC Graphalytics validation: BFS") {
  for (const bool directed : {true, false}) {
    const std::string name = directed ? "dir" : "undir";
    const auto in = tessera_test::shared_data(root + "bfs/" + name + "-input");
    const auto out = tessera_test::shared_data(root + "bfs/" + name + "-output");
    if (!in || !out) return;
    check_bfs(read_adjacency(*in), directed, 1, read_output(*out));
  }
}

TEST_CASE("LDBC Graphalytics validation: PageRank") {
  for (const bool directed : {true, false}) {
    const std::string name = directed ? "dir" : "undir";
    const auto in = tessera_test::shared_data(root + "pr/" + name + "-input");
    const auto out = tessera_test::shared_data(root + "pr/" + name + "-output");
    if (!in || !out) return;
    check_pr(read_adjacency(*in), directed, directed ? 14 : 26, read_output(*out));
  }
}

TEST_CASE("LDBC Graphalytics validation: WCC") {
  for (const bool directed : {true, false}) {
    const std::string name = directed ? "dir" : "undir";
    const auto in = tessera_test::shared_data(root + "wcc/" + name + "-input");
    const auto out = tessera_test::shared_data(root + "wcc/" + name + "-output");
    if (!in || !out) return;
    check_wcc(read_adjacency(*in), directed, read_output(*out));
  }
}

TEST_CASE("LDBC Graphalytics validation: SSSP") {
  for (const bool directed : {true, false}) {
    const std::string name = directed ? "dir" : "undir";
    const auto v = tessera_test::shared_data(root + "sssp/" + name + "-input.v");
    const auto e = tessera_test::shared_data(root + "sssp/" + name + "-input.e");
    const auto out = tessera_test::shared_data(root + "sssp/" + name + "-output");
    if (!v || !e || !out) return;
    auto g = read_vertex_edge(*v, *e);
    if (!directed) g.el = symmetrize(g.el);
    check_sssp(g, directed, 1, read_output(*out));
  }
}

TEST_CASE("LDBC Graphalytics validation: the example graphs (BFS, PR, WCC, SSSP)") {
  for (const bool directed : {true, false}) {
    const std::string name = root + "example/example-" + (directed ? "directed" : "undirected");
    const auto v = tessera_test::shared_data(name + ".v");
    const auto e = tessera_test::shared_data(name + ".e");
    if (!v || !e) return;
    auto g = read_vertex_edge(*v, *e);
    if (!directed) g.el = symmetrize(g.el);
    const std::int64_t source = directed ? 1 : 2;
    check_bfs(g, directed, source, read_output(*tessera_test::shared_data(name + "-BFS")));
    check_pr(g, directed, 2, read_output(*tessera_test::shared_data(name + "-PR")));
    check_wcc(g, directed, read_output(*tessera_test::shared_data(name + "-WCC")));
    check_sssp(g, directed, source, read_output(*tessera_test::shared_data(name + "-SSSP")));
  }
}
