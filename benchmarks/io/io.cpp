// I/O benchmarks. Inputs are generated deterministically into the system temporary directory
// on first use (a 100 MB numeric CSV with 8 columns, a 100 MB mixed CSV with quoted strings) or
// read from ../shared/data (Parquet footers), plus a generated footer of 50,000 column chunks
// (also written to the temporary directory, where benchmarks/report's peers read it).
//
//   build/<dir>/benchmarks/io/tessera_bench_io --benchmark_counters_tabular=true
#include <tessera/io/csv.hpp>
#include <tessera/io/parquet.hpp>

#include <benchmark/benchmark.h>

#include "support/thrift_writer.hpp"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path& numeric_csv() {
  static const fs::path path = [] {
    fs::path p = fs::temp_directory_path() / "tessera_bench_numeric_100mb.csv";
    if (fs::exists(p) && fs::file_size(p) >= 100'000'000) return p;
    std::mt19937_64 rng(1);
    std::ofstream out(p, std::ios::binary);
    std::string line;
    out << "a,b,c,d,e,f,g,h\n";
    std::size_t written = 0;
    char buf[32];
    while (written < 100'000'000) {
      line.clear();
      for (int c = 0; c < 8; ++c) {
        if (c) line += ',';
        if (c % 2 == 0) {
          const auto r =
              std::to_chars(buf, buf + 32, static_cast<std::int64_t>(rng() % 10'000'000));
          line.append(buf, r.ptr);
        } else {
          const double v = static_cast<double>(rng() % 100'000'000) / 1000.0;
          const auto r = std::to_chars(buf, buf + 32, v);
          line.append(buf, r.ptr);
        }
      }
      line += '\n';
      out << line;
      written += line.size();
    }
    return p;
  }();
  return path;
}

const fs::path& mixed_csv() {
  static const fs::path path = [] {
    fs::path p = fs::temp_directory_path() / "tessera_bench_mixed_100mb.csv";
    if (fs::exists(p) && fs::file_size(p) >= 100'000'000) return p;
    std::mt19937_64 rng(2);
    static const char* words[] = {"alpha", "beta", "gamma, delta", "say \"hi\"", "multi\nline",
                                  "plain", "x",    "tessera"};
    std::ofstream out(p, std::ios::binary);
    out << "id,name,price,day,note\n";
    std::size_t written = 0;
    std::string line;
    while (written < 100'000'000) {
      line = std::to_string(rng() % 100'000'000) + ",";
      std::string w = words[rng() % 8];
      if (w.find_first_of(",\"\n") != std::string::npos) {
        std::string q = "\"";
        for (char ch : w) {
          if (ch == '"') q += '"';
          q += ch;
        }
        w = q + "\"";
      }
      line += w + "," + std::to_string(rng() % 100000) + "." + std::to_string(rng() % 100) +
              ",2024-0" + std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 10) +
              ",\"note " + std::to_string(rng() % 1000) + ", with comma\"\n";
      out << line;
      written += line.size();
    }
    return p;
  }();
  return path;
}

void csv_read(benchmark::State& state, const fs::path& path) {
  tessera::csv::read_options o;
  o.threads = static_cast<int>(state.range(0));
  std::size_t rows = 0;
  for (auto _ : state) {
    auto r = tessera::csv::read(path, o);
    rows = r.table.num_rows();
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(static_cast<std::size_t>(state.iterations()) *
                                                    fs::file_size(path)));
  state.counters["rows"] = static_cast<double>(rows);
}

void BM_csv_numeric_typed(benchmark::State& state) {
  csv_read(state, numeric_csv());
}
BENCHMARK(BM_csv_numeric_typed)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_csv_mixed_typed(benchmark::State& state) {
  csv_read(state, mixed_csv());
}
BENCHMARK(BM_csv_mixed_typed)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The peer: a bare loop that finds each field with memchr and converts it with from_chars into
// 8 double columns, with no quoting, no errors, no inference: the floor a CSV reader competes with.
void BM_csv_numeric_bare_memchr_from_chars(benchmark::State& state) {
  auto file = tessera::detail::mapped_file::open(numeric_csv()).value();
  const std::string_view text = file.view();
  for (auto _ : state) {
    std::vector<std::vector<double>> cols(8);
    for (auto& c : cols) c.reserve(text.size() / 80);
    const char* p = static_cast<const char*>(std::memchr(text.data(), '\n', text.size())) + 1;
    const char* end = text.data() + text.size();
    while (p < end) {
      const char* eol =
          static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      if (!eol) eol = end;
      for (int c = 0; c < 8 && p < eol; ++c) {
        const char* comma =
            c < 7 ? static_cast<const char*>(std::memchr(p, ',', static_cast<std::size_t>(eol - p)))
                  : eol;
        if (!comma) comma = eol;
        double v = 0;
        std::from_chars(p, comma, v);
        cols[static_cast<std::size_t>(c)].push_back(v);
        p = comma + 1;
      }
      p = eol + 1;
    }
    benchmark::DoNotOptimize(cols);
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(static_cast<std::size_t>(state.iterations()) * text.size()));
}
BENCHMARK(BM_csv_numeric_bare_memchr_from_chars)->Unit(benchmark::kMillisecond)->UseRealTime();

// ---------------------------------------------------------------------------------------------
// Parquet footers.

/// A footer of `groups` row groups of `columns` INT64 columns with statistics: a wide table as
/// data lakes write it.
std::string generated_file(int columns, int groups) {
  tessera_test::thrift_writer w;
  tessera_test::flat_int64_schema(w, columns, "column_");
  w.i64(3, std::int64_t{groups} * 1000);
  w.list(4, 12, static_cast<std::size_t>(groups));
  std::int64_t offset = 4;
  for (int g = 0; g < groups; ++g) {
    w.begin_element();
    w.list(1, 12, static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      w.begin_element();
      w.i64(2, offset);
      w.begin(3);
      w.i32(1, 2);
      w.list(2, 5, 2);
      w.zigzag(0);
      w.zigzag(8);
      w.list(3, 8, 1);
      w.varint(std::to_string(c).size() + 7);
      w.out += "column_" + std::to_string(c);
      w.i32(4, 6);
      w.i64(5, 1000);
      w.i64(6, 8000);
      w.i64(7, 4000);
      w.i64(9, offset);
      w.begin(12);
      w.i64(3, 0);
      w.str(5, std::string("\x10\x27\x00\x00\x00\x00\x00\x00", 8));
      w.str(6, std::string("\x01\x00\x00\x00\x00\x00\x00\x00", 8));
      w.end();
      w.end();
      w.end();
      offset += 4000;
    }
    w.i64(2, std::int64_t{columns} * 8000);
    w.i64(3, 1000);
    w.end();
  }
  w.byte(0);
  return tessera_test::parquet_file(w.out);
}

/// Parses the footer of `file` (a whole Parquet file in memory); bytes/s counts the footer's
/// bytes (its length field), not the file's.
void footer_parse(benchmark::State& state, const std::string& file) {
  std::size_t chunks = 0;
  std::size_t footer = 0;
  for (auto _ : state) {
    auto f = tessera::parquet::try_parse_footer(file);
    if (!f) {
      state.SkipWithError(f.error().to_string().c_str());
      return;
    }
    chunks = 0;
    for (const auto& g : f->metadata->row_groups) chunks += g.columns.size();
    footer = f->info.footer_length;
    benchmark::DoNotOptimize(f);
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(static_cast<std::size_t>(state.iterations()) * footer));
  state.counters["footer_bytes"] = static_cast<double>(footer);
  state.counters["column_chunks"] = static_cast<double>(chunks);
}

/// Reads the footer of the file at `path` as the report's peers do, from the file: open, read
/// the last 8 bytes and the footer, parse.
void footer_read(benchmark::State& state, const fs::path& path) {
  for (auto _ : state) {
    auto f = tessera::parquet::try_read_footer(path);
    if (!f) {
      state.SkipWithError(f.error().to_string().c_str());
      return;
    }
    benchmark::DoNotOptimize(f);
  }
}

/// The generated footer of 50,000 column chunks, also written to the temporary directory (as
/// the CSV files) for the report's peers.
const std::string& generated_footer_file() {
  static const std::string file = generated_file(500, 100);
  return file;
}
const fs::path& generated_footer_path() {
  static const fs::path path = [] {
    fs::path p = fs::temp_directory_path() / "tessera_bench_footer_50k_chunks.parquet";
    std::ofstream(p, std::ios::binary) << generated_footer_file();
    return p;
  }();
  return path;
}

/// nested_structs.rust.parquet of ../shared/data; when that is absent, an empty path, the
/// benchmark marked skipped.
fs::path nested_structs_or_skip(benchmark::State& state) {
  const fs::path p = fs::path(TESSERA_SHARED_DATA_DIR) / "parquet/data/nested_structs.rust.parquet";
  if (fs::exists(p)) return p;
  state.SkipWithError("../shared/data is absent");
  return {};
}

void BM_parquet_footer_generated_50k_chunks(benchmark::State& state) {
  footer_parse(state, generated_footer_file());
}
BENCHMARK(BM_parquet_footer_generated_50k_chunks)->Unit(benchmark::kMicrosecond);

void BM_parquet_footer_nested_structs_rust(benchmark::State& state) {
  const fs::path p = nested_structs_or_skip(state);
  if (p.empty()) return;
  std::ifstream in(p, std::ios::binary);
  const std::string file{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  footer_parse(state, file);
}
BENCHMARK(BM_parquet_footer_nested_structs_rust)->Unit(benchmark::kMicrosecond);

void BM_parquet_read_footer_generated_50k_chunks(benchmark::State& state) {
  footer_read(state, generated_footer_path());
}
BENCHMARK(BM_parquet_read_footer_generated_50k_chunks)->Unit(benchmark::kMicrosecond);

void BM_parquet_read_footer_nested_structs_rust(benchmark::State& state) {
  if (const fs::path p = nested_structs_or_skip(state); !p.empty()) footer_read(state, p);
}
BENCHMARK(BM_parquet_read_footer_nested_structs_rust)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
