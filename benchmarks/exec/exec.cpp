// tessera's executor beside oneTBB's flow graph on the same graph shapes, 2 threads each.
//
//   cmake --build build/bench --target tessera_bench_exec &&
//   build/bench/benchmarks/exec/tessera_bench_exec
//
// Graphs are built once, outside the timed loop; each iteration runs the graph and waits.
// ns_per_task = wall time / tasks (UseRealTime: the work runs on two threads). tessera runs with
// timings off (no clock reads per node) except in the *_timed rows; TBB records nothing.
#include <tessera/exec/executor.hpp>

#include <benchmark/benchmark.h>
#include <tbb/flow_graph.h>
#include <tbb/global_control.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace exec = tessera::exec;

namespace {

constexpr int threads = 2;

void spin_for(std::chrono::microseconds d) {
  const auto end = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < end) {
  }
}

enum class shape { chain, fan, tree, steps, small };

std::size_t task_count(shape s, std::size_t n) {
  switch (s) {
  case shape::chain:
  case shape::steps:
    return n;
  case shape::fan:
    return n + 2;
  case shape::tree:
    return (std::size_t{1} << n) - 1;
  case shape::small:
    return 10;
  }
  return 0;
}

// --------------------------------------------------------------------------------------------
// tessera
void build_tessera(exec::task_graph& g, shape s, std::size_t n) {
  const auto work = [s] {
    if (s == shape::steps) spin_for(std::chrono::milliseconds(1));
  };
  using handle = exec::node<void>;
  switch (s) {
  case shape::chain:
  case shape::steps: {
    handle prev = g.add("0", work);
    for (std::size_t i = 1; i < n; ++i) prev = g.add(std::to_string(i), work).after(prev);
    break;
  }
  case shape::fan:
  case shape::small: {
    const std::size_t mid = s == shape::small ? 8 : n;
    handle src = g.add("src", work);
    handle sink = g.add("sink", work);
    for (std::size_t i = 0; i < mid; ++i) {
      handle m = g.add(std::to_string(i), work).after(src);
      sink.after(m);
    }
    break;
  }
  case shape::tree: {
    std::vector<handle> level{g.add("r", work)};
    for (std::size_t d = 1; d < n; ++d) {
      std::vector<handle> next;
      for (auto& p : level)
        for (int c = 0; c < 2; ++c)
          next.push_back(
              g.add(std::to_string(d) + "." + std::to_string(next.size()), work).after(p));
      level = std::move(next);
    }
    break;
  }
  }
  if (!g.validate()) std::abort();
}

void tessera_graph(benchmark::State& state, shape s, bool timings) {
  const auto n = static_cast<std::size_t>(state.range(0));
  exec::executor_options o;
  o.cpu_threads = threads; // one worker + the thread that waits in run()
  exec::executor ex(o);
  exec::task_graph g;
  build_tessera(g, s, n);
  exec::run_options ro;
  ro.timings = timings;
  for (auto _ : state) {
    auto r = ex.run(g, ro);
    if (!r.ok()) state.SkipWithError("run failed");
    benchmark::DoNotOptimize(r);
  }
  state.counters["ns_per_task"] = benchmark::Counter(static_cast<double>(task_count(s, n)) * 1e-9,
                                                     benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
}

// --------------------------------------------------------------------------------------------
// oneTBB flow graph
struct tbb_graph {
  tbb::flow::graph g;
  std::vector<std::unique_ptr<tbb::flow::continue_node<tbb::flow::continue_msg>>> nodes;
  tbb::flow::continue_node<tbb::flow::continue_msg>* root = nullptr;
};

void build_tbb(tbb_graph& t, shape s, std::size_t n) {
  using node_t = tbb::flow::continue_node<tbb::flow::continue_msg>;
  const auto add = [&] {
    t.nodes.push_back(std::make_unique<node_t>(t.g, [s](const tbb::flow::continue_msg&) {
      if (s == shape::steps) spin_for(std::chrono::milliseconds(1));
    }));
    return t.nodes.back().get();
  };
  switch (s) {
  case shape::chain:
  case shape::steps: {
    node_t* prev = t.root = add();
    for (std::size_t i = 1; i < n; ++i) {
      node_t* cur = add();
      tbb::flow::make_edge(*prev, *cur);
      prev = cur;
    }
    break;
  }
  case shape::fan:
  case shape::small: {
    const std::size_t mid = s == shape::small ? 8 : n;
    node_t* src = t.root = add();
    node_t* sink = add();
    for (std::size_t i = 0; i < mid; ++i) {
      node_t* m = add();
      tbb::flow::make_edge(*src, *m);
      tbb::flow::make_edge(*m, *sink);
    }
    break;
  }
  case shape::tree: {
    std::vector<node_t*> level{t.root = add()};
    for (std::size_t d = 1; d < n; ++d) {
      std::vector<node_t*> next;
      for (auto* p : level)
        for (int c = 0; c < 2; ++c) {
          node_t* ch = add();
          tbb::flow::make_edge(*p, *ch);
          next.push_back(ch);
        }
      level = std::move(next);
    }
    break;
  }
  }
}

void tbb_flow(benchmark::State& state, shape s) {
  const auto n = static_cast<std::size_t>(state.range(0));
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  tbb_graph t;
  build_tbb(t, s, n);
  for (auto _ : state) {
    t.root->try_put(tbb::flow::continue_msg());
    t.g.wait_for_all();
  }
  state.counters["ns_per_task"] = benchmark::Counter(static_cast<double>(task_count(s, n)) * 1e-9,
                                                     benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
}

} // namespace

BENCHMARK_CAPTURE(tessera_graph, chain, shape::chain, false)
    ->Arg(10)
    ->Arg(1000)
    ->Arg(100000)
    ->UseRealTime();
BENCHMARK_CAPTURE(tbb_flow, chain, shape::chain)->Arg(10)->Arg(1000)->Arg(100000)->UseRealTime();
BENCHMARK_CAPTURE(tessera_graph, chain_timed, shape::chain, true)->Arg(1000)->UseRealTime();
BENCHMARK_CAPTURE(tessera_graph, fan_out_in, shape::fan, false)->Arg(100000)->UseRealTime();
BENCHMARK_CAPTURE(tbb_flow, fan_out_in, shape::fan)->Arg(100000)->UseRealTime();
BENCHMARK_CAPTURE(tessera_graph, fan_out_in_timed, shape::fan, true)->Arg(100000)->UseRealTime();
BENCHMARK_CAPTURE(tessera_graph, binary_tree, shape::tree, false)->Arg(16)->UseRealTime();
BENCHMARK_CAPTURE(tbb_flow, binary_tree, shape::tree)->Arg(16)->UseRealTime();
BENCHMARK_CAPTURE(tessera_graph, steps_1ms, shape::steps, true)
    ->Arg(10)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(tbb_flow, steps_1ms, shape::steps)
    ->Arg(10)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(tessera_graph, run_and_wait_10, shape::small, false)->Arg(10)->UseRealTime();
BENCHMARK_CAPTURE(tessera_graph, run_and_wait_10_timed, shape::small, true)->Arg(10)->UseRealTime();
BENCHMARK_CAPTURE(tbb_flow, run_and_wait_10, shape::small)->Arg(10)->UseRealTime();

BENCHMARK_MAIN();
