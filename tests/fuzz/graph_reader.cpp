// libFuzzer harness: the graph readers (edge list with integer or named ids, Matrix Market,
// DIMACS .gr, LDBC .v/.e/.properties, LDBC adjacency lists). Byte 0 chooses the reader, byte 1
// the options and the weight type; the rest is the file (for LDBC: the .v text, then after a
// NUL byte the .e text, then after another NUL the .properties text). The readers take paths,
// so the input goes through files in a private temporary directory. Checked properties: a read
// either fails with an error or gives an edge list whose ids are all below its vertex count,
// with one weight per edge, which then builds into a graph.
#include <tessera/graph/build.hpp>
#include <tessera/graph/read.hpp>

#include "fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <unistd.h>

namespace {

const std::string& directory() {
  static const std::string dir = [] {
    std::string d = (std::filesystem::temp_directory_path() / "tessera-fuzz-graph-").string() +
                    std::to_string(::getpid());
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

void put(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

template <class W, class Key>
void check_edges(const tessera::expected<tessera::edge_list<W, Key>>& r) {
  if (!r) return;
  const auto& e = *r;
  TESSERA_FUZZ_CHECK(e.sources.size() == e.targets.size());
  if constexpr (!std::is_void_v<W>) TESSERA_FUZZ_CHECK(e.weights.size() == e.sources.size());
  for (std::size_t i = 0; i < e.size(); ++i)
    TESSERA_FUZZ_CHECK(e.sources[i] < e.num_vertices && e.targets[i] < e.num_vertices);
  TESSERA_FUZZ_CHECK(e.vertices.size() == e.num_vertices);
  // Building allocates per vertex: a tiny file may declare four billion isolated vertices.
  if (e.num_vertices > (1u << 20)) return;
  auto g = tessera::try_build_graph<std::uint32_t, std::uint64_t, W>(e);
  TESSERA_FUZZ_CHECK(g.has_value());
  TESSERA_FUZZ_CHECK(g->num_vertices() == e.num_vertices);
}

template <class W>
void read_all(std::uint8_t which, std::string_view text, const tessera::read_options& o) {
  const std::string base = directory() + "/g";
  switch (which % 6) {
  case 0:
    put(base, text);
    return check_edges(tessera::try_read_edge_list<W>(base, o));
  case 1:
    put(base, text);
    return check_edges(tessera::try_read_edge_list<W, std::string>(base, o));
  case 2:
    put(base, text);
    return check_edges(tessera::try_read_matrix_market<W>(base, o));
  case 3:
    put(base, text);
    return check_edges(tessera::try_read_dimacs<W>(base, o));
  case 4: {
    const std::size_t a = std::min(text.find('\0'), text.size());
    const std::string_view rest = text.substr(std::min(a + 1, text.size()));
    const std::size_t b = std::min(rest.find('\0'), rest.size());
    put(base + ".v", text.substr(0, a));
    put(base + ".e", rest.substr(0, b));
    std::error_code ec;
    if (b < rest.size())
      put(base + ".properties", rest.substr(b + 1));
    else
      std::filesystem::remove(base + ".properties", ec);
    return check_edges(tessera::try_read_ldbc<W>(base, o));
  }
  default:
    put(base, text);
    return check_edges(tessera::try_read_adjacency_list<W>(base, o));
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t which = data[0], flags = data[1];
  const std::string_view text(reinterpret_cast<const char*>(data) + 2, size - 2);
  tessera::read_options o;
  if (flags & 3)
    o.direction = (flags & 3) == 1 ? tessera::graph_direction::directed
                                   : tessera::graph_direction::undirected;
  if (flags & 4) o.default_weight = 2.5;
  o.compact_ids = (flags & 8) == 0;
  o.header_lines = (flags >> 4) & 1;
  o.reject_duplicates = (flags & 32) == 0;
  switch (flags >> 6) {
  case 0:
    read_all<void>(which, text, o);
    break;
  case 1:
    read_all<double>(which, text, o);
    break;
  case 2:
    read_all<std::int32_t>(which, text, o);
    break;
  default:
    read_all<std::uint8_t>(which, text, o);
    break;
  }
  return 0;
}
