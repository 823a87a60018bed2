// .tsr safety: every truncation and every flipped byte is detected (never UB: this suite runs
// under ASan+UBSan in CI), errors name the column and chunk, hostile footers with valid
// checksums are rejected, and a writer killed at random moments leaves the old file or the new
// complete one.
#include <tessera/io/tsr.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "tsr_support.hpp"

using namespace tessera;
namespace fs = std::filesystem;

namespace {
std::vector<char> slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Opens and reads everything; the error, if any.
std::optional<error> try_all(const std::vector<char>& bytes, bool verify = true) {
  tsr::open_options o;
  o.verify_checksums = verify;
  auto r = tsr::reader::from_memory(bytes.data(), bytes.size(), "mem", o);
  if (!r) return r.error();
  auto t = r->try_read();
  if (!t) return t.error();
  return std::nullopt;
}

table small_table() {
  auto t = tsr_test::random_table(40, 5);
  const std::vector<std::string> names = {"i64", "f64", "str_low", "str_high", "bool", "ts"};
  return *t.select(names);
}

/// Recomputes the footer checksum after the footer was edited in place.
void reseal(std::vector<char>& f) {
  std::uint64_t len = 0;
  std::memcpy(&len, f.data() + f.size() - 24, 8);
  const std::size_t off = f.size() - 24 - len;
  const std::uint64_t sum = detail::tsr::checksum(f.data() + off, len + 8);
  std::memcpy(f.data() + f.size() - 16, &sum, 8);
}
} // namespace

TEST_CASE("tsr: every truncation is an error") {
  tsr_test::temp_dir dir;
  tsr::write_options o;
  o.row_group_rows = 16;
  o.sync = false;
  tsr::write_table(dir.path / "t.tsr", small_table(), o);
  const auto full = slurp(dir.path / "t.tsr");
  REQUIRE_FALSE(try_all(full));
  for (std::size_t n = 0; n < full.size(); ++n) {
    const std::vector<char> cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    const auto e = try_all(cut);
    CAPTURE(n);
    REQUIRE(e);
    CHECK(e->code() == errc::corrupt_data);
  }
}

TEST_CASE("tsr: flipped bytes anywhere are detected by a checksum, a constant or a bound") {
  tsr_test::temp_dir dir;
  tsr::write_options o;
  o.row_group_rows = 16;
  o.sync = false;
  for (auto codec : {tsr::compression::zstd, tsr::compression::none}) {
    o.codec = codec;
    tsr::write_table(dir.path / "t.tsr", small_table(), o);
    const auto full = slurp(dir.path / "t.tsr");
    // Every 5th byte of the compressed file, every 13th of the uncompressed one (larger): all
    // regions (header, padding, streams, footer, trailer) are hit; keeps ASan runs short.
    const std::size_t step = codec == tsr::compression::zstd ? 5 : 13;
    for (std::size_t i = 0; i < full.size(); i += step) {
      auto bad = full;
      bad[i] = static_cast<char>(bad[i] ^ (1 << (i % 8)));
      CAPTURE(i);
      const auto e = try_all(bad);
      REQUIRE(e);
      CHECK((e->code() == errc::corrupt_data || e->code() == errc::unsupported));
      // Without checksums the reader must still never misbehave (ASan/UBSan watch this).
      if (i % 3 == 0) (void)try_all(bad, false);
    }
  }
}

TEST_CASE("tsr: a damaged stream is reported with its column, chunk and offset") {
  tsr_test::temp_dir dir;
  tsr::write_options o;
  o.row_group_rows = 16;
  o.sync = false;
  const table t = small_table();
  tsr::write_table(dir.path / "t.tsr", t, o);
  auto r = tsr::reader::open(dir.path / "t.tsr");
  REQUIRE(r);
  const auto& s = r->metadata().row_groups[1].columns[3].streams.back();
  auto bytes = slurp(dir.path / "t.tsr");
  bytes[s.offset + s.stored_size / 2] ^= 0x10;
  auto bad = tsr::reader::from_memory(bytes.data(), bytes.size(), "bad.tsr");
  REQUIRE(bad); // the footer is intact
  // Projection: a read that does not touch the damaged column succeeds.
  tsr::read_options ro;
  ro.columns = {"i64", "f64"};
  CHECK(bad->try_read(ro));
  const auto e = bad->try_read();
  REQUIRE_FALSE(e);
  const std::string text = e.error().to_string();
  CAPTURE(text);
  CHECK(text.find("bad.tsr") != std::string::npos);
  CHECK(text.find("column 'str_high'") != std::string::npos);
  CHECK(text.find("chunk 1") != std::string::npos);
  CHECK(text.find("checksum mismatch") != std::string::npos);
  CHECK(e.error().where().byte_offset == s.offset);
}

TEST_CASE("tsr: hostile footers with valid checksums are rejected") {
  tsr_test::temp_dir dir;
  tsr::write_options o;
  o.sync = false;
  o.codec = tsr::compression::none;
  const table t = *table::from_columns({{"x", make_column<std::int64_t>({1, 2, 3})}});
  tsr::write_table(dir.path / "h.tsr", t, o);
  const auto good = slurp(dir.path / "h.tsr");
  auto r = tsr::reader::open(dir.path / "h.tsr");
  REQUIRE(r);
  const std::size_t footer = r->metadata().footer_offset;
  // Footer layout of this file: u32 nfields, str "x" (4 + 1), u8 type, u8 unit, u8 nullable,
  // u32 field kv, u32 schema kv, u64 rows, u64 groups, u64 group rows, then the chunk.
  const std::size_t rows_at = footer + 4 + 5 + 3 + 4 + 4;
  const std::size_t group_rows_at = rows_at + 16;
  const std::size_t chunk_at = group_rows_at + 8;
  // chunk: u8 enc, u64 data_bytes, 3 x u64 stats, scalar min (1 + 8), scalar max (1 + 8), u8 n
  const std::size_t stream_at = chunk_at + 1 + 8 + 24 + 9 + 9 + 1;
  // stream: role, enc, codec, level, u64 count, u64 offset, u64 stored, u64 decoded, u64 sum
  const auto patch64 = [&](std::size_t at, std::uint64_t v) {
    auto f = good;
    std::memcpy(f.data() + at, &v, 8);
    reseal(f);
    return f;
  };
  const auto patch8 = [&](std::size_t at, std::uint8_t v) {
    auto f = good;
    f[at] = static_cast<char>(v);
    reseal(f);
    return f;
  };
  REQUIRE_FALSE(try_all(patch64(rows_at, 3))); // the unmodified value reads fine
  const std::vector<std::vector<char>> hostile = {
      patch64(rows_at, ~std::uint64_t{0}),             // more rows than the groups hold
      patch64(rows_at + 8, std::uint64_t{1} << 60),    // absurd number of row groups
      patch64(group_rows_at, std::uint64_t{1} << 62),  // absurd group size
      patch64(group_rows_at, 2),                       // fewer rows than the file
      patch64(stream_at + 4, 1000),                    // count does not match the rows
      patch64(stream_at + 12, 0),                      // offset into the header
      patch64(stream_at + 12, ~std::uint64_t{0} - 63), // offset past the end
      patch64(stream_at + 20, std::uint64_t{1} << 63), // stored size past the end
      patch64(stream_at + 28, 7),                      // decoded size inconsistent
      patch8(stream_at + 2, 1),                        // claims zstd on raw bytes
      patch8(stream_at + 1, 2),                        // claims delta on raw bytes
      patch8(stream_at + 0, 2),                        // wrong role
      patch8(footer + 9, 200),                         // invalid type id
      patch8(chunk_at, 1),                             // dictionary encoding on integers
      patch64(chunk_at + 9, 4),                        // more nulls than rows
      patch64(chunk_at + 9, 1),                        // nulls but no validity stream
  };
  for (std::size_t k = 0; k < hostile.size(); ++k) {
    CAPTURE(k);
    const auto e = try_all(hostile[k]);
    REQUIRE(e);
    CHECK(e->code() == errc::corrupt_data);
  }
}

TEST_CASE("tsr: killing the writer at any moment leaves the old file or the new complete one") {
  tsr_test::temp_dir dir;
  const fs::path target = dir.path / "k.tsr";
  const table old_t = tsr_test::random_table(600, 1);
  const table new_t = tsr_test::random_table(600, 2);
  tsr::write_options o;
  o.row_group_rows = 40; // many row groups: the child spends its time inside the write
  o.sync = false;
  // Kill moments spread over about three complete rewrites (how long one takes varies by build).
  const auto t0 = std::chrono::steady_clock::now();
  tsr::write_table(target, old_t, o);
  const auto one =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  const auto span = static_cast<std::uint64_t>(std::max<std::int64_t>(1000, 3 * one));
  std::mt19937_64 rng(42);
  int saw_old = 0, saw_new = 0;
  for (int round = 0; round < 10; ++round) {
    tsr::write_options co = o;
    co.sync = round % 4 == 0;
    int progress[2];
    REQUIRE(::pipe(progress) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      // OpenMP's thread pool does not survive fork: encode serially in the child. Rewrite the
      // file with new_t forever, reporting each completed rename; the parent kills us.
      ::close(progress[0]);
      set_num_threads(1);
      for (;;) {
        if (!tsr::try_write_table(target, new_t, co)) ::_exit(2);
        const char done = 'w';
        if (::write(progress[1], &done, 1) != 1) ::_exit(3);
      }
    }
    ::close(progress[1]);
    ::usleep(static_cast<useconds_t>(rng() % span));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status));
    int completed = 0;
    char buf[256];
    for (::ssize_t n; (n = ::read(progress[0], buf, sizeof buf)) > 0;)
      completed += static_cast<int>(n);
    ::close(progress[0]);
    auto back = tsr::try_read_table(target);
    REQUIRE(back);
    const bool is_old = back->equals(old_t);
    const bool is_new = !is_old && [&] {
      for (std::size_t c = 0; c < new_t.num_columns(); ++c)
        if (!(*back)[c].equals(new_t[c])) return false;
      return true;
    }();
    CAPTURE(round);
    CAPTURE(completed);
    CHECK((is_old || is_new));
    // Once a rewrite was reported complete, only the new contents may be seen.
    if (completed > 0) CHECK(is_new);
    saw_old += is_old;
    saw_new += is_new;
  }
  MESSAGE("kill test: old file " << saw_old << " times, new file " << saw_new << " times");
  // Temporary files of killed writers may remain beside the target; nothing else appears.
  std::vector<fs::path> leftovers;
  for (const auto& e : fs::directory_iterator(dir.path)) {
    if (e.path() == target) continue;
    CHECK(e.path().filename().string().rfind("k.tsr.tmp.", 0) == 0);
    leftovers.push_back(e.path());
  }
  MESSAGE("killed writers left " << leftovers.size() << " temporary files");

  // The next writer removes the leftovers once they are old enough, but never the file of a
  // writer that is still alive (it holds a lock), however old that file looks.
  {
    auto live = detail::atomic_file::create(target);
    REQUIRE(live);
    fs::path mine; // the live writer's temporary file
    for (const auto& e : fs::directory_iterator(dir.path))
      if (e.path() != target &&
          std::find(leftovers.begin(), leftovers.end(), e.path()) == leftovers.end())
        mine = e.path();
    REQUIRE(!mine.empty());
    const auto aged = fs::file_time_type::clock::now() -
                      std::chrono::seconds(2 * detail::atomic_file::stale_after_seconds);
    if (!leftovers.empty()) fs::last_write_time(leftovers.front(), aged);
    fs::last_write_time(mine, aged);
    tsr::write_table(target, new_t, o);
    if (!leftovers.empty()) CHECK_FALSE(fs::exists(leftovers.front()));
    for (std::size_t i = 1; i < leftovers.size(); ++i) CHECK(fs::exists(leftovers[i])); // fresh
    CHECK(fs::exists(mine)); // old, but its writer holds the lock
  }
  // Abandoned, the live writer removed its own file; the target is intact.
  const auto files = std::distance(fs::directory_iterator(dir.path), fs::directory_iterator());
  CHECK(files == static_cast<std::ptrdiff_t>(std::max<std::size_t>(leftovers.size(), 1)));
  CHECK(tsr::read_table(target).equals(new_t));
}
