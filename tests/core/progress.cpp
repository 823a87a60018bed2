#include <tessera/core/parallel.hpp>
#include <tessera/core/progress.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <mutex>
#include <sstream>
#include <utility>
#include <vector>

TEST_CASE("progress_reporter forwards throttled, monotone updates and finishes once") {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
  std::mutex m;
  {
    tessera::progress_reporter r(
        [&](std::uint64_t d, std::uint64_t t) {
          std::lock_guard lock(m);
          seen.emplace_back(d, t);
        },
        10000, 1000);
    tessera::parallel_for(
        0, 10000, [&](int) { r.advance(); }, 100);
    CHECK(r.done() == 10000);
    r.finish();
    r.finish();
  }
  REQUIRE(!seen.empty());
  CHECK(seen.size() <= 11 + 1);
  CHECK(seen.back() == std::pair<std::uint64_t, std::uint64_t>{10000, 10000});
  for (auto [d, t] : seen) {
    CHECK(t == 10000);
    CHECK(d <= 10000);
  }
  std::size_t finals = 0;
  for (auto [d, t] : seen) finals += d == t;
  CHECK(finals >= 1);
}

TEST_CASE("progress_reporter without a callback only counts; unknown totals report counts") {
  tessera::progress_reporter silent;
  silent.advance(5);
  silent.finish();
  CHECK(silent.done() == 5);

  std::uint64_t last_done = 0, last_total = 99;
  tessera::progress_reporter open(
      [&](std::uint64_t d, std::uint64_t t) { last_done = d, last_total = t; }, 0);
  open.advance(3);
  open.finish();
  CHECK(last_done == 3);
  CHECK(last_total == 0);
}

TEST_CASE("progress_bar renders a bar; plain mode writes one line per quarter") {
  std::ostringstream plain;
  tessera::progress_bar bar(plain, "load", false);
  const auto t0 = std::chrono::steady_clock::now();
  const std::string half = bar.render(50, 100, t0);
  CHECK(half.rfind("load [===============>", 0) == 0);
  CHECK(half.find(" 50% 50/100 ") != std::string::npos);
  CHECK(bar.render(7, 0, t0).rfind("load 7 ", 0) == 0);

  for (std::uint64_t d = 0; d <= 100; ++d) bar.update(d, 100);
  std::size_t lines = 0;
  for (char c : plain.str()) lines += c == '\n';
  CHECK(lines == 4);
  CHECK(plain.str().find('\r') == std::string::npos);
  CHECK(plain.str().find("100% 100/100") != std::string::npos);

  std::ostringstream tty;
  tessera::progress_bar live(tty, "run", true, std::chrono::milliseconds(0));
  live.update(1, 4);
  live.update(4, 4);
  CHECK(tty.str().front() == '\r');
  CHECK(tty.str().back() == '\n');
  std::ostringstream cut;
  tessera::progress_bar stopped(cut, "x", true);
  auto cb = stopped.as_callback();
  cb(1, 10);
  stopped.close();
  CHECK(cut.str().back() == '\n');
}
