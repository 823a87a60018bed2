// Thousands of random DAGs with injected failures, retries and cancellation, checked against a
// sequential model of the executor's semantics. Runs take no real time (manual clock).
#include <tessera/exec/executor.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
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

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a * 0x9e3779b97f4a7c15ULL + b + 0x632be59bd9b4e019ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

struct plan_node {
  int fails = 0;        // the first `fails` tries throw
  int max_attempts = 1; // retry policy
  int delay_ms = 0;     // initial back-off
  bool coroutine = false;
  bool io = false;
  bool cancels = false;   // requests the run's stop when it succeeds
  bool limited = false;   // in class "lim"
  std::vector<int> typed; // up to two typed inputs
  std::vector<int> after; // the other predecessors
};

struct plan {
  std::vector<plan_node> nodes;
  std::vector<std::atomic<int>> tries;
  std::stop_source stop;
  explicit plan(std::size_t n) : nodes(n), tries(n) {}
};

plan_node random_node(std::mt19937_64& rng, int i, double edge_p, bool allow_cancel) {
  plan_node p;
  std::uniform_real_distribution<double> u(0, 1);
  for (int j = 0; j < i; ++j) {
    if (u(rng) >= edge_p) continue;
    if (p.typed.size() < 2 && u(rng) < 0.6) {
      p.typed.push_back(j);
    } else {
      p.after.push_back(j);
    }
  }
  const double r = u(rng);
  p.fails = r < 0.7 ? 0 : r < 0.85 ? 1 : r < 0.95 ? 2 : 5;
  p.max_attempts = 1 + static_cast<int>(rng() % 3);
  p.delay_ms = static_cast<int>(rng() % 4);
  p.coroutine = u(rng) < 0.25;
  p.io = u(rng) < 0.2;
  p.cancels = allow_cancel && u(rng) < 0.03;
  p.limited = u(rng) < 0.15;
  return p;
}

std::uint64_t node_value(int i, const std::vector<std::uint64_t>& inputs) {
  std::uint64_t v = mix(static_cast<std::uint64_t>(i), 17);
  for (auto x : inputs) v = mix(v, x);
  return v;
}

/// What one try of node i does: throw for the first `fails` tries, else maybe cancel the run,
/// then give its value.
std::uint64_t body(plan& pl, int i, int attempt, std::vector<std::uint64_t> inputs) {
  pl.tries[static_cast<std::size_t>(i)].fetch_add(1, std::memory_order_relaxed);
  const auto& p = pl.nodes[static_cast<std::size_t>(i)];
  if (attempt <= p.fails) throw std::runtime_error("injected failure " + std::to_string(attempt));
  if (p.cancels) pl.stop.request_stop();
  return node_value(i, inputs);
}

using value_node = exec::node<std::uint64_t>;

void build(exec::task_graph& g, plan& pl, exec::executor& ex, std::vector<value_node>& handles) {
  handles.clear();
  g.limit("lim", 2);
  for (std::size_t k = 0; k < pl.nodes.size(); ++k) {
    const auto& p = pl.nodes[k];
    const int i = static_cast<int>(k);
    plan* P = &pl;
    exec::thread_pool* pool = p.io ? &ex.io() : &ex.cpu();
    const std::string name = "n" + std::to_string(i);
    auto add = [&]() -> value_node {
      if (p.coroutine) {
        switch (p.typed.size()) {
        case 0:
          return g.add(name, [P, i, pool](exec::node_context& c) -> exec::task<std::uint64_t> {
            co_await pool->schedule();
            co_return body(*P, i, c.attempt(), {});
          });
        case 1:
          return g.add(
              name,
              [P, i, pool](exec::node_context& c,
                           const std::uint64_t& a) -> exec::task<std::uint64_t> {
                co_await pool->schedule();
                co_return body(*P, i, c.attempt(), {a});
              },
              handles[static_cast<std::size_t>(p.typed[0])]);
        default:
          return g.add(
              name,
              [P, i, pool](exec::node_context& c, const std::uint64_t& a,
                           const std::uint64_t& b) -> exec::task<std::uint64_t> {
                co_await pool->schedule();
                co_return body(*P, i, c.attempt(), {a, b});
              },
              handles[static_cast<std::size_t>(p.typed[0])],
              handles[static_cast<std::size_t>(p.typed[1])]);
        }
      }
      switch (p.typed.size()) {
      case 0:
        return g.add(name, [P, i](exec::node_context& c) { return body(*P, i, c.attempt(), {}); });
      case 1:
        return g.add(
            name,
            [P, i](exec::node_context& c, const std::uint64_t& a) {
              return body(*P, i, c.attempt(), {a});
            },
            handles[static_cast<std::size_t>(p.typed[0])]);
      default:
        return g.add(
            name,
            [P, i](exec::node_context& c, const std::uint64_t& a, const std::uint64_t& b) {
              return body(*P, i, c.attempt(), {a, b});
            },
            handles[static_cast<std::size_t>(p.typed[0])],
            handles[static_cast<std::size_t>(p.typed[1])]);
      }
    };
    auto h = add();
    h.on(p.io ? exec::pool_kind::io : exec::pool_kind::cpu);
    h.retry({.max_attempts = p.max_attempts,
             .initial_delay = std::chrono::milliseconds(p.delay_ms),
             .multiplier = 2.0,
             .max_delay = 5ms,
             .jitter = 0.5});
    for (int a : p.after) h.after("n" + std::to_string(a));
    if (p.limited) h.limit_class("lim");
    handles.push_back(h);
  }
}

/// The sequential model: statuses, tries and values when nothing is cancelled and the policy
/// is continue_branches.
struct model {
  std::vector<exec::node_status> status;
  std::vector<int> attempts;
  std::vector<std::uint64_t> value;
};

model sequential_model(const plan& pl) {
  const std::size_t n = pl.nodes.size();
  model m{std::vector<exec::node_status>(n), std::vector<int>(n, 0),
          std::vector<std::uint64_t>(n, 0)};
  for (std::size_t i = 0; i < n; ++i) { // nodes depend only on earlier ones
    const auto& p = pl.nodes[i];
    bool inputs_ok = true;
    for (int d : p.typed)
      inputs_ok &= m.status[static_cast<std::size_t>(d)] == exec::node_status::succeeded;
    for (int d : p.after)
      inputs_ok &= m.status[static_cast<std::size_t>(d)] == exec::node_status::succeeded;
    if (!inputs_ok) {
      m.status[i] = exec::node_status::skipped;
      continue;
    }
    m.attempts[i] = std::min(p.fails + 1, p.max_attempts);
    if (p.fails < p.max_attempts) {
      m.status[i] = exec::node_status::succeeded;
      std::vector<std::uint64_t> in;
      for (int d : p.typed) in.push_back(m.value[static_cast<std::size_t>(d)]);
      m.value[i] = node_value(static_cast<int>(i), in);
    } else {
      m.status[i] = exec::node_status::failed;
    }
  }
  return m;
}

/// Checks one run against the model. Without cancellation and with continue_branches the run
/// must match the model exactly; otherwise every node's outcome must be one the model allows.
void check_run(const plan& pl, const model& m, const exec::run_result& r,
               const std::vector<value_node>& handles, exec::error_policy policy,
               bool cancel_possible) {
  const std::size_t n = pl.nodes.size();
  const auto& rep = r.report();
  REQUIRE(rep.nodes.size() == n);
  bool any_failed = false, all_ok = true;
  for (std::size_t i = 0; i < n; ++i) {
    CAPTURE(i);
    const auto& got = rep.nodes[i];
    const auto& p = pl.nodes[i];
    CHECK(got.attempts == pl.tries[i].load());
    any_failed |= got.status == exec::node_status::failed;
    all_ok &= got.status == exec::node_status::succeeded;
    const bool exact = policy == exec::error_policy::continue_branches && !cancel_possible;
    if (exact) {
      CHECK(got.status == m.status[i]);
      CHECK(got.attempts == m.attempts[i]);
    }
    bool preds_ok = true;
    for (int d : p.typed)
      preds_ok &= rep.nodes[static_cast<std::size_t>(d)].status == exec::node_status::succeeded;
    for (int d : p.after)
      preds_ok &= rep.nodes[static_cast<std::size_t>(d)].status == exec::node_status::succeeded;
    switch (got.status) {
    case exec::node_status::succeeded:
      CHECK(preds_ok);
      CHECK(m.status[i] == exec::node_status::succeeded);
      CHECK(got.attempts == m.attempts[i]);
      CHECK(r.get(handles[i]) == m.value[i]);
      break;
    case exec::node_status::failed:
      CHECK(preds_ok);
      CHECK(m.status[i] == exec::node_status::failed);
      CHECK(got.attempts == p.max_attempts);
      break;
    case exec::node_status::skipped:
      CHECK(policy == exec::error_policy::continue_branches);
      CHECK_FALSE(preds_ok);
      CHECK(got.attempts == 0);
      break;
    case exec::node_status::cancelled:
      CHECK((cancel_possible || policy == exec::error_policy::fail_fast));
      CHECK(got.attempts <= m.attempts[i]);
      break;
    default:
      FAIL("node left pending or timed out");
    }
  }
  if (any_failed) {
    CHECK(rep.status == exec::run_status::failed);
  } else if (all_ok) {
    CHECK(rep.status == exec::run_status::succeeded);
  } else {
    CHECK(rep.status == exec::run_status::cancelled);
  }
}

} // namespace

TEST_CASE("random DAGs: the executor agrees with the sequential model") {
  const auto frames_before = exec::live_coroutine_frames();
  exec::manual_clock clk;
  exec::executor_options threaded;
  threaded.cpu_threads = 3;
  threaded.io_threads = 2;
  threaded.clock = &clk;
  exec::executor_options single;
  single.deterministic = true;
  single.clock = &clk;
  exec::executor parallel_ex(threaded), deterministic_ex(single);

  std::mt19937_64 rng(20261121);
  int runs = 0, cancelled_runs = 0, failed_runs = 0;
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  constexpr int graphs = 1000;
#else
  constexpr int graphs = 2000;
#endif
  for (int gi = 0; gi < graphs; ++gi) {
    CAPTURE(gi);
    const std::size_t n = 1 + rng() % (gi % 10 == 0 ? 60 : 16);
    const double edge_p = std::uniform_real_distribution<double>(0.0, 0.5)(rng);
    const bool allow_cancel = gi % 3 == 0;
    plan pl(n);
    for (std::size_t i = 0; i < n; ++i)
      pl.nodes[i] = random_node(rng, static_cast<int>(i), edge_p, allow_cancel);
    bool cancel_possible = false;
    for (const auto& p : pl.nodes) cancel_possible |= p.cancels;
    const model m = sequential_model(pl);
    const auto policy =
        rng() % 2 == 0 ? exec::error_policy::fail_fast : exec::error_policy::continue_branches;
    exec::executor& ex = gi % 2 == 0 ? parallel_ex : deterministic_ex;

    exec::task_graph g;
    std::vector<value_node> handles;
    build(g, pl, ex, handles);
    for (int rep = 0; rep < 2; ++rep) { // build once, run twice
      for (auto& t : pl.tries) t.store(0);
      pl.stop = std::stop_source();
      exec::run_options o;
      o.on_error = policy;
      o.stop = pl.stop.get_token();
      o.seed = static_cast<std::uint64_t>(gi);
      auto r = ex.run(g, o);
      check_run(pl, m, r, handles, policy, cancel_possible);
      ++runs;
      cancelled_runs += r.report().status == exec::run_status::cancelled;
      failed_runs += r.report().status == exec::run_status::failed;
    }
  }
  MESSAGE(runs << " runs: " << failed_runs << " failed, " << cancelled_runs << " cancelled");
  CHECK(failed_runs > runs / 10); // the generator exercises failures and cancellation
  CHECK(cancelled_runs > runs / 100);
  CHECK(clk.pending_timers() == 0);
  CHECK(exec::live_coroutine_frames() == frames_before);
}

TEST_CASE("random DAGs: the deterministic mode repeats itself exactly") {
  exec::manual_clock clk;
  exec::executor_options single;
  single.deterministic = true;
  single.clock = &clk;
  exec::executor ex(single);
  std::mt19937_64 rng(7);
  for (int gi = 0; gi < 200; ++gi) {
    const std::size_t n = 1 + rng() % 25;
    plan pl(n);
    for (std::size_t i = 0; i < n; ++i)
      pl.nodes[i] = random_node(rng, static_cast<int>(i), 0.3, true);
    exec::task_graph g;
    std::vector<value_node> handles;
    build(g, pl, ex, handles);
    std::vector<std::string> traces;
    for (int rep = 0; rep < 2; ++rep) {
      pl.stop = std::stop_source();
      std::string trace;
      exec::run_options o;
      o.stop = pl.stop.get_token();
      o.on_event = [&](const exec::event& e) {
        trace += std::string(to_string(e.what)) + ":" + std::string(e.node) + "@" +
                 std::to_string(e.at.count()) + " ";
      };
      auto r = ex.run(g, o);
      traces.push_back(trace);
    }
    CHECK(traces[0] == traces[1]);
  }
}

TEST_CASE("random DAGs: cancellation from another thread at a random moment") {
  exec::executor_options o;
  o.cpu_threads = 3;
  o.io_threads = 2;
  exec::executor ex(o); // real clock, but nothing waits on it: no back-off delays here
  std::mt19937_64 rng(99);
#if defined(__SANITIZE_THREAD__)
  constexpr int graphs = 100;
#else
  constexpr int graphs = 300;
#endif
  int cancelled = 0;
  for (int gi = 0; gi < graphs; ++gi) {
    const std::size_t n = 5 + rng() % 40;
    plan pl(n);
    for (std::size_t i = 0; i < n; ++i) {
      pl.nodes[i] = random_node(rng, static_cast<int>(i), 0.2, false);
      pl.nodes[i].delay_ms = 0; // retry at once
    }
    const model m = sequential_model(pl);
    exec::task_graph g;
    std::vector<value_node> handles;
    build(g, pl, ex, handles);
    const auto spins = static_cast<int>(rng() % 20000);
    std::thread canceller([&] {
      busy_work(spins);
      pl.stop.request_stop();
    });
    exec::run_options ro;
    ro.on_error = exec::error_policy::continue_branches;
    ro.stop = pl.stop.get_token();
    auto r = ex.run(g, ro);
    canceller.join();
    check_run(pl, m, r, handles, ro.on_error, true);
    cancelled += r.report().status == exec::run_status::cancelled;
  }
  MESSAGE(cancelled << " of " << graphs << " runs were cancelled part-way");
}
