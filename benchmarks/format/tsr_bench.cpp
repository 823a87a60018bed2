// .tsr write and read throughput on 10M rows x 8 columns (int64 ids, int32, double, timestamps,
// bool, low- and high-cardinality strings, nullable double), and the file size; the raw column
// bytes can be dumped (TESSERA_TSR_RAW=path) for the zstd command-line ceiling
// (benchmarks/format/run.sh does all of it), and the table as CSV (TESSERA_TSR_CSV=path) for the
// peers in benchmarks/peers, which load exactly these values.
//
//   TESSERA_TSR_ROWS=10000000 build/.../tessera_bench_format --benchmark_min_time=1
#include <tessera/column/builder.hpp>
#include <tessera/io/csv.hpp>
#include <tessera/io/tsr.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>

namespace {
using namespace tessera;

std::size_t bench_rows() {
  const char* s = std::getenv("TESSERA_TSR_ROWS");
  return s ? static_cast<std::size_t>(std::strtoull(s, nullptr, 10)) : 10'000'000;
}

const table& dataset() {
  static const table t = [] {
    const std::size_t n = bench_rows();
    std::mt19937_64 rng(2024);
    primitive_builder<std::int64_t> id, ts(timestamp_type(time_unit::millisecond));
    primitive_builder<std::int32_t> i32;
    primitive_builder<double> dbl, ndbl;
    bool_builder flag;
    basic_string_builder<std::int32_t> low, high;
    id.reserve(n), ts.reserve(n), i32.reserve(n), dbl.reserve(n), ndbl.reserve(n);
    static const char* cities[16] = {
        "Amsterdam", "Berlin",  "Cairo", "Delhi", "Edinburgh", "Florence", "Geneva", "Hanoi",
        "Istanbul",  "Jakarta", "Kyoto", "Lima",  "Madrid",    "Nairobi",  "Oslo",   "Paris"};
    std::int64_t t0 = 1'700'000'000'000;
    char buf[32];
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t r = rng();
      id.append(static_cast<std::int64_t>(i));
      t0 += static_cast<std::int64_t>(r % 1000);
      ts.append(t0);
      i32.append(static_cast<std::int32_t>(r >> 40) % 1'000'000);
      dbl.append(static_cast<double>(rng() >> 11) * 0x1.0p-53 * 1000.0);
      flag.append((r >> 20) % 3 == 0);
      low.append(cities[(r >> 24) % 16]);
      std::snprintf(buf, sizeof buf, "user-%016llx", static_cast<unsigned long long>(rng()));
      high.append(buf);
      if ((r >> 30) % 5 == 0)
        ndbl.append_null();
      else
        ndbl.append(static_cast<double>((r >> 33) % 100000) / 100.0);
    }
    return *table::from_columns({{"id", id.finish()},
                                 {"i32", i32.finish()},
                                 {"value", dbl.finish()},
                                 {"ts", ts.finish()},
                                 {"flag", flag.finish()},
                                 {"city", low.finish()},
                                 {"user", high.finish()},
                                 {"maybe", ndbl.finish()}});
  }();
  return t;
}

std::string bench_path() {
  return (std::filesystem::temp_directory_path() /
          ("tessera_bench_" + std::to_string(::getpid()) + ".tsr"))
      .string();
}

void write_file(const std::string& path, int level) {
  tsr::write_options o;
  o.level = level;
  o.sync = false; // measured separately: fsync cost depends on the disk, not the format
  tsr::write_table(path, dataset(), o);
}

void BM_tsr_write(benchmark::State& state) {
  const table& t = dataset();
  const std::string path = bench_path();
  set_num_threads(static_cast<int>(state.range(0)));
  for (auto _ : state) write_file(path, 1);
  set_num_threads(0);
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(t.num_rows()),
                                                benchmark::Counter::kIsIterationInvariantRate);
  state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  std::filesystem::remove(path);
}
BENCHMARK(BM_tsr_write)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_tsr_read_all(benchmark::State& state) {
  const table& t = dataset();
  const std::string path = bench_path();
  write_file(path, 1);
  set_num_threads(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto back = tsr::read_table(path);
    benchmark::DoNotOptimize(back.num_rows());
  }
  set_num_threads(0);
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(t.num_rows()),
                                                benchmark::Counter::kIsIterationInvariantRate);
  std::filesystem::remove(path);
}
BENCHMARK(BM_tsr_read_all)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// Two columns, rows with id in the last 1% and i32 < 500000: pruning leaves one row group.
void BM_tsr_read_projected_selective(benchmark::State& state) {
  const table& t = dataset();
  const std::string path = bench_path();
  write_file(path, 1);
  set_num_threads(2);
  tsr::read_options ro;
  ro.columns = {"value", "city"};
  ro.where =
      *tsr::parse_where("id >= " + std::to_string(t.num_rows() / 100 * 99) + " and i32 < 500000");
  std::size_t got = 0;
  for (auto _ : state) {
    auto back = tsr::read_table(path, ro);
    got = back.num_rows();
    benchmark::DoNotOptimize(got);
  }
  set_num_threads(0);
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(t.num_rows()),
                                                benchmark::Counter::kIsIterationInvariantRate);
  state.counters["rows_out"] = static_cast<double>(got);
  std::filesystem::remove(path);
}
BENCHMARK(BM_tsr_read_projected_selective)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (const char* raw = std::getenv("TESSERA_TSR_RAW")) {
    // Raw column bytes (values, validity, string offsets and bytes) for the zstd ceiling.
    std::ofstream out(raw, std::ios::binary);
    for (const auto& c : dataset().columns()) {
      for (const buffer* b : {&c.validity_buffer(), &c.values_buffer(), &c.data_buffer()})
        out.write(reinterpret_cast<const char*>(b->data()),
                  static_cast<std::streamsize>(b->size()));
    }
  }
  if (const char* csv = std::getenv("TESSERA_TSR_CSV"))
    csv::write(dataset(), csv, csv::write_options{.line_end = "\n"});
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
