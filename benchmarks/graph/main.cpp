// The one main() of tessera_bench_graph (every benchmarks/graph/*.cpp registers benchmarks).
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
