#include <tessera/exec/executor.hpp>

#include <doctest/doctest.h>

namespace exec = tessera::exec;

TEST_CASE("dag smoke") {
  exec::task_graph g;
  auto a = g.add("a", [] { return 20; });
  auto b = g.add(
      "b", [](const int& x) { return x + 1; }, a);
  auto c = g.add(
      "c", [](exec::node_context&, const int& x, const int& y) { return x + y; }, a, b);
  exec::executor ex({.cpu_threads = 2});
  auto r = ex.run(g);
  CHECK(r.report.ok());
  CHECK(r.get(c) == 41);
}
