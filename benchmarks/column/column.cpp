// Column kernels beside plain scalar loops on the same data, one binary, single thread.
//
// Sizes: 100M elements for reductions, comparisons, filter and group-by; a 10M x 1M join; sort on
// 10M rows (100M would take minutes per iteration). Bytes/s counts the bytes of input read.
// Environment: TESSERA_BENCH_ROWS overrides the 100M (e.g. for a quick run);
// TESSERA_BENCH_EXPORT=DIR first writes the group-by and join inputs as CSV (DIR/group.csv with
// columns k100,k1m,v; DIR/join_left.csv k,a; DIR/join_right.csv k,b) so that the peer script
// (benchmarks/peers) runs DuckDB on exactly these values.
#include <tessera/column/builder.hpp>
#include <tessera/column/compare.hpp>
#include <tessera/column/filter.hpp>
#include <tessera/column/group_by.hpp>
#include <tessera/column/join.hpp>
#include <tessera/column/reduce.hpp>
#include <tessera/column/sort.hpp>
#include <tessera/column/statistics.hpp>
#include <tessera/io/csv.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

std::size_t rows() {
  static const std::size_t n = [] {
    if (const char* e = std::getenv("TESSERA_BENCH_ROWS"))
      return static_cast<std::size_t>(std::strtoull(e, nullptr, 10));
    return std::size_t{100'000'000};
  }();
  return n;
}

template <class T>
const tessera::column& data(std::size_t n, std::uint64_t modulo = 1'000'000) {
  static std::unordered_map<std::size_t, tessera::column> cache;
  auto it = cache.find(n * 1000003 + modulo);
  if (it != cache.end()) return it->second;
  tessera::aligned_buffer<T> v(n, tessera::uninitialized);
  std::mt19937_64 rng(42);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<T>(rng() % modulo);
  tessera::primitive_builder<T> b;
  b.append(v.span());
  return cache.emplace(n * 1000003 + modulo, b.finish()).first->second;
}

void items(benchmark::State& st, std::size_t n) {
  st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()) * static_cast<std::int64_t>(n));
}
template <class T>
void bytes(benchmark::State& st, std::size_t n) {
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations()) *
                       static_cast<std::int64_t>(n * sizeof(T)));
}

// ---------------------------------------------------------------------------------------------
// the machine's single-core read bandwidth: XOR of every 64-bit word of the 100M int64 column
// (four independent accumulators, vectorized by the compiler), the ceiling for the reductions

void BM_read_bandwidth(benchmark::State& st) {
  const auto v = data<std::int64_t>(rows()).view<std::int64_t>();
  for (auto _ : st) {
    std::uint64_t a = 0, b = 0, c = 0, d = 0;
    std::size_t i = 0;
    for (; i + 4 <= v.size; i += 4) {
      a ^= static_cast<std::uint64_t>(v.data[i]);
      b ^= static_cast<std::uint64_t>(v.data[i + 1]);
      c ^= static_cast<std::uint64_t>(v.data[i + 2]);
      d ^= static_cast<std::uint64_t>(v.data[i + 3]);
    }
    for (; i < v.size; ++i) a ^= static_cast<std::uint64_t>(v.data[i]);
    benchmark::DoNotOptimize(a ^ b ^ c ^ d);
  }
  bytes<std::int64_t>(st, rows());
}

// ---------------------------------------------------------------------------------------------
// min/max (statistics kernel) and sum

template <class T>
void BM_minmax_tessera(benchmark::State& st) {
  const auto v = data<T>(rows()).template view<T>();
  for (auto _ : st) benchmark::DoNotOptimize(tessera::compute_statistics(v));
  bytes<T>(st, rows());
}
template <class T>
void BM_minmax_plain(benchmark::State& st) {
  const auto v = data<T>(rows()).template view<T>();
  for (auto _ : st) {
    T lo = v.data[0], hi = v.data[0];
    for (std::size_t i = 0; i < v.size; ++i) {
      lo = std::min(lo, v.data[i]);
      hi = std::max(hi, v.data[i]);
    }
    benchmark::DoNotOptimize(lo);
    benchmark::DoNotOptimize(hi);
  }
  bytes<T>(st, rows());
}
template <class T>
void BM_sum_tessera(benchmark::State& st) {
  const auto v = data<T>(rows()).template view<T>();
  for (auto _ : st) benchmark::DoNotOptimize(tessera::sum(v));
  bytes<T>(st, rows());
}
template <class T>
void BM_sum_plain(benchmark::State& st) {
  const auto v = data<T>(rows()).template view<T>();
  for (auto _ : st) {
    tessera::sum_t<T> s = 0;
    for (std::size_t i = 0; i < v.size; ++i) s += v.data[i];
    benchmark::DoNotOptimize(s);
  }
  bytes<T>(st, rows());
}

// ---------------------------------------------------------------------------------------------
// comparison to bitmap

template <class T>
void BM_compare_tessera(benchmark::State& st) {
  const auto v = data<T>(rows()).template view<T>();
  for (auto _ : st)
    benchmark::DoNotOptimize(tessera::compare(v, tessera::compare_op::lt, T(500'000)));
  bytes<T>(st, rows());
}
template <class T>
void BM_compare_plain(benchmark::State& st) {
  const auto v = data<T>(rows()).template view<T>();
  for (auto _ : st) {
    tessera::bitmap out(v.size);
    auto w = out.words();
    for (std::size_t i = 0; i < v.size; ++i)
      w[i / 64] |= static_cast<std::uint64_t>(v.data[i] < T(500'000)) << (i % 64);
    benchmark::DoNotOptimize(out.data());
  }
  bytes<T>(st, rows());
}

// ---------------------------------------------------------------------------------------------
// filter compaction (50 % selected, random)

template <class T>
void BM_filter_tessera(benchmark::State& st) {
  const auto& c = data<T>(rows());
  const tessera::bitmap sel =
      tessera::compare(c.template view<T>(), tessera::compare_op::lt, T(500'000));
  for (auto _ : st) benchmark::DoNotOptimize(tessera::filter(c, sel));
  bytes<T>(st, rows());
}
template <class T>
void BM_filter_plain(benchmark::State& st) {
  const auto& c = data<T>(rows());
  const auto v = c.template view<T>();
  const tessera::bitmap sel = tessera::compare(v, tessera::compare_op::lt, T(500'000));
  for (auto _ : st) {
    std::vector<T> out;
    out.reserve(sel.count());
    for (std::size_t i = 0; i < v.size; ++i)
      if (sel[i]) out.push_back(v.data[i]);
    benchmark::DoNotOptimize(out.data());
  }
  bytes<T>(st, rows());
}

// ---------------------------------------------------------------------------------------------
// group-by: int64 key (100 or 1M distinct), sum of a double column

const tessera::table& group_table(std::uint64_t keys) {
  static std::unordered_map<std::uint64_t, tessera::table> cache;
  auto it = cache.find(keys);
  if (it != cache.end()) return it->second;
  return cache
      .emplace(keys, tessera::table::from_columns(
                         {{"k", data<std::int64_t>(rows(), keys)}, {"v", data<double>(rows())}})
                         .value())
      .first->second;
}
void BM_group_by_tessera(benchmark::State& st) {
  const auto& t = group_table(static_cast<std::uint64_t>(st.range(0)));
  const std::vector<std::string> keys = {"k"};
  const tessera::aggregate aggs[] = {{tessera::aggregate_kind::sum, "v", ""}};
  for (auto _ : st) benchmark::DoNotOptimize(tessera::group_by(t, keys, aggs));
  items(st, rows());
}
void BM_group_by_unordered_map(benchmark::State& st) {
  const auto& t = group_table(static_cast<std::uint64_t>(st.range(0)));
  const auto k = t.at("k").view<std::int64_t>();
  const auto v = t.at("v").view<double>();
  for (auto _ : st) {
    std::unordered_map<std::int64_t, double> sums;
    for (std::size_t i = 0; i < k.size; ++i) sums[k.data[i]] += v.data[i];
    benchmark::DoNotOptimize(sums.size());
  }
  items(st, rows());
}

// ---------------------------------------------------------------------------------------------
// hash join: 10M probe rows x 1M build rows, int64 keys, inner

struct join_data {
  tessera::table left, right;
};
const join_data& join_tables() {
  static const join_data d = [] {
    const std::size_t nl = std::min<std::size_t>(rows(), 10'000'000), nr = nl / 10;
    tessera::aligned_buffer<std::int64_t> lk(nl), rk(nr), lv(nl), rv(nr);
    std::mt19937_64 rng(7);
    for (std::size_t i = 0; i < nr; ++i)
      rk[i] = static_cast<std::int64_t>(i), rv[i] = static_cast<std::int64_t>(i);
    for (std::size_t i = 0; i < nl; ++i)
      lk[i] = static_cast<std::int64_t>(rng() % (2 * nr)), lv[i] = static_cast<std::int64_t>(i);
    const auto col = [](const tessera::aligned_buffer<std::int64_t>& b) {
      return tessera::make_column(b.span());
    };
    return join_data{tessera::table::from_columns({{"k", col(lk)}, {"a", col(lv)}}).value(),
                     tessera::table::from_columns({{"k", col(rk)}, {"b", col(rv)}}).value()};
  }();
  return d;
}
void join_bench(benchmark::State& st) {
  const auto& d = join_tables();
  const std::vector<std::string> keys = {"k"};
  for (auto _ : st)
    benchmark::DoNotOptimize(tessera::join(d.left, d.right, keys, tessera::join_kind::inner));
  items(st, d.left.num_rows() + d.right.num_rows());
}
// One thread, as the other single-thread rows of the table (the join's loops are parallel).
void BM_join_tessera(benchmark::State& st) {
  const tessera::thread_limit_scope one(1);
  join_bench(st);
}
// Every hardware thread (set_num_threads' default).
void BM_join_tessera_all_threads(benchmark::State& st) {
  join_bench(st);
}
void BM_join_unordered_map(benchmark::State& st) {
  const auto& d = join_tables();
  const auto lk = d.left.at("k").view<std::int64_t>(), la = d.left.at("a").view<std::int64_t>();
  const auto rk = d.right.at("k").view<std::int64_t>(), rb = d.right.at("b").view<std::int64_t>();
  for (auto _ : st) {
    std::unordered_multimap<std::int64_t, std::size_t> build;
    build.reserve(rk.size);
    for (std::size_t j = 0; j < rk.size; ++j) build.emplace(rk.data[j], j);
    std::vector<std::int64_t> out_k, out_a, out_b;
    for (std::size_t i = 0; i < lk.size; ++i) {
      auto [b, e] = build.equal_range(lk.data[i]);
      for (; b != e; ++b) {
        out_k.push_back(lk.data[i]);
        out_a.push_back(la.data[i]);
        out_b.push_back(rb.data[b->second]);
      }
    }
    benchmark::DoNotOptimize(out_b.data());
  }
  items(st, d.left.num_rows() + d.right.num_rows());
}

// ---------------------------------------------------------------------------------------------
// sort (argsort of one double column, 10M rows)

void BM_argsort_tessera(benchmark::State& st) {
  const auto& c = data<double>(std::min<std::size_t>(rows(), 10'000'000));
  for (auto _ : st) benchmark::DoNotOptimize(tessera::argsort(c));
  items(st, c.size());
}
void BM_argsort_std_stable_sort(benchmark::State& st) {
  const auto& c = data<double>(std::min<std::size_t>(rows(), 10'000'000));
  const double* v = c.view<double>().data;
  for (auto _ : st) {
    std::vector<std::size_t> idx(c.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(),
                     [v](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    benchmark::DoNotOptimize(idx.data());
  }
  items(st, c.size());
}

} // namespace

#define TESSERA_BENCH(f) BENCHMARK(f)->Unit(benchmark::kMillisecond)->MinTime(1.0)
TESSERA_BENCH(BM_read_bandwidth);
TESSERA_BENCH(BM_minmax_tessera<double>);
TESSERA_BENCH(BM_minmax_plain<double>);
TESSERA_BENCH(BM_minmax_tessera<std::int32_t>);
TESSERA_BENCH(BM_minmax_plain<std::int32_t>);
TESSERA_BENCH(BM_sum_tessera<double>);
TESSERA_BENCH(BM_sum_plain<double>);
TESSERA_BENCH(BM_sum_tessera<std::int32_t>);
TESSERA_BENCH(BM_sum_plain<std::int32_t>);
TESSERA_BENCH(BM_compare_tessera<double>);
TESSERA_BENCH(BM_compare_plain<double>);
TESSERA_BENCH(BM_compare_tessera<std::int32_t>);
TESSERA_BENCH(BM_compare_plain<std::int32_t>);
TESSERA_BENCH(BM_filter_tessera<double>);
TESSERA_BENCH(BM_filter_plain<double>);
TESSERA_BENCH(BM_group_by_tessera)->Arg(100)->Arg(1'000'000);
TESSERA_BENCH(BM_group_by_unordered_map)->Arg(100)->Arg(1'000'000);
TESSERA_BENCH(BM_join_tessera);
TESSERA_BENCH(BM_join_tessera_all_threads)->UseRealTime();
TESSERA_BENCH(BM_join_unordered_map);
TESSERA_BENCH(BM_argsort_tessera);
TESSERA_BENCH(BM_argsort_std_stable_sort);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (const char* dir = std::getenv("TESSERA_BENCH_EXPORT")) {
    const std::filesystem::path d(dir);
    std::filesystem::create_directories(d);
    const tessera::csv::write_options o{.line_end = "\n"};
    tessera::csv::write(*tessera::table::from_columns({{"k100", group_table(100).at("k")},
                                                       {"k1m", group_table(1'000'000).at("k")},
                                                       {"v", group_table(100).at("v")}}),
                        d / "group.csv", o);
    tessera::csv::write(join_tables().left, d / "join_left.csv", o);
    tessera::csv::write(join_tables().right, d / "join_right.csv", o);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
