// The DAG executor: typed nodes, validation, retries with a manual clock, timeouts,
// cancellation, error policies, limits, events, DOT.
#include <tessera/exec/executor.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace exec = tessera::exec;
using namespace std::chrono_literals;

namespace {

/// Burns a little CPU without yielding (a yield can cost a whole time slice on a busy machine).
void busy_work(int n) {
  volatile int sink = 0;
  for (int i = 0; i < n; ++i) sink = sink + 1;
}

struct frames_guard {
  std::int64_t before = exec::live_coroutine_frames();
  ~frames_guard() { CHECK(exec::live_coroutine_frames() == before); }
};

/// Collects events (the executor serialises the callback).
struct recorder {
  struct entry {
    exec::event::kind what;
    std::string node;
    int attempt;
    exec::clock::duration at;
    exec::clock::duration delay;
    std::string message;
  };
  std::vector<entry> entries;
  std::function<void(const exec::event&)> callback() {
    return [this](const exec::event& e) {
      entries.push_back(
          {e.what, std::string(e.node), e.attempt, e.at, e.delay, std::string(e.message)});
    };
  }
  std::vector<exec::clock::duration> delays(const std::string& node) const {
    std::vector<exec::clock::duration> out;
    for (const auto& e : entries)
      if (e.node == node && e.what == exec::event::kind::retrying) out.push_back(e.delay);
    return out;
  }
};

exec::executor_options threads(unsigned cpu, exec::clock* clk = nullptr) {
  exec::executor_options o;
  o.cpu_threads = cpu;
  o.io_threads = 2;
  o.clock = clk;
  return o;
}
exec::executor_options deterministic(exec::clock* clk = nullptr) {
  exec::executor_options o;
  o.deterministic = true;
  o.clock = clk;
  return o;
}

} // namespace

TEST_CASE("dag: typed inputs flow to dependents; a graph is built once and run many times") {
  exec::task_graph g;
  std::atomic<int> loads{0};
  auto a = g.add("a", [&] { return 20 + loads.fetch_add(1) * 0; });
  auto b = g.add(
      "b", [](const int& x) { return std::to_string(x + 1); }, a);
  auto c = g.add(
      "c",
      [](exec::node_context& ctx, const int& x, const std::string& y) {
        CHECK(ctx.name() == "c");
        CHECK(ctx.attempt() == 1);
        CHECK_FALSE(ctx.deadline().has_value());
        return y + "/" + std::to_string(x);
      },
      a, b);
  auto d = g.add(
      "d", [](const std::string&) {}, c); // void node
  static_assert(std::is_same_v<decltype(d)::value_type, void>);
  for (auto opts : {threads(3), threads(1), deterministic()}) {
    exec::executor ex(opts);
    for (int run = 0; run < 3; ++run) {
      auto r = ex.run(g);
      REQUIRE(r.report().ok());
      CHECK(r.get(a) == 20);
      CHECK(r.get(b) == "21");
      CHECK(r.get(c) == "21/20");
      CHECK(r.report().count(exec::node_status::succeeded) == 4);
      for (const auto& n : r.report().nodes) CHECK(n.attempts == 1);
    }
  }
  CHECK(loads.load() == 9);
}

TEST_CASE("dag: runs of one graph start fresh, whatever the run before left behind") {
  // A run reuses the state its graph's previous run left once nothing refers to that run; a
  // result still held keeps its own state, and changing the graph makes a new one.
  for (auto opts : {threads(2), deterministic()}) {
    exec::executor ex(opts);
    exec::task_graph g;
    std::atomic<bool> fail{true};
    std::atomic<int> tries{0};
    auto a = g.add("a", [&]() -> int {
      tries.fetch_add(1);
      if (fail.load()) throw std::runtime_error("a broke");
      return 7;
    });
    auto b = g.add(
        "b", [](const int& x) { return std::to_string(x); }, a);
    g.add("c", [] {}).after("b");
    {
      auto r = ex.run(g); // fails fast: a failed, b and c cancelled, stop requested
      CHECK(r.status() == exec::run_status::failed);
      CHECK(r.report().at("b").status == exec::node_status::cancelled);
      CHECK_THROWS_AS(static_cast<void>(r.get(b)), tessera::exception);
    }
    fail = false;
    auto ok = ex.run(g); // the state of the failed run, reused
    REQUIRE(ok.report().ok());
    CHECK(ok.report().failed_node.empty());
    CHECK(ok.get(b) == "7");
    for (const auto& n : ok.report().nodes) {
      CHECK(n.attempts == 1);
      CHECK(n.error.empty());
      CHECK_FALSE(n.exception);
    }
    fail = true;
    auto failed = ex.run(g); // `ok` is alive: a state of its own
    CHECK(failed.status() == exec::run_status::failed);
    CHECK(ok.get(b) == "7"); // untouched by the later run
    CHECK(ok.report().at("a").status == exec::node_status::succeeded);
    CHECK(failed.report().at("a").error == "a broke");

    std::stop_source stop;
    stop.request_stop();
    auto cancelled = ex.run(g, {.stop = stop.get_token()});
    CHECK(cancelled.status() == exec::run_status::cancelled);
    CHECK(cancelled.report().at("a").attempts == 0);

    g.add(
        "d", [](const std::string& s) { return s + "!"; }, b); // a new plan: a new state
    fail = false;
    auto bigger = ex.run(g);
    REQUIRE(bigger.report().ok());
    CHECK(bigger.report().nodes.size() == 4);
    CHECK(bigger.get(b) == "7");
    CHECK(tries.load() == 4); // the cancelled run tried nothing
    tries = 0;

    // Copies of a result share its state, which is reused only once the last copy is gone.
    std::optional<exec::run_result> copy;
    {
      auto first = ex.run(g);
      REQUIRE(first.ok());
      copy.emplace(first);
    } // the copy alone holds the state now
    fail = true;
    auto again = ex.run(g); // must not take the state the copy holds
    CHECK(again.status() == exec::run_status::failed);
    CHECK(copy->get(b) == "7");
    CHECK(copy->get(exec::node<std::string>(&g, 3)) == "7!");
    *copy = again;
    CHECK(copy->status() == exec::run_status::failed);
    CHECK(copy->report().at("a").error == "a broke");
  }
  // A result may outlive its graph.
  exec::executor ex(threads(2));
  std::optional<exec::run_result> kept;
  std::optional<exec::node<int>> handle;
  {
    exec::task_graph g;
    handle.emplace(g.add("x", [] { return 42; }));
    static_cast<void>(ex.run(g)); // leaves a spare state in the graph
    kept.emplace(ex.run(g));
  }
  CHECK(kept->get(*handle) == 42);
  CHECK(kept->report().at("x").status == exec::node_status::succeeded);
}

TEST_CASE("dag: with the real clock, a node's times are ordered after its predecessors'") {
  // Nodes that follow each other on one thread share a clock reading (the end of one try is the
  // start of the next): the order must still hold.
  for (auto opts : {threads(2), deterministic()}) {
    exec::executor ex(opts);
    exec::task_graph g;
    auto prev = g.add("0", [] { busy_work(1000); });
    for (int i = 1; i < 50; ++i)
      prev = g.add(std::to_string(i), [] { busy_work(1000); }).after(prev);
    for (int run = 0; run < 3; ++run) {
      auto r = ex.run(g);
      REQUIRE(r.report().ok());
      const auto& nodes = r.report().nodes;
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        CHECK(nodes[i].start <= nodes[i].end);
        CHECK(nodes[i].busy == nodes[i].end - nodes[i].start);
        if (i > 0) CHECK(nodes[i].start >= nodes[i - 1].end);
      }
      CHECK(nodes.back().end <= r.wall());
    }
  }
}

TEST_CASE("dag: a join made ready in the middle of a chain runs beside it at once") {
  // t -> s -> c, and j after t and s: once s is done j is ready, and it must run while c still
  // runs: c waits for j. (Were j held back, c would wait for ever: ctest's timeout for this
  // program, in tests/exec/CMakeLists.txt, turns that into a failure.)
  exec::executor ex(threads(2));
  exec::task_graph g;
  std::atomic<bool> joined{false};
  auto t = g.add("t", [] {});
  auto s = g.add("s", [] {}).after(t);
  g.add("c", [&] { joined.wait(false); }).after(s);
  g.add("j",
        [&] {
          joined.store(true);
          joined.notify_all();
        })
      .after(t)
      .after(s);
  for (int run = 0; run < 20; ++run) {
    joined.store(false);
    auto r = ex.run(g); // returns only because j ran beside c
    CHECK(r.report().ok());
    CHECK(joined.load());
  }
}

TEST_CASE("dag: coroutine nodes may hop pools; frames are not leaked") {
  frames_guard guard;
  {
    exec::task_graph g;
    exec::executor ex(threads(3));
    auto a = g.add("a", [&]() -> exec::task<int> {
      co_await ex.io().schedule();
      co_return 4;
    });
    auto b = g.add(
        "b",
        [&](exec::node_context& ctx, const int& x) -> exec::task<int> {
          co_await ex.cpu().schedule();
          if (ctx.attempt() < 2) throw std::runtime_error("flaky");
          co_return x * 10;
        },
        a);
    b.retry({.max_attempts = 2});
    g.add(
        "c",
        [](const int& x) -> exec::task<void> {
          if (x != 40) throw std::logic_error("wrong input");
          co_return;
        },
        b);
    for (int i = 0; i < 20; ++i) {
      auto r = ex.run(g);
      REQUIRE(r.report().ok());
      CHECK(r.get(b) == 40);
      CHECK(r.report().at("b").attempts == 2);
      CHECK(r.report().at("c").status == exec::node_status::succeeded);
    }
  }
}

TEST_CASE("dag: validation names the problem before anything runs") {
  std::atomic<int> ran{0};
  auto body = [&] { ran.fetch_add(1); };
  SUBCASE("cycle, with its path") {
    exec::task_graph g;
    g.add("a", body).after("c");
    g.add("b", body).after("a");
    g.add("c", body).after("b");
    g.add("d", body).after("a");
    auto v = g.validate();
    REQUIRE_FALSE(v);
    CHECK(v.error().code() == tessera::errc::cycle);
    const auto& m = v.error().message();
    CHECK(m.find("a -> b -> c -> a") != std::string::npos);
    exec::executor ex(deterministic());
    CHECK_THROWS_AS(static_cast<void>(ex.run(g)), tessera::exception);
    CHECK_FALSE(ex.try_run(g));
  }
  SUBCASE("self loop") {
    exec::task_graph g;
    g.add("solo", body).after("solo");
    auto v = g.validate();
    REQUIRE_FALSE(v);
    CHECK(v.error().message().find("solo -> solo") != std::string::npos);
  }
  SUBCASE("missing dependency") {
    exec::task_graph g;
    g.add("a", body).after("nope");
    auto v = g.validate();
    REQUIRE_FALSE(v);
    CHECK(v.error().code() == tessera::errc::not_found);
    CHECK(v.error().message().find("'a' depends on 'nope'") != std::string::npos);
  }
  SUBCASE("duplicate and empty names") {
    exec::task_graph g;
    g.add("x", body);
    g.add("x", body);
    auto v = g.validate();
    REQUIRE_FALSE(v);
    CHECK(v.error().message().find("duplicate node name 'x'") != std::string::npos);
    exec::task_graph h;
    h.add("", body);
    CHECK_FALSE(h.validate());
  }
  SUBCASE("limit class without a limit, bad retry policy, bad timeout") {
    exec::task_graph g;
    g.add("x", body).limit_class("db");
    CHECK(g.validate().error().code() == tessera::errc::not_found);
    g.limit("db", 1);
    CHECK(g.validate());
    g.add("y", body).retry({.max_attempts = 0});
    CHECK(g.validate().error().code() == tessera::errc::invalid_argument);
    exec::task_graph h;
    h.add("z", body).timeout(-1s);
    CHECK_FALSE(h.validate());
  }
  CHECK(ran.load() == 0);
}

TEST_CASE("retry_policy: exponential, capped, jittered delays") {
  exec::retry_policy p{
      .max_attempts = 10, .initial_delay = 10ms, .multiplier = 2.0, .max_delay = 50ms};
  CHECK(p.delay_before(2, 0.5) == 10ms);
  CHECK(p.delay_before(3, 0.5) == 20ms);
  CHECK(p.delay_before(4, 0.5) == 40ms);
  CHECK(p.delay_before(5, 0.5) == 50ms);
  CHECK(p.delay_before(60, 0.5) == 50ms); // no overflow far out
  p.jitter = 0.5;
  CHECK(p.delay_before(3, 0.0) == 20ms);
  CHECK(p.delay_before(3, 0.5) == 15ms);
  CHECK(p.delay_before(5, 0.999) > 25ms);
  CHECK(p.delay_before(5, 0.999) <= 50ms);
  exec::retry_policy unbounded{.max_attempts = 100, .initial_delay = 1s, .multiplier = 10.0};
  CHECK(unbounded.delay_before(90, 0.0) > 1000h); // saturates instead of overflowing
}

TEST_CASE("dag: retries back off on the injected clock, which only advances when idle") {
  exec::manual_clock clk;
  const auto t0 = clk.now();
  exec::task_graph g;
  std::atomic<int> tries{0};
  auto flaky = g.add("flaky", [&](exec::node_context& ctx) {
    tries.fetch_add(1);
    if (ctx.attempt() < 5) throw std::runtime_error("try " + std::to_string(ctx.attempt()));
    return ctx.attempt();
  });
  flaky.retry({.max_attempts = 6, .initial_delay = 10ms, .multiplier = 2.0, .max_delay = 25ms});
  for (auto opts : {deterministic(&clk), threads(3, &clk)}) {
    tries = 0;
    const auto start = clk.now();
    recorder rec;
    exec::executor ex(opts);
    auto r = ex.run(g, {.on_event = rec.callback()});
    REQUIRE(r.report().ok());
    CHECK(r.get(flaky) == 5);
    CHECK(tries.load() == 5);
    CHECK(r.report().at("flaky").attempts == 5);
    const std::vector<exec::clock::duration> expected{10ms, 20ms, 25ms, 25ms};
    CHECK(rec.delays("flaky") == expected);
    CHECK(clk.now() - start == 80ms); // virtual time moved exactly by the back-off
    CHECK(r.report().wall == 80ms);
  }
  CHECK(clk.now() - t0 == 160ms);
}

TEST_CASE("dag: only the errors the policy names are retried; attempts run out") {
  exec::manual_clock clk;
  exec::executor ex(deterministic(&clk));
  exec::task_graph g;
  g.add("logic", [] {
     throw std::logic_error("not transient");
   }).retry({.max_attempts = 5, .retry_if = exec::retry_on<std::runtime_error>()});
  g.add("runtime", [] { throw std::runtime_error("transient"); })
      .retry({.max_attempts = 3,
              .initial_delay = 1ms,
              .retry_if = exec::retry_on<std::runtime_error>()});
  auto r = ex.run(g, {.on_error = exec::error_policy::continue_branches});
  CHECK(r.report().status == exec::run_status::failed);
  CHECK(r.report().at("logic").attempts == 1);
  CHECK(r.report().at("logic").status == exec::node_status::failed);
  CHECK(r.report().at("logic").error == "not transient");
  CHECK(r.report().at("runtime").attempts == 3);
  CHECK(r.report().at("runtime").status == exec::node_status::failed);
  CHECK_THROWS_AS(r.rethrow_if_failed(), std::logic_error);
}

TEST_CASE("dag: a timeout sets the stop token at the deadline and the overrun is reported") {
  exec::manual_clock clk;
  exec::executor ex(deterministic(&clk)); // the nodes share one virtual clock: run one at a time
  exec::task_graph g;
  // Cooperative: does 10 ms steps of (virtual) work until asked to stop.
  auto coop = g.add("cooperative", [&](exec::node_context& ctx) {
    REQUIRE(ctx.deadline().has_value());
    int steps = 0;
    while (!ctx.stop_requested()) {
      clk.advance(10ms);
      ++steps;
    }
    return steps;
  });
  coop.timeout(100ms);
  // Stubborn: ignores its token and works 250 ms.
  g.add("stubborn", [&] { clk.advance(250ms); }).timeout(100ms);
  // Quick: finishes in time.
  auto quick = g.add("quick", [&] {
    clk.advance(30ms);
    return 1;
  });
  quick.timeout(100ms);
  auto r = ex.run(g, {.on_error = exec::error_policy::continue_branches});
  const auto& c = r.report().at("cooperative");
  CHECK(c.status == exec::node_status::timed_out);
  CHECK(c.error.find("past its timeout") != std::string::npos);
  const auto& s = r.report().at("stubborn");
  CHECK(s.status == exec::node_status::timed_out);
  CHECK(s.overrun >= 150ms - 1ns);
  CHECK(r.report().at("quick").status == exec::node_status::succeeded);
  CHECK(r.get(quick) == 1);
  CHECK_THROWS_AS(static_cast<void>(r.get(coop)), tessera::exception);
  try {
    std::rethrow_exception(s.exception);
  } catch (const tessera::exception& e) {
    CHECK(e.code() == tessera::errc::timeout);
  }
}

TEST_CASE("dag: timeouts retry like other failures") {
  exec::manual_clock clk;
  exec::executor ex(deterministic(&clk));
  exec::task_graph g;
  auto n = g.add("slow-then-fast", [&](exec::node_context& ctx) {
    clk.advance(ctx.attempt() == 1 ? 2s : 10ms);
    return ctx.attempt();
  });
  n.timeout(1s).retry({.max_attempts = 2, .initial_delay = 5ms});
  auto r = ex.run(g);
  REQUIRE(r.report().ok());
  CHECK(r.get(n) == 2);
}

TEST_CASE("dag: fail fast cancels the rest; continue_branches runs independent work") {
  for (auto policy : {exec::error_policy::fail_fast, exec::error_policy::continue_branches}) {
    exec::executor ex(deterministic());
    exec::task_graph g;
    std::atomic<int> independent_ran{0};
    auto bad = g.add("bad", []() -> int { throw std::runtime_error("bad input"); });
    g.add(
        "after-bad", [](const int&) {}, bad);
    auto after2 = g.add("after-after", [] {});
    after2.after("after-bad");
    g.add("independent", [&] { independent_ran.fetch_add(1); }).after("bad-sibling");
    g.add("bad-sibling", [] {});
    auto r = ex.run(g, {.on_error = policy});
    CHECK(r.report().status == exec::run_status::failed);
    CHECK(r.report().failed_node == "bad");
    CHECK(r.report().error == "bad input");
    CHECK(r.report().at("bad").status == exec::node_status::failed);
    if (policy == exec::error_policy::fail_fast) {
      CHECK(r.report().at("after-bad").status == exec::node_status::cancelled);
      CHECK(r.report().at("bad-sibling").status == exec::node_status::cancelled);
      CHECK(r.report().at("independent").status == exec::node_status::cancelled);
      CHECK(independent_ran.load() == 0);
    } else {
      CHECK(r.report().at("after-bad").status == exec::node_status::skipped);
      CHECK(r.report().at("after-bad").error.find("'bad', which failed") != std::string::npos);
      CHECK(r.report().at("after-after").status == exec::node_status::skipped);
      CHECK(r.report().at("independent").status == exec::node_status::succeeded);
      CHECK(independent_ran.load() == 1);
    }
  }
}

TEST_CASE("dag: cancellation skips pending nodes, stops running ones, ends back-off at once") {
  exec::manual_clock clk;
  const auto t0 = clk.now();
  exec::executor ex(deterministic(&clk));
  exec::task_graph g;
  std::stop_source stop;
  // Runs first, fails, and waits an hour before its retry.
  g.add("backing-off", []() -> int {
     throw std::runtime_error("later");
   }).retry({.max_attempts = 3, .initial_delay = 1h});
  // Runs second and cancels the run while it works; it sees its own stop token set.
  bool saw_stop = false;
  g.add("canceller", [&](exec::node_context& ctx) {
    stop.request_stop();
    saw_stop = ctx.stop_requested();
  });
  g.add("pending", [] {}).after("canceller");
  recorder rec;
  auto r = ex.run(g, {.stop = stop.get_token(), .on_event = rec.callback()});
  CHECK(r.report().status == exec::run_status::cancelled);
  CHECK(saw_stop);
  CHECK(r.report().at("canceller").status == exec::node_status::succeeded);
  CHECK(r.report().at("pending").status == exec::node_status::cancelled);
  CHECK(r.report().at("pending").attempts == 0);
  CHECK(r.report().at("backing-off").status == exec::node_status::cancelled);
  CHECK(r.report().at("backing-off").attempts == 1);
  CHECK(r.report().at("backing-off").error.find("back-off") != std::string::npos);
  CHECK(clk.now() - t0 < 1h); // the back-off was interrupted, not waited out
  CHECK(clk.pending_timers() == 0);

  // A run whose token is already stopped runs nothing.
  std::atomic<int> ran{0};
  exec::task_graph h;
  h.add("x", [&] { ran.fetch_add(1); });
  auto r2 = ex.run(h, {.stop = stop.get_token()});
  CHECK(r2.report().status == exec::run_status::cancelled);
  CHECK(ran.load() == 0);
}

TEST_CASE("dag: per-class concurrency limits hold under real threads") {
  exec::executor ex(threads(4));
  exec::task_graph g;
  g.limit("db", 2);
  std::atomic<int> now{0}, peak{0}, others_peak{0}, others_now{0};
  for (int i = 0; i < 40; ++i) {
    g.add("db" + std::to_string(i), [&] {
       const int k = now.fetch_add(1) + 1;
       for (int p = peak.load(); k > p && !peak.compare_exchange_weak(p, k);) {
       }
       busy_work(20000);
       now.fetch_sub(1);
     }).limit_class("db");
    g.add("free" + std::to_string(i), [&] {
      const int k = others_now.fetch_add(1) + 1;
      for (int p = others_peak.load(); k > p && !others_peak.compare_exchange_weak(p, k);) {
      }
      busy_work(2000);
      others_now.fetch_sub(1);
    });
  }
  for (int run = 0; run < 3; ++run) {
    auto r = ex.run(g);
    REQUIRE(r.report().ok());
  }
  CHECK(peak.load() >= 1);
  CHECK(peak.load() <= 2);
}

TEST_CASE("dag: cpu nodes bound tessera's parallel loops to their share of the pool") {
  exec::executor ex(threads(2));
  exec::task_graph g;
  std::atomic<int> worst{0};
  for (int i = 0; i < 8; ++i)
    g.add("k" + std::to_string(i), [&] {
      const int t = tessera::num_threads();
      for (int w = worst.load(); t > w && !worst.compare_exchange_weak(w, t);) {
      }
    });
  g.add("io", [&] { CHECK(tessera::num_threads() == 1); }).on(exec::pool_kind::io);
  REQUIRE(ex.run(g).report().ok());
  CHECK(worst.load() >= 1);
  CHECK(worst.load() <= ex.cpu_concurrency());
}

TEST_CASE("dag: events come in order, as a callback and as JSON lines") {
  exec::manual_clock clk;
  exec::executor ex(deterministic(&clk));
  exec::task_graph g;
  auto a = g.add("a", [](exec::node_context& ctx) {
    if (ctx.attempt() == 1) throw std::runtime_error("say \"hi\"\n");
    return 1;
  });
  a.retry({.max_attempts = 2, .initial_delay = 2ms});
  g.add(
      "b", [](const int&) { throw std::runtime_error("b broke"); }, a);
  g.add("c", [] {}).after("b");
  const std::string path = "tessera_exec_events_test.jsonl";
  std::remove(path.c_str());
  recorder rec;
  auto r = ex.run(g, {.on_error = exec::error_policy::continue_branches,
                      .on_event = rec.callback(),
                      .events_file = path});
  using k = exec::event::kind;
  std::vector<std::pair<k, std::string>> got;
  for (const auto& e : rec.entries) got.emplace_back(e.what, e.node);
  const std::vector<std::pair<k, std::string>> expected{
      {k::started, "a"}, {k::retrying, "a"}, {k::started, "a"}, {k::succeeded, "a"},
      {k::started, "b"}, {k::failed, "b"},   {k::skipped, "c"}};
  CHECK(got == expected);
  CHECK(rec.entries[1].delay == 2ms);
  CHECK(rec.entries[2].at == 2ms);
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == expected.size());
  CHECK(lines[0] == R"({"t":0.000000,"event":"started","node":"a","attempt":1})");
  CHECK(
      lines[1] ==
      R"({"t":0.000000,"event":"retrying","node":"a","attempt":1,"delay":0.002000,"message":"say \"hi\"\n"})");
  CHECK(lines[6].find(R"("event":"skipped","node":"c")") != std::string::npos);
  in.close();
  std::remove(path.c_str());
  CHECK(r.report().status == exec::run_status::failed);
}

TEST_CASE("dag: the report's durations and parallelism come from the injected clock") {
  exec::manual_clock clk;
  exec::executor ex(threads(1, &clk)); // one cpu thread: the caller
  exec::task_graph g;
  g.add("a", [&] { clk.advance(30ms); });
  g.add("b", [&] { clk.advance(20ms); }).after("a");
  auto r = ex.run(g);
  REQUIRE(r.report().ok());
  CHECK(r.report().wall == 50ms);
  CHECK(r.report().busy == 50ms);
  CHECK(r.report().parallelism() == doctest::Approx(1.0));
  CHECK(r.report().at("b").start == 30ms);
  CHECK(r.report().at("b").end == 50ms);
}

TEST_CASE("dag: DOT export") {
  exec::task_graph g;
  auto a = g.add("load \"x\"", [] { return 1; });
  g.add(
       "use", [](const int&) {}, a)
      .on(exec::pool_kind::io);
  g.add("last", [] {}).after("use");
  const auto dot = g.to_dot();
  CHECK(dot.find(R"("load \"x\"" -> "use";)") != std::string::npos);
  CHECK(dot.find(R"("use" -> "last" [style=dotted];)") != std::string::npos);
  CHECK(dot.find(R"("use" [style=dashed];)") != std::string::npos);
  CHECK(dot.rfind("digraph tessera {", 0) == 0);
}

TEST_CASE("clocks: the real clock fires due timers and cancels future ones") {
  exec::real_clock clk;
  std::mutex m;
  std::condition_variable cv;
  bool fired = false;
  const auto far = clk.call_at(clk.now() + 1h, [] { FAIL("must not fire"); });
  clk.call_at(clk.now(), [&] {
    std::lock_guard lock(m);
    fired = true;
    cv.notify_all();
  });
  std::unique_lock lock(m);
  cv.wait(lock, [&] { return fired; }); // due now: no real waiting
  CHECK(clk.cancel(far));
  CHECK_FALSE(clk.cancel(far));
}
