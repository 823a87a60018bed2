// tessera: the umbrella header for every part that needs only the standard library (OpenMP is
// used when enabled): core, graphs, graph algorithms and the executor. The column kernels
// (xsimd) and the file formats (zstd) are separate components with their own headers.
#pragma once

#include <tessera/config.hpp>
#include <tessera/version.hpp>

#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/concepts.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/core/progress.hpp>

#include <tessera/graph/build.hpp>
#include <tessera/graph/compressed_graph.hpp>
#include <tessera/graph/concepts.hpp>
#include <tessera/graph/generate.hpp>
#include <tessera/graph/read.hpp>
#include <tessera/graph/vertex_map.hpp>

#include <tessera/algorithm/betweenness.hpp>
#include <tessera/algorithm/bfs.hpp>
#include <tessera/algorithm/cdlp.hpp>
#include <tessera/algorithm/components.hpp>
#include <tessera/algorithm/dfs.hpp>
#include <tessera/algorithm/lcc.hpp>
#include <tessera/algorithm/pagerank.hpp>
#include <tessera/algorithm/sssp.hpp>
#include <tessera/algorithm/topological_sort.hpp>
#include <tessera/algorithm/triangle_count.hpp>

#include <tessera/exec/clock.hpp>
#include <tessera/exec/executor.hpp>
#include <tessera/exec/task.hpp>
#include <tessera/exec/task_graph.hpp>
#include <tessera/exec/thread_pool.hpp>
