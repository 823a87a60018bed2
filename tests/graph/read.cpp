// Readers and vertex maps: every format, every error path (with file and line), the shared
// Matrix Market corpus (loads or is rejected, never crashes), the real graphs' documented sizes,
// and LDBC's two encodings of the same graphs agreeing.
#include <tessera/graph/build.hpp>
#include <tessera/graph/read.hpp>
#include <tessera/graph/vertex_map.hpp>

#include "support/shared_data.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <unistd.h>

using namespace tessera;
namespace fs = std::filesystem;

namespace {

// A file in a private temporary directory, removed at exit of scope.
class temp_file {
public:
  explicit temp_file(const std::string& contents, const std::string& name = "graph.txt") {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("tessera_graph_read_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir_);
    path_ = (dir_ / name).string();
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~temp_file() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string sibling(const std::string& name, const std::string& contents) const {
    const auto p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << contents;
    return p;
  }
  [[nodiscard]] std::string dir() const { return dir_.string(); }

private:
  fs::path dir_;
  std::string path_;
};

// Edges as (key, key) pairs in the file's own ids.
template <class EL>
std::multiset<std::pair<std::int64_t, std::int64_t>> keyed(const EL& el) {
  std::multiset<std::pair<std::int64_t, std::int64_t>> out;
  for (std::size_t e = 0; e < el.size(); ++e)
    out.emplace(el.vertices.key(el.sources[e]), el.vertices.key(el.targets[e]));
  return out;
}

std::string message_of(const tessera::error& e) {
  return e.to_string();
}

} // namespace

TEST_CASE("vertex_map: contiguous, sorted, unsorted and string keys") {
  const auto c = vertex_map<std::int64_t>::contiguous(3, 1);
  CHECK(c.size() == 3);
  CHECK(c.key(0) == 1);
  CHECK(c.find(3) == 2u);
  CHECK(!c.find(0));
  CHECK(!c.find(4));
  CHECK(c.is_sorted());

  const auto s = vertex_map<std::int64_t>::from_keys({-5, 7, 1000000000000}).value();
  CHECK(s.is_sorted());
  CHECK(s.find(1000000000000) == 2u);
  CHECK(!s.find(8));
  const auto u = vertex_map<std::int64_t>::from_keys({9, -3, 4}).value();
  CHECK(!u.is_sorted());
  CHECK(u.find(-3) == 1u);
  CHECK(u.order_by_key() == std::vector<std::size_t>{1, 2, 0});
  CHECK(vertex_map<std::int64_t>::from_keys({1, 2, 2}).error().message() ==
        "vertex 2 appears twice");
  CHECK(vertex_map<std::int64_t>::from_keys({3, 1, 3}).error().code() == errc::invalid_argument);

  const auto names = vertex_map<std::string>::from_keys({"b", "a"}).value();
  CHECK(names.find("a") == 1u);
  CHECK(names.order_by_key() == std::vector<std::size_t>{1, 0});
  CHECK(vertex_map<std::string>::from_keys({"x", "x"}).error().message() ==
        "vertex 'x' appears twice");
}

TEST_CASE("map_vertex_keys numbers integer keys in order, strings by first appearance") {
  const std::vector<std::int64_t> s{100, -4, 100}, t{7, 100, -4};
  const auto m = map_vertex_keys<std::int64_t>(s, t);
  CHECK(m.vertices.size() == 3);
  CHECK(m.sources == std::vector<std::uint64_t>{2, 0, 2});
  CHECK(m.targets == std::vector<std::uint64_t>{1, 2, 0});
  // Sparse keys take the sorting path.
  const std::vector<std::int64_t> far{std::int64_t{1} << 50, -(std::int64_t{1} << 40)}, near{0, 0};
  const auto f = map_vertex_keys<std::int64_t>(far, near);
  CHECK(f.vertices.key(0) == -(std::int64_t{1} << 40));
  CHECK(f.sources == std::vector<std::uint64_t>{2, 0});
  const std::vector<std::string> a{"x", "y"}, b{"y", "z"};
  const auto n = map_vertex_keys<std::string>(a, b);
  CHECK(n.sources == std::vector<std::uint64_t>{0, 1});
  CHECK(n.targets == std::vector<std::uint64_t>{1, 2});
  CHECK(n.vertices.key(2) == "z");
  const std::vector<std::int64_t> none;
  CHECK(map_vertex_keys<std::int64_t>(none, none).vertices.size() == 0);
}

TEST_CASE("edge lists: whitespace, CSV, comments, weights, ids kept") {
  temp_file f("# a comment\n% another\n\n10 20 0.5\r\n20,30,1.5\n  30\t10   2\n");
  const auto el = read_edge_list<double>(f.path());
  CHECK(el.num_vertices == 3);
  CHECK(keyed(el) ==
        std::multiset<std::pair<std::int64_t, std::int64_t>>{{10, 20}, {20, 30}, {30, 10}});
  CHECK(el.weights == std::vector<double>{0.5, 1.5, 2.0});
  CHECK(el.direction == graph_direction::directed);
  const auto g = build_graph<std::uint32_t, std::uint64_t, double>(el);
  CHECK(g.num_edges() == 3);

  // Unweighted reads ignore extra columns; as-written ids keep the gaps as isolated vertices.
  read_options raw;
  raw.compact_ids = false;
  const auto plain = read_edge_list<void>(f.path(), raw);
  CHECK(plain.num_vertices == 31);
  CHECK(plain.vertices.key(30) == 30);
  raw.direction = graph_direction::undirected;
  const auto und = build_graph<std::uint32_t>(read_edge_list<void>(f.path(), raw));
  CHECK(!und.is_directed());
  CHECK(und.num_edges() == 6);

  // String ids.
  temp_file names("alice bob\nbob carol 2\n");
  const auto s = read_edge_list<void, std::string>(names.path());
  CHECK(s.num_vertices == 3);
  CHECK(s.vertices.key(s.targets[1]) == "carol");

  // Header lines and default weights.
  temp_file csv("source,target\n1,2\n2,3,4\n");
  read_options opt;
  opt.header_lines = 1;
  opt.default_weight = 1.0;
  const auto w = read_edge_list<int>(csv.path(), opt);
  CHECK(w.weights == std::vector<int>{1, 4});
}

TEST_CASE("edge lists: every error names the file, line and column") {
  const auto fails = [](const std::string& text, const read_options& opt = {}) {
    temp_file f(text);
    auto r = try_read_edge_list<double>(f.path(), opt);
    REQUIRE(!r);
    auto msg = message_of(r.error());
    CHECK(msg.find(f.path()) != std::string::npos);
    return std::pair{r.error().code(), msg.substr(f.path().size())};
  };
  CHECK(fails("1 2 3\n1 x 3\n") ==
        std::pair{errc::parse_error, std::string(":2:3: parse error: expected an integer vertex "
                                                 "id, found 'x'")});
  CHECK(fails("1\n").second == ":1:2: parse error: expected a target vertex id after the source");
  CHECK(fails("1 2 heavy\n").second ==
        ":1:5: parse error: expected a number (weight), found 'heavy'");
  CHECK(fails("1 2\n").second.find(":1:4: parse error: expected a weight") == 0);
  CHECK(fails("99999999999999999999 1 1\n").first == errc::overflow);
  read_options raw;
  raw.compact_ids = false;
  CHECK(fails("-1 2 1\n", raw).first == errc::out_of_range);
  temp_file f("1 2 300\n");
  CHECK(try_read_edge_list<std::int8_t>(f.path()).error().code() == errc::overflow);
  CHECK(try_read_edge_list<int>(f.path())->weights[0] == 300);
  auto missing = try_read_edge_list<void>("/nonexistent/graph.el");
  CHECK(missing.error().code() == errc::io_error);
  CHECK(message_of(missing.error()).find("/nonexistent/graph.el") != std::string::npos);
  CHECK(try_read_edge_list<void>(f.dir()).error().code() == errc::io_error);
  CHECK_THROWS_AS((void)read_edge_list<void>("/nonexistent"), tessera::exception);
}

TEST_CASE("empty files give empty graphs") {
  temp_file f("# nothing\n");
  const auto el = read_edge_list<void>(f.path());
  CHECK(el.num_vertices == 0);
  CHECK(build_graph<std::uint32_t>(el).num_vertices() == 0);
}

TEST_CASE_TEMPLATE("Matrix Market: fields, symmetries, declared types", W, double, float,
                   std::int64_t, int) {
  temp_file general("%%MatrixMarket matrix coordinate integer general\n% c\n3 3 3\n1 2 5\n3 1 "
                    "-2\n2 2 7\n");
  const auto g = read_matrix_market<W>(general.path());
  CHECK(g.num_vertices == 3);
  CHECK(g.vertices.key(0) == 1);
  CHECK(g.sources == std::vector<std::uint64_t>{0, 2, 1});
  CHECK(g.targets == std::vector<std::uint64_t>{1, 0, 1});
  CHECK(g.weights == std::vector<W>{W(5), W(-2), W(7)});
  CHECK(g.direction == graph_direction::directed);

  temp_file sym("%%MatrixMarket matrix coordinate real symmetric\n3 3 3\n2 1 3.0\n3 3 2\n3 2 "
                "4\n");
  const auto s = read_matrix_market<W>(sym.path());
  CHECK(s.direction == graph_direction::undirected);
  const auto sg = build_graph<std::uint32_t, std::uint64_t, W>(s);
  CHECK(sg.num_edges() == 5); // two off-diagonal entries both ways, the loop once
  CHECK(sg.weights_of(0)[0] == W(3));
  read_options directed;
  directed.direction = graph_direction::directed;
  const auto sd = read_matrix_market<W>(sym.path(), directed);
  CHECK(sd.size() == 5);

  temp_file skew("%%MatrixMarket matrix coordinate integer skew-symmetric\n3 3 1\n3 1 4\n");
  const auto k = read_matrix_market<W>(skew.path());
  CHECK(k.sources == std::vector<std::uint64_t>{2, 0});
  CHECK(k.weights == std::vector<W>{W(4), W(-4)});

  temp_file pattern("%%MatrixMarket matrix coordinate pattern general\n2 3 2\n1 3\n2 1\n");
  const auto p = read_matrix_market<W>(pattern.path());
  CHECK(p.num_vertices == 3); // max(rows, columns)
  CHECK(p.weights == std::vector<W>{W(1), W(1)});

  temp_file array("%%MatrixMarket matrix array real general\n2 2\n1\n0\n0\n3\n");
  const auto a = read_matrix_market<W>(array.path());
  CHECK(a.sources == std::vector<std::uint64_t>{0, 1});
  CHECK(a.targets == std::vector<std::uint64_t>{0, 1});
  temp_file array_sym("%%MatrixMarket matrix array real symmetric\n2 2\n1\n2\n3\n");
  const auto as = read_matrix_market<W>(array_sym.path());
  CHECK(as.sources == std::vector<std::uint64_t>{0, 1, 1});
  CHECK(as.targets == std::vector<std::uint64_t>{0, 0, 1});
}

TEST_CASE("Matrix Market: every error path, with line numbers") {
  const auto error_of = [](const std::string& text) {
    temp_file f(text, "m.mtx");
    auto r = try_read_matrix_market<double>(f.path());
    REQUIRE(!r);
    const auto msg = message_of(r.error());
    CHECK(msg.find("m.mtx") != std::string::npos);
    return msg.substr(msg.find("m.mtx") + 5);
  };
  const std::string head = "%%MatrixMarket matrix coordinate real general\n";
  CHECK(error_of("3 3 1\n1 1 1\n").find(":1:1: parse error: expected the Matrix Market banner") ==
        0);
  CHECK(error_of("%%MatrixMarket matrix\n").find("needs 4 words") != std::string::npos);
  CHECK(error_of("%%MatrixMarket tensor coordinate real general\n1 1 0\n")
            .find("unknown object 'tensor'") != std::string::npos);
  CHECK(error_of("%%MatrixMarket matrix sparse real general\n1 1 0\n").find("unknown format") !=
        std::string::npos);
  CHECK(error_of("%%MatrixMarket matrix coordinate quaternion general\n1 1 0\n")
            .find("unknown field") != std::string::npos);
  CHECK(error_of("%%MatrixMarket matrix coordinate real lopsided\n1 1 0\n")
            .find("unknown symmetry") != std::string::npos);
  CHECK(error_of("%%MatrixMarket matrix coordinate complex general\n1 1 1\n1 1 1 0\n")
            .find("unsupported: complex") != std::string::npos);
  CHECK(error_of("%%MatrixMarket matrix array pattern general\n1 1\n").find("array pattern") !=
        std::string::npos);
  CHECK(error_of(head + "3\n").find(":2:2: parse error: expected the size line") == 0);
  CHECK(error_of(head).find("expected the size line, found end of file") != std::string::npos);
  CHECK(error_of(head + "3 3 x\n").find("non-negative integer in the size line") !=
        std::string::npos);
  CHECK(error_of(head + "2 2 1\n1 3 1\n") == ":3:3: out of range: column index 3 is outside 1..2");
  CHECK(error_of(head + "2 2 1\n0 1 1\n").find("row index 0 is outside 1..2") != std::string::npos);
  CHECK(error_of(head + "2 2 1\n-1 1 1\n").find("row index -1 is outside") != std::string::npos);
  CHECK(error_of(head + "2 2 1\nx 1 1\n").find("expected a row index, found 'x'") !=
        std::string::npos);
  CHECK(error_of(head + "2 2 1\n1 1\n").find(":3:4: parse error: expected a value") == 0);
  CHECK(error_of(head + "2 2 1\n1 1 pi\n").find("expected a real value, found 'pi'") !=
        std::string::npos);
  CHECK(error_of(head + "2 2 1\n1 1 1 2\n").find("unexpected text after the entry") !=
        std::string::npos);
  CHECK(error_of(head + "2 2 2\n1 1 1\n").find("expected 2 entries, found only 1") !=
        std::string::npos);
  CHECK(error_of(head + "2 2 1\n1 1 1\n2 2 2\n").find(":4:1: parse error: more entries") == 0);
  CHECK(error_of(head + "2 2 2\n1 2 1\n1 2 5\n") ==
        ":4:1: parse error: entry (1, 2) repeats the entry of line 3 (Matrix Market files have no "
        "duplicates)");
  CHECK(error_of("%%MatrixMarket matrix coordinate real symmetric\n2 2 2\n2 1 1\n1 2 5\n")
            .find("entry (2, 1) repeats the entry of line 3") != std::string::npos);
  CHECK(error_of("%%MatrixMarket matrix coordinate real symmetric\n2 3 0\n")
            .find("must be square, this one is 2 x 3") != std::string::npos);
  CHECK(error_of("%%MatrixMarket matrix coordinate integer skew-symmetric\n2 2 1\n1 1 1\n")
            .find("no diagonal entries") != std::string::npos);
  CHECK(error_of("%%MatrixMarket matrix coordinate integer general\n%%GraphBLAS type int8_t\n2 2 "
                 "1\n1 1 -129\n") ==
        ":4:5: out of range: value -129 does not fit the declared type int8_t");
  CHECK(error_of("%%MatrixMarket matrix coordinate integer general\n%%GraphBLAS type bool\n2 2 "
                 "1\n1 1 2\n")
            .find("does not fit the declared type bool") != std::string::npos);
  CHECK(error_of("%%MatrixMarket matrix coordinate integer general\n%%GraphBLAS type gunk\n2 2 "
                 "0\n")
            .find("unknown GraphBLAS type 'gunk'") != std::string::npos);
  CHECK(error_of("%%MatrixMarket matrix coordinate integer skew-symmetric\n%%GraphBLAS type "
                 "uint8_t\n2 2 0\n")
            .find("unsigned type uint8_t") != std::string::npos);

  // Weight types: no wraparound, no silent truncation.
  temp_file big("%%MatrixMarket matrix coordinate integer general\n1 1 1\n1 1 300\n");
  CHECK(try_read_matrix_market<std::int8_t>(big.path()).error().code() == errc::overflow);
  temp_file half("%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 0.5\n");
  CHECK(try_read_matrix_market<int>(half.path()).error().code() == errc::overflow);
  temp_file skew("%%MatrixMarket matrix coordinate integer skew-symmetric\n2 2 1\n2 1 1\n");
  CHECK(try_read_matrix_market<unsigned>(skew.path()).error().code() == errc::unsupported);
  read_options keep;
  keep.reject_duplicates = false;
  temp_file dup(head + "2 2 2\n1 2 1\n1 2 5\n");
  CHECK(try_read_matrix_market<double>(dup.path(), keep)->size() == 2);
}

TEST_CASE("every file of the shared Matrix Market corpus loads or is rejected clearly") {
  const auto dir = tessera_test::shared_data("graphs/matrix-market");
  if (!dir) return;
  std::size_t loaded = 0, rejected = 0;
  for (const auto& entry : fs::directory_iterator(*dir)) {
    if (entry.path().extension() != ".mtx") continue;
    const auto name = entry.path().filename().string();
    CAPTURE(name);
    const auto as_double = try_read_matrix_market<double>(entry.path().string());
    const auto as_void = try_read_matrix_market<void>(entry.path().string());
    CHECK(as_double.has_value() == as_void.has_value());
    const bool must_fail =
        name.starts_with("mangled") || name.ends_with("_noheader.mtx") || name == "complex.mtx";
    if (as_double) {
      CHECK(!must_fail);
      ++loaded;
      // And the graph builds.
      auto g = try_build_graph<std::uint32_t, std::uint64_t, double>(*as_double);
      CHECK(g.has_value());
    } else {
      CHECK(must_fail);
      ++rejected;
      const auto msg = message_of(as_double.error());
      MESSAGE(msg);
      CHECK(msg.find(name) != std::string::npos);
      CHECK(msg.size() > name.size() + 20);
    }
  }
  CHECK(loaded > 50);
  CHECK(rejected >= 25);

  // karate: 34 vertices, 78 undirected edges.
  const auto karate =
      load_graph<std::uint32_t>((*dir / "karate.mtx").string(), graph_format::matrix_market);
  CHECK(karate.graph.num_vertices() == 34);
  CHECK(!karate.graph.is_directed());
  CHECK(karate.graph.num_edges() == 2 * 78);
}

TEST_CASE("DIMACS .gr: the format and its errors") {
  temp_file f("c comment\np sp 3 2\na 1 2 5\nc middle\na 3 1 7\n", "g.gr");
  const auto el = read_dimacs<int>(f.path());
  CHECK(el.num_vertices == 3);
  CHECK(el.sources == std::vector<std::uint64_t>{0, 2});
  CHECK(el.weights == std::vector<int>{5, 7});
  CHECK(el.vertices.key(2) == 3);
  const auto error_of = [](const std::string& text) {
    temp_file g(text, "g.gr");
    auto r = try_read_dimacs<double>(g.path());
    REQUIRE(!r);
    const auto msg = message_of(r.error());
    return msg.substr(msg.find("g.gr") + 4);
  };
  CHECK(error_of("a 1 2 3\n") == ":1:1: parse error: an arc before the problem line 'p sp n m'");
  CHECK(error_of("p sp 2 1\np sp 2 1\n").find("a second problem line") != std::string::npos);
  CHECK(error_of("p sp 2 1\na 1 3 1\n") == ":2:5: out of range: vertex 3 is outside 1..2");
  CHECK(error_of("p sp 2 1\na 0 1 1\n").find("vertex 0 is outside") != std::string::npos);
  CHECK(error_of("p sp 2 2\na 1 2 1\n").find("expected 2 arcs, found 1") != std::string::npos);
  CHECK(error_of("p sp 2 0\na 1 2 1\n").find("more arcs than the 0") != std::string::npos);
  CHECK(error_of("p sp 2 1\nx 1 2 1\n").find("expected a line starting with") != std::string::npos);
  CHECK(error_of("p sp 2 1\na 1 2\n").find("expected the arc's weight") != std::string::npos);
  CHECK(error_of("p sp 2 1\na 1 2 w\n").find("found 'w'") != std::string::npos);
  CHECK(error_of("p sp x 1\n").find("expected 'p sp <vertices> <arcs>'") != std::string::npos);
  CHECK(error_of("c only comments\n").find("no problem line") != std::string::npos);
}

TEST_CASE("LDBC: .v/.e with properties, and the adjacency form") {
  temp_file v("10\n30\n20\n", "g.v");
  (void)v.sibling("g.e", "10 20 0.5\n30 10 1.5\n");
  (void)v.sibling("g.properties", "graph.g.directed = false\n");
  const std::string prefix = v.dir() + "/g";
  const auto el = read_ldbc<double>(prefix);
  CHECK(el.num_vertices == 3);
  CHECK(el.direction == graph_direction::undirected);
  CHECK(el.vertices.key(1) == 20);
  CHECK(keyed(el) == std::multiset<std::pair<std::int64_t, std::int64_t>>{{10, 20}, {30, 10}});
  const auto g = build_graph<std::uint32_t, std::uint64_t, double>(el);
  CHECK(g.num_edges() == 4);
  read_options directed;
  directed.direction = graph_direction::directed;
  CHECK(read_ldbc<double>(prefix, directed).direction == graph_direction::directed);
  CHECK(try_read_graph_file<void>(prefix + ".v", guess_graph_format(prefix + ".e")).has_value());

  (void)v.sibling("bad.v", "1\n2\n");
  (void)v.sibling("bad.e", "1 2\n2 3\n");
  const auto bad = try_read_ldbc<void>(v.dir() + "/bad");
  CHECK(bad.error().code() == errc::not_found);
  CHECK(message_of(bad.error()).find("bad.e:2:3: not found: vertex 3 is not in") !=
        std::string::npos);
  CHECK(try_read_ldbc<double>(v.dir() + "/bad").error().message().find("expected a weight") !=
        std::string::npos);
  (void)v.sibling("dup.v", "1\n1\n");
  (void)v.sibling("dup.e", "");
  CHECK(try_read_ldbc<void>(v.dir() + "/dup").error().message() == "vertex 1 is listed twice");
  CHECK(try_read_ldbc<void>(v.dir() + "/absent").error().code() == errc::io_error);

  temp_file adj("1 2 3\n2\n3 1\n7\n", "x-input");
  CHECK(guess_graph_format(adj.path()) == graph_format::adjacency_list);
  const auto a = read_adjacency_list<void>(adj.path());
  CHECK(a.num_vertices == 4); // 7 has a line and no edges
  CHECK(keyed(a) == std::multiset<std::pair<std::int64_t, std::int64_t>>{{1, 2}, {1, 3}, {3, 1}});
}

TEST_CASE("LDBC example graphs: the .v/.e and adjacency encodings agree") {
  const auto dir = tessera_test::shared_data("graphs/ldbc-graphalytics/example");
  if (!dir) return;
  for (const std::string name : {"example-directed", "example-undirected"}) {
    CAPTURE(name);
    const auto ve = read_ldbc<double>((*dir / name).string());
    const bool undirected = name == "example-undirected";
    CHECK(ve.direction == (undirected ? graph_direction::undirected : graph_direction::directed));
    read_options opt;
    opt.direction = ve.direction;
    const auto adj = read_adjacency_list<void>((*dir / (name + "-input")).string(), opt);
    CHECK(adj.num_vertices == ve.num_vertices);
    // Both graphs as keyed arcs.
    const auto g1 = build_graph<std::uint32_t>(ve);
    const auto g2 = build_graph<std::uint32_t>(adj);
    CHECK(g1.num_edges() == g2.num_edges());
    std::multiset<std::pair<std::int64_t, std::int64_t>> a1, a2;
    for (std::size_t u = 0; u < g1.num_vertices(); ++u)
      for (auto t : g1.targets_of(u)) a1.emplace(ve.vertices.key(u), ve.vertices.key(t));
    for (std::size_t u = 0; u < g2.num_vertices(); ++u)
      for (auto t : g2.targets_of(u)) a2.emplace(adj.vertices.key(u), adj.vertices.key(t));
    CHECK(a1 == a2);
  }
  const auto props = (*dir / "example-directed.properties").string();
  CHECK(read_ldbc<void>((*dir / "example-directed").string()).num_vertices == 10);
  CHECK(fs::exists(props));
}

TEST_CASE("the real graphs load with their documented sizes") {
  struct expect {
    const char* file;
    graph_format format;
    std::size_t vertices;
    std::size_t edges; // lines / arcs in the file
  };
  const expect graphs[] = {
      {"facebook_combined.txt", graph_format::edge_list, 4039, 88234},
      {"Wiki-Vote.txt", graph_format::edge_list, 7115, 103689},
      {"ca-GrQc.txt", graph_format::edge_list, 4158, 13428},
      {"USPowerGrid.txt", graph_format::edge_list, 4941, 6594},
      {"luxembourg_osm.el", graph_format::edge_list, 114599, 119666},
      {"rome99.gr", graph_format::dimacs, 3353, 8870},
  };
  for (const auto& x : graphs) {
    CAPTURE(x.file);
    const auto path = tessera_test::shared_data(std::string("graphs/real/") + x.file);
    if (!path) continue;
    CHECK(guess_graph_format(path->string()) == x.format);
    read_options unit;
    unit.default_weight = 1.0;
    const auto el = try_read_graph_file<double>(path->string(), x.format, unit).value();
    CHECK(el.num_vertices == x.vertices);
    CHECK(el.size() == x.edges);
    const auto g = build_graph<std::uint32_t, std::uint64_t, double>(el);
    CHECK(g.num_vertices() == x.vertices);
    CHECK(g.num_edges() == x.edges);
    // Undirected, simplified: every edge both ways, no loops, no duplicates.
    build_options simple;
    simple.drop_self_loops = true;
    simple.duplicates = duplicate_policy::min;
    simple.sort_neighbors = true;
    read_options und;
    und.direction = graph_direction::undirected;
    const auto lg = load_graph<std::uint32_t>(path->string(), x.format, und, simple);
    CHECK(!lg.graph.is_directed());
    CHECK(lg.graph.num_edges() % 2 == 0);
    CHECK(lg.graph.num_edges() <= 2 * x.edges);
  }
}
