// tessera: the executor that runs task_graphs on a CPU pool and an IO pool, with retries,
// timeouts, cancellation, concurrency limits, progress events and a run report.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/core/prefetch.hpp>
#include <tessera/detail/core/random.hpp>
#include <tessera/exec/clock.hpp>
#include <tessera/exec/task.hpp>
#include <tessera/exec/task_graph.hpp>
#include <tessera/exec/thread_pool.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <exception>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN
namespace exec {

/// How a node ended in a run.
enum class node_status : std::uint8_t {
  pending,   ///< not finished (never seen in a finished run's report)
  succeeded, ///< produced its result
  failed,    ///< its last try threw (or its tries ran out)
  timed_out, ///< its last try ran past its timeout
  cancelled, ///< the run was cancelled (or failed fast) before or while it ran
  skipped,   ///< not run because a node it depends on did not succeed
};

[[nodiscard]] constexpr std::string_view to_string(node_status s) noexcept {
  switch (s) {
  case node_status::pending:
    return "pending";
  case node_status::succeeded:
    return "succeeded";
  case node_status::failed:
    return "failed";
  case node_status::timed_out:
    return "timed out";
  case node_status::cancelled:
    return "cancelled";
  case node_status::skipped:
    return "skipped";
  }
  return "unknown";
}

/// How a run ended: every node succeeded; some node failed (or timed out); or it was cancelled
/// through run_options::stop before finishing.
enum class run_status : std::uint8_t { succeeded, failed, cancelled };

[[nodiscard]] constexpr std::string_view to_string(run_status s) noexcept {
  return s == run_status::succeeded ? "succeeded"
         : s == run_status::failed  ? "failed"
                                    : "cancelled";
}

/// What a run does when a node fails for good.
enum class error_policy : std::uint8_t {
  fail_fast,         ///< stop the run: running nodes are asked to stop, the rest are cancelled
  continue_branches, ///< skip the failed node's dependents, run everything independent of it
};

/// A progress event. Events of one run are delivered one at a time, in the order they happened.
struct event {
  enum class kind : std::uint8_t { started, succeeded, failed, retrying, skipped, cancelled };
  kind what;
  std::string_view node;    ///< the node's name
  int attempt = 0;          ///< the try (started, succeeded, failed, retrying)
  clock::duration at{0};    ///< time since the run started
  clock::duration delay{0}; ///< retrying: the back-off before the next try
  std::string_view message; ///< failed, retrying, skipped, cancelled: why
};

[[nodiscard]] constexpr std::string_view to_string(event::kind k) noexcept {
  switch (k) {
  case event::kind::started:
    return "started";
  case event::kind::succeeded:
    return "succeeded";
  case event::kind::failed:
    return "failed";
  case event::kind::retrying:
    return "retrying";
  case event::kind::skipped:
    return "skipped";
  case event::kind::cancelled:
    return "cancelled";
  }
  return "unknown";
}

/// Options of one run.
struct run_options {
  error_policy on_error = error_policy::fail_fast;
  /// Cancels the run: pending nodes are cancelled, running ones see stop requested, back-off
  /// waits end at once.
  std::stop_token stop;
  /// Receives every event; called from worker threads, never concurrently. Must not throw.
  std::function<void(const event&)> on_event;
  /// If not empty, events are also appended to this file as JSON lines.
  std::string events_file;
  /// Record per-node start/end times: a clock read at the end of each try, and one at its start
  /// unless it follows another try on the same thread (it then starts at that one's end). Off:
  /// durations in the report are zero, which saves a clock read or two per node on graphs of
  /// tiny tasks.
  bool timings = true;
  /// Seeds retry jitter: the same seed gives the same delays.
  std::uint64_t seed = 0x7e55e7a;
};

/// One node's line in a run report.
struct node_report {
  std::string name;
  node_status status = node_status::pending;
  int attempts = 0;             ///< tries started
  clock::duration start{0};     ///< first try's start, relative to the run's start
  clock::duration end{0};       ///< last try's end, relative to the run's start
  clock::duration busy{0};      ///< sum of the tries' durations
  clock::duration overrun{0};   ///< timed_out: how far the last try ran past its deadline
  std::string error;            ///< failed/timed_out/cancelled/skipped: why
  std::exception_ptr exception; ///< failed/timed_out: what the last try threw
};

/// What happened in a run.
struct run_report {
  run_status status = run_status::succeeded;
  std::vector<node_report> nodes; ///< in the graph's node order
  clock::duration wall{0};
  clock::duration busy{0}; ///< sum of node_report::busy
  std::string failed_node; ///< the first node that failed for good, if any
  std::string error;       ///< its error

  [[nodiscard]] bool ok() const noexcept { return status == run_status::succeeded; }
  /// Σ node time / wall time: the average number of nodes running at once (0 if no timings).
  [[nodiscard]] double parallelism() const noexcept {
    return wall.count() > 0 ? static_cast<double>(busy.count()) / static_cast<double>(wall.count())
                            : 0.0;
  }
  /// The report of the node called `name`. Throws tessera::exception(errc::not_found).
  [[nodiscard]] const node_report& at(std::string_view name) const {
    for (const auto& n : nodes)
      if (n.name == name) return n;
    throw_error(
        tessera::error(errc::not_found, "no node '" + std::string(name) + "' in the run report"));
  }
  [[nodiscard]] std::size_t count(node_status s) const noexcept {
    return static_cast<std::size_t>(
        std::count_if(nodes.begin(), nodes.end(), [s](const auto& n) { return n.status == s; }));
  }
};

namespace detail {
struct run_state;

/// A counted reference to a run's state (the run result's, and a pending retry timer's). The
/// count lives in the state, which goes back to its graph for the next run when the last
/// reference goes: a run allocates nothing for it.
class state_ref {
public:
  state_ref() noexcept = default;
  explicit state_ref(run_state* s) noexcept; // adds a reference
  state_ref(const state_ref& o) noexcept : state_ref(o.s_) {}
  state_ref(state_ref&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  state_ref& operator=(state_ref o) noexcept {
    std::swap(s_, o.s_);
    return *this;
  }
  ~state_ref();
  [[nodiscard]] run_state* get() const noexcept { return s_; }
  run_state* operator->() const noexcept { return s_; }
  run_state& operator*() const noexcept { return *s_; }
  explicit operator bool() const noexcept { return s_ != nullptr; }

private:
  run_state* s_ = nullptr;
};
} // namespace detail

/// The results and report of a run.
class run_result {
public:
  /// How the run ended (cheap; no report is built).
  [[nodiscard]] run_status status() const noexcept { return status_; }
  [[nodiscard]] bool ok() const noexcept { return status_ == run_status::succeeded; }
  [[nodiscard]] clock::duration wall() const noexcept { return wall_; }

  /// The full report: per node status, tries, times, errors. Built on first use (graphs of
  /// 100,000 tiny nodes should not pay for it on every run); thread-safe.
  [[nodiscard]] const run_report& report() const;

  /// The result of node `n`. Throws tessera::exception if it did not succeed: with the node's
  /// own error when it failed, errc::cancelled otherwise.
  template <class T>
  [[nodiscard]] const T& get(const node<T>& n) const requires(!std::is_void_v<T>) {
    const void* v = value(n.index());
    if (v == nullptr) {
      const auto& r = report().nodes.at(n.index());
      if (r.exception) std::rethrow_exception(r.exception);
      throw_error(tessera::error(
          r.status == node_status::skipped ? errc::not_found : errc::cancelled,
          "node '" + r.name + "' has no result: " + std::string(to_string(r.status)) +
              (r.error.empty() ? "" : " (" + r.error + ")")));
    }
    return *static_cast<const T*>(v);
  }

  /// Throws the first failure's exception if the run failed, errc::cancelled if cancelled.
  void rethrow_if_failed() const {
    if (status_ == run_status::succeeded) return;
    const auto& rep = report();
    for (const auto& n : rep.nodes)
      if (n.name == rep.failed_node && n.exception) std::rethrow_exception(n.exception);
    throw_error(tessera::error(
        rep.status == run_status::cancelled ? errc::cancelled : errc::invalid_argument,
        "run " + std::string(to_string(rep.status)) +
            (rep.failed_node.empty() ? "" : " at node '" + rep.failed_node + "'") +
            (rep.error.empty() ? "" : ": " + rep.error)));
  }

private:
  friend class executor;
  [[nodiscard]] const void* value(std::uint32_t index) const;
  detail::state_ref state_;
  run_status status_ = run_status::succeeded;
  clock::duration wall_{0};
};

/// Options of an executor.
struct executor_options {
  /// Threads running cpu nodes, the thread waiting in run() included (so N - 1 workers).
  unsigned cpu_threads = static_cast<unsigned>(hardware_threads());
  /// Worker threads for io nodes.
  unsigned io_threads = 4;
  /// Everything runs on the thread that calls run(), in a reproducible order (debugging).
  bool deterministic = false;
  /// The clock for durations, deadlines and back-off; nullptr: a real (steady) clock.
  exec::clock* clock = nullptr;
};

namespace detail {

inline std::string describe(const std::exception_ptr& p) {
  try {
    std::rethrow_exception(p);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

inline double jitter_unit(std::uint64_t seed, std::uint64_t node, std::uint64_t attempt) noexcept {
  return tessera::detail::unit_double(tessera::detail::finalize64(
      seed ^ (node * 0x9e3779b97f4a7c15ULL) ^ (attempt * 0xbf58476d1ce4e5b9ULL)));
}

inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        static constexpr char hex[] = "0123456789abcdef";
        out += "\\u00";
        out += hex[(c >> 4) & 0xf];
        out += hex[c & 0xf];
      } else {
        out += c;
      }
    }
  }
  out += '"';
}

/// One event as a JSON object on one line (no newline).
inline std::string to_json(const event& e) {
  std::string out = "{\"t\":";
  out += std::to_string(std::chrono::duration<double>(e.at).count());
  out += ",\"event\":\"";
  out += to_string(e.what);
  out += "\",\"node\":";
  append_json_string(out, e.node);
  if (e.attempt > 0) out += ",\"attempt\":" + std::to_string(e.attempt);
  if (e.what == event::kind::retrying)
    out += ",\"delay\":" + std::to_string(std::chrono::duration<double>(e.delay).count());
  if (!e.message.empty()) {
    out += ",\"message\":";
    append_json_string(out, e.message);
  }
  return out + "}";
}

/// Rarely used per-node state, allocated on first need.
struct node_extra {
  std::exception_ptr error;
  std::string message;
  clock::duration overrun{0};
  // Timeout of the current try.
  std::stop_source attempt_stop{std::nostopstate};
  std::stop_token attempt_token;
  struct link {
    std::stop_source* source;
    void operator()() const noexcept { source->request_stop(); }
  };
  std::optional<std::stop_callback<link>> run_link;
  clock::timer_id timeout_timer = 0;
  clock::time_point deadline{};
  // Coroutine nodes: the driver of the current try, and what the current try threw.
  struct notify {
    run_state* state;
    std::uint32_t node;
    void operator()() const noexcept;
  };
  std::optional<notifying_coroutine<notify>> driver;
  notify notifier{nullptr, 0};
  std::exception_ptr try_error;
  std::optional<node_context> context;
};

struct alignas(64) node_run {
  std::atomic<std::uint32_t> pending{0};
  std::atomic<bool> poisoned{false}; // a predecessor did not succeed
  std::atomic<node_status> status{node_status::pending};
  bool holds_slot = false; // counted in its limit class's running nodes (guarded by the mutex)
  bool timed = false;      // start/end/busy were recorded
  int attempts = 0;
  clock::time_point first_start{};
  clock::time_point try_start{};
  clock::time_point end{};
  clock::duration busy{0};
  std::unique_ptr<node_extra> extra;
};

struct class_state {
  int limit = 1;
  int running = 0;
  std::deque<std::uint32_t> waiting;
};

} // namespace detail

/// Runs task_graphs. Owns a CPU pool and an IO pool (and a real clock unless one is given).
/// Several runs may proceed at once, from different threads, on one executor.
class executor {
public:
  explicit executor(executor_options options = {})
      : options_(normalise(options)),
        own_clock_(options.clock == nullptr ? std::make_unique<real_clock>() : nullptr),
        clock_(options.clock != nullptr ? options.clock : own_clock_.get()),
        busy_(std::make_unique<busy_counter[]>(
            (options_.deterministic ? 0 : options_.cpu_threads - 1) + 2)),
        cpu_(options_.deterministic ? 0 : options_.cpu_threads - 1, "cpu", &helpers_),
        io_(options_.deterministic ? 0 : options_.io_threads, "io", &helpers_) {}

  executor(const executor&) = delete;
  executor& operator=(const executor&) = delete;

  [[nodiscard]] thread_pool& cpu() noexcept { return cpu_; }
  [[nodiscard]] thread_pool& io() noexcept { return io_; }
  [[nodiscard]] thread_pool& pool(pool_kind p) noexcept { return p == pool_kind::cpu ? cpu_ : io_; }
  [[nodiscard]] exec::clock& clock() noexcept { return *clock_; }
  [[nodiscard]] const executor_options& options() const noexcept { return options_; }
  /// Threads that run cpu nodes (workers plus the waiting caller).
  [[nodiscard]] int cpu_concurrency() const noexcept {
    return static_cast<int>(cpu_.workers()) + 1;
  }

  /// Validates `g` (if not yet) and runs it; the calling thread runs nodes while it waits.
  /// Returns the validation error without running anything if the graph is invalid.
  [[nodiscard]] expected<run_result> try_run(task_graph& g, run_options options = {});

  /// Like try_run, but throws tessera::exception for an invalid graph. A failed run is not an
  /// exception: inspect result.report (or call result.rethrow_if_failed()).
  run_result run(task_graph& g, run_options options = {}) {
    auto r = try_run(g, std::move(options));
    if (!r) throw_error(std::move(r).error());
    return std::move(*r);
  }

private:
  friend struct detail::run_state;

  static executor_options normalise(executor_options o) {
    o.cpu_threads = std::max(1u, o.cpu_threads);
    return o;
  }

  executor_options options_;
  std::unique_ptr<exec::clock> own_clock_;
  exec::clock* clock_;
  event_count helpers_;
  struct alignas(64) busy_counter {
    std::atomic<int> value{0};
  };
  // cpu nodes running per cpu-pool thread: workers, the helper, then everyone else (shared).
  std::unique_ptr<busy_counter[]> busy_;
  thread_pool cpu_;
  thread_pool io_;
};

namespace detail {

/// Everything one run needs. Shared with pending retry timers, which may fire after the run.
struct run_state {
  const task_graph* graph;
  const std::vector<node_def>* defs;
  const node_hot* hot; // the graph's plan: what the hot path reads
  const std::uint32_t* dependents;
  executor* ex;
  exec::clock* clk;
  run_options opts;
  bool timings;
  bool events;
  bool track_idle;
  bool reuse_stamps; // a real clock: a try may start at the previous try's end (same thread)
  std::unique_ptr<node_run[]> nodes;
  std::unique_ptr<value_box[]> values;
  std::atomic<std::uint32_t> remaining{0};
  std::atomic<bool> done{false};
  std::atomic<int> in_flight{0}; // queued or running tries (tracked with a virtual clock)
  std::stop_source stop;
  std::stop_token stop_token;
  std::atomic<bool> user_cancelled{false};
  clock::time_point started{};
  std::shared_ptr<const std::vector<std::string>> names; // outlives the graph if need be

  // Filled when the run ends; the report is built from them on demand.
  clock::duration wall{0};
  run_status final_status = run_status::succeeded;
  struct report_cache {
    std::once_flag once;
    run_report report;
  };
  std::optional<report_cache> report;

  // Reuse across runs of one graph (see acquire).
  std::atomic<int> refs{0};               // state_refs (the run's result, retry timers)
  std::shared_ptr<run_recycler> recycler; // the graph's, where the state goes back to
  std::uint32_t size = 0;
  std::uint64_t generation = 0;
  std::atomic<bool> extras{false}; // some node_run got a node_extra in this run
  bool fresh = false;
  std::vector<job> sources[2];

  std::mutex mutex; // backoff, classes, first failure
  std::map<std::uint32_t, clock::timer_id> backoff;
  std::vector<class_state> classes;
  std::optional<std::uint32_t> first_failure;

  std::mutex events_mutex;
  std::unique_ptr<std::ofstream> events_out; // only when asked for (construction is not free)

  struct cancel_all {
    run_state* self;
    void operator()() const noexcept { self->on_stop(); }
  };
  struct forward_user_stop {
    run_state* self;
    void operator()() const noexcept {
      self->user_cancelled.store(true, std::memory_order_relaxed);
      self->stop.request_stop();
    }
  };
  std::optional<std::stop_callback<cancel_all>> stop_hook;
  std::optional<std::stop_callback<forward_user_stop>> user_hook;

  // ---------------------------------------------------------------------------------------
  // A state for a run of `g` (validated): its last finished run's state when there is one (the
  // graph unchanged since), else a new one. The returned pointer gives the state back to the
  // graph when its last reference goes (the run_result and any pending retry timer).
  static state_ref acquire(const task_graph& g) {
    const auto& plan = g.plan();
    const auto n = static_cast<std::uint32_t>(plan.hot.size());
    auto* s = static_cast<run_state*>(g.recycler()->take());
    if (s != nullptr && (s->size != n || s->generation != plan.generation)) {
      delete s;
      s = nullptr;
    }
    if (s == nullptr) {
      s = new run_state;
      s->size = n;
      s->generation = plan.generation;
      s->nodes = std::make_unique<node_run[]>(n);
      s->values = std::make_unique<value_box[]>(n);
      s->stop_token = s->stop.get_token();
      s->fresh = true;
      s->recycler = g.recycler();
    } else if (s->stop.stop_requested()) {
      s->stop = std::stop_source(); // a stop cannot be undone; an unused source is kept
      s->stop_token = s->stop.get_token();
    }
    // No pass over the nodes for a reused state: every run makes every node ready exactly once,
    // and make_ready() resets what a run changes (the dependency count back to its initial value).
    if (s->fresh) {
      for (std::uint32_t i = 0; i < n; ++i)
        s->nodes[i].pending.store(plan.hot[i].preds, std::memory_order_relaxed);
      s->fresh = false;
    }
    return state_ref(s);
  }

  // The last reference went: back to the graph (or freed if the graph is gone).
  void give_back() noexcept {
    release();
    const std::shared_ptr<run_recycler> r = recycler; // `this` may be freed by give()
    r->give(this, [](void* p) noexcept { delete static_cast<run_state*>(p); });
  }

  // Drops what the finished run holds: results, errors, the user's callbacks, the report.
  void release() noexcept {
    for (std::uint32_t i = 0; i < size; ++i) values[i].reset();
    if (extras.load(std::memory_order_relaxed)) {
      for (std::uint32_t i = 0; i < size; ++i) nodes[i].extra.reset();
      extras.store(false, std::memory_order_relaxed);
    }
    opts = run_options{};
    report.reset();
    events_out.reset();
    backoff.clear();
    classes.clear();
    first_failure.reset();
    done.store(false, std::memory_order_relaxed);
    in_flight.store(0, std::memory_order_relaxed);
    user_cancelled.store(false, std::memory_order_relaxed);
    wall = clock::duration::zero();
    final_status = run_status::succeeded;
  }

  // Node n has become ready (all its predecessors finished, or it is a source): clears what the
  // previous run of this state left. Called once per node and run, before the node starts, by
  // the one thread that made it ready. Returns whether a predecessor did not succeed.
  bool make_ready(std::uint32_t n) noexcept {
    node_run& r = nodes[n];
    const bool poisoned = r.poisoned.load(std::memory_order_relaxed);
    if (poisoned) r.poisoned.store(false, std::memory_order_relaxed);
    r.status.store(node_status::pending, std::memory_order_relaxed);
    r.timed = false;
    r.attempts = 0;
    r.busy = clock::duration::zero();
    return poisoned;
  }

  node_extra& more(node_run& r) {
    if (!r.extra) {
      r.extra = std::make_unique<node_extra>();
      extras.store(true, std::memory_order_relaxed);
    }
    return *r.extra;
  }

  static void job_entry(void* ctx, std::uintptr_t node) {
    static_cast<run_state*>(ctx)->execute(static_cast<std::uint32_t>(node));
  }
  job make_job(std::uint32_t n) noexcept { return job{&job_entry, this, n}; }

  const node_def& def(std::uint32_t n) const noexcept { return (*defs)[n]; }
  const node_hot& hot_of(std::uint32_t n) const noexcept { return hot[n]; }

  clock::time_point now() const { return clk->now(); }

  void emit(event::kind k, std::uint32_t n, int attempt, std::string_view message = {},
            clock::duration delay = clock::duration::zero()) {
    if (events) emit_now(k, n, attempt, message, delay);
  }
  void emit_now(event::kind k, std::uint32_t n, int attempt, std::string_view message,
                clock::duration delay) {
    std::lock_guard lock(events_mutex);
    const event e{k, hot_of(n).node_name(), attempt, now() - started, delay, message};
    if (opts.on_event) {
      try {
        opts.on_event(e);
      } catch (...) { // documented: must not throw; never let it break the run
      }
    }
    if (events_out) {
      *events_out << to_json(e) << '\n';
      events_out->flush();
    }
  }

  // Runs node n, then (as long as each finished node leaves exactly one successor for this
  // pool) its successors, without going back to the pool: chains cost no queue traffic. The
  // finished nodes are subtracted from `remaining` once, at the very end: after that, the run
  // may be over and this object gone.
  //
  // Then it runs the jobs of this run that wait at the back of this thread's own queue (what the
  // thread would run next anyway), so that a burst of nodes pays for `remaining` once, and it
  // defers the decrements of join nodes' counts (nodes with several predecessors: the fan-in of
  // a fan-out is decremented by every node of the fan, from every thread) to the end of the
  // burst, when one subtraction per join releases them. A deferred decrement never holds a
  // join back for long: after every node, the batch is released when it holds the last
  // decrements a join waits for, or has been held for join_batch::hold.
  void execute(std::uint32_t n) {
    const pool_kind here = hot_of(n).pool;
    join_batch joins;
    std::uint32_t finished = 0;
    std::optional<std::uint32_t> next = n;
    job taken[4]; // jobs of this run taken from this thread's queue, newest first
    std::size_t have = 0, used = 0;
    for (;;) {
      while (next) {
        const std::uint32_t cur = *next;
        next.reset();
        finished += attempt(cur, next, &joins);
        if (joins.size != 0 && held_enough(joins)) finished += release_joins(joins, here, next);
      }
      if (used < have) {
        next = static_cast<std::uint32_t>(taken[used++].arg);
        continue;
      }
      // Nothing finished here holds the run open (a coroutine node may have finished elsewhere,
      // ending the run): this state may already serve another run, or be gone.
      if (finished == 0) return;
      have = ex->pool(here).pop_local_if(&job_entry, this, taken, 4);
      used = 0;
      if (have != 0) {
        next = static_cast<std::uint32_t>(taken[used++].arg);
        continue;
      }
      if (joins.size == 0) break;
      finished += release_joins(joins, here, next);
    }
    if (finished != 0) retire(finished);
  }

  // What a burst carries from node to node: deferred decrements of join nodes' dependency counts
  // (a few distinct joins per burst), and the end time of the last try, which is the start time
  // of the next one when that follows at once (one clock read per node instead of two).
  struct join_batch {
    static constexpr std::uint32_t capacity = 4;
    static constexpr clock::duration hold = std::chrono::microseconds(10);
    std::uint32_t size = 0;
    bool stamped = false;
    clock::time_point stamp{};
    clock::time_point since{};   // when the first decrement now held was deferred
    std::uint32_t unstamped = 0; // checks without a stamp since then (the clock is read every 4th)
    std::uint32_t node[capacity];
    std::uint32_t count[capacity];
    bool add(std::uint32_t n) noexcept {
      for (std::uint32_t i = 0; i < size; ++i)
        if (node[i] == n) return ++count[i], true;
      if (size == capacity) return false;
      node[size] = n;
      count[size++] = 1;
      return true;
    }
  };

  // Takes a slot of the node's concurrency class, or queues the node in the class's waiting
  // list (false: it runs when a slot frees). Nodes without a class are always admitted.
  bool admit(std::uint32_t dep) {
    const node_hot& dh = hot_of(dep);
    if (dh.class_index < 0) return true;
    std::lock_guard lock(mutex);
    auto& c = classes[static_cast<std::size_t>(dh.class_index)];
    if (c.running >= c.limit) {
      c.waiting.push_back(dep);
      return false;
    }
    ++c.running;
    nodes[dep].holds_slot = true;
    return true;
  }

  // Whether the deferred decrements must be applied now: they are the last ones a join waits
  // for (it is ready but for them), or they have been held for join_batch::hold (checked after
  // every node, or every fourth without timings).
  bool held_enough(join_batch& joins) const {
    for (std::uint32_t i = 0; i < joins.size; ++i)
      if (nodes[joins.node[i]].pending.load(std::memory_order_relaxed) == joins.count[i])
        return true;
    // Without timings there is no stamp: read the clock after every fourth node only, the
    // first time after the fourth (a burst of a few tiny nodes reads no clock at all).
    if (!joins.stamped && (++joins.unstamped & 3) != 0) return false;
    const clock::time_point t = joins.stamped ? joins.stamp : now();
    if (joins.since == clock::time_point{}) joins.since = t;
    return t - joins.since >= join_batch::hold;
  }

  // Applies the deferred decrements; a join they make ready runs next here (if `next` is free
  // and it is for this pool), is queued, waits for its class, or is finished at once (skipped,
  // cancelled). Returns the nodes finished here.
  std::uint32_t release_joins(join_batch& joins, pool_kind here,
                              std::optional<std::uint32_t>& next) {
    std::uint32_t finished = 0;
    const std::uint32_t count = std::exchange(joins.size, 0);
    joins.since = {};
    joins.unstamped = 0;
    joins.stamped = false; // what runs here (finishing skipped joins) takes time
    for (std::uint32_t i = 0; i < count; ++i) {
      const std::uint32_t dep = joins.node[i];
      const std::uint32_t k = joins.count[i];
      node_run& dr = nodes[dep];
      const node_hot& dh = hot_of(dep);
      if (dr.pending.fetch_sub(k, std::memory_order_acq_rel) != k) continue;
      dr.pending.store(dh.preds, std::memory_order_relaxed);
      if (make_ready(dep) || stop_token.stop_requested()) {
        node_status st{};
        std::string reason;
        cascade_verdict(dep, st, reason);
        enter_flight(1);
        finished += finish(dep, st, reason, nullptr);
        continue;
      }
      if (!admit(dep)) continue;
      enter_flight(1);
      if (!next && dh.pool == here) {
        next = dep;
      } else {
        ex->pool(dh.pool).submit(make_job(dep));
      }
    }
    return finished;
  }

  // Why a node that became ready must not run: the run was stopped, or a predecessor did not
  // succeed (named in the reason).
  void cascade_verdict(std::uint32_t cur, node_status& st, std::string& reason) const {
    if (stop_token.stop_requested()) {
      st = node_status::cancelled;
      reason = stop_reason();
      return;
    }
    st = node_status::skipped;
    reason = "a node it depends on did not succeed";
    for (auto p : def(cur).preds) {
      const auto ps = nodes[p].status.load(std::memory_order_acquire);
      if (ps != node_status::succeeded) {
        reason =
            "depends on '" + def(p).name + "', which " +
            (ps == node_status::skipped ? std::string("was skipped") : std::string(to_string(ps)));
        return;
      }
    }
  }

  void retire(std::uint32_t finished) {
    if (remaining.fetch_sub(finished, std::memory_order_acq_rel) == finished) {
      event_count& wake = ex->helpers_;
      done.store(true, std::memory_order_release);
      wake.notify_all(); // touches the executor only: this state may already be gone
    }
  }

  // One try of node n. Returns how many nodes finished (for `remaining`).
  std::uint32_t attempt(std::uint32_t n, std::optional<std::uint32_t>& next,
                        join_batch* joins = nullptr) {
    node_run& r = nodes[n];
    const node_hot& d = hot_of(n);
    // The previous try's end is this one's start only if nothing ran in between; a try that
    // does not end through end_attempt here (cancelled, a coroutine's) leaves no stamp behind.
    const bool stamped = joins != nullptr && std::exchange(joins->stamped, false);
    if (stop_token.stop_requested())
      return finish(n, node_status::cancelled, stop_reason() + " before the node started", &next);
    const int attempt_no = ++r.attempts;
    const bool timed = timings || d.has_timeout;
    if (timed) {
      if (stamped && !d.has_timeout) {
        r.try_start = joins->stamp;
      } else {
        r.try_start = now();
      }
      if (attempt_no == 1) r.first_start = r.try_start;
      r.timed = true;
    }
    const std::stop_token* token = &stop_token;
    const clock::time_point* deadline = nullptr;
    if (d.has_timeout) {
      node_extra& x = more(r);
      x.run_link.reset();
      x.attempt_stop = std::stop_source();
      x.attempt_token = x.attempt_stop.get_token();
      x.run_link.emplace(stop_token, node_extra::link{&x.attempt_stop});
      x.deadline = r.try_start + *def(n).timeout;
      deadline = &x.deadline;
      x.timeout_timer = clk->call_at(
          x.deadline, [src = x.attempt_stop]() mutable noexcept { src.request_stop(); });
      token = &x.attempt_token;
    }
    emit(event::kind::started, n, attempt_no);
    if (d.dependents != 0) { // finish() reads the first dependent's lines: ask for them now
      const std::uint32_t first = dependents[d.first_dependent];
      tessera::detail::prefetch(&hot[first]);
      tessera::detail::prefetch(&nodes[first]);
    }

    if (d.coroutine) {
      node_extra& x = more(r);
      x.context.emplace(d.node_name(), token, *clk, attempt_no, deadline);
      x.try_error = nullptr;
      x.driver.reset();
      x.notifier = node_extra::notify{this, n};
      try {
        x.driver.emplace(
            drive_node(d.body->start(*x.context, values.get(), d.inputs, values[n]), x.try_error));
      } catch (...) { // the callable threw before returning its task
        x.driver.reset();
        return end_attempt(n, std::current_exception(), &next);
      }
      const cpu_share share(*ex, d);
      const thread_limit_scope limit(share.threads);
      x.driver->start(x.notifier); // may finish here, or later on another thread
      return 0;
    }

    node_context ctx(d.node_name(), token, *clk, attempt_no, deadline);
    std::exception_ptr failure;
    {
      const cpu_share share(*ex, d);
      const thread_limit_scope limit(share.threads);
      try {
        d.body->run(ctx, values.get(), d.inputs, values[n]);
      } catch (...) {
        failure = std::current_exception();
      }
    }
    return end_attempt(n, std::move(failure), &next, joins);
  }

  // The share of the machine a node's own parallel loops get (thread_limit_scope): a cpu node
  // gets min(the pool's threads / the width of its level in the graph, 1 + the pool threads not
  // running a cpu node right now); io nodes get one. The level width (nodes at the same longest
  // distance from a source) is static; occupancy is one counter per pool thread that only its
  // owner writes (no atomic read-modify-write on the hot path), summed only when a node could
  // use more than one thread.
  struct cpu_share {
    std::atomic<int>* slot = nullptr;
    bool shared = false;
    int threads = 1;
    cpu_share(executor& e, const node_hot& d) noexcept {
#if TESSERA_HAS_OPENMP
      if (d.pool != pool_kind::cpu) return;
      const auto& me = exec::detail::this_worker();
      const std::size_t w = e.cpu_.workers();
      shared = me.pool != &e.cpu_;
      slot = &e.busy_[shared ? w + 1 : me.index].value;
      if (shared) {
        slot->fetch_add(1, std::memory_order_relaxed);
      } else {
        slot->store(slot->load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      }
      const int p = e.cpu_concurrency();
      if (d.level_width >= p) return; // one thread (and no division on the per-node path)
      const int base = d.level_width <= 1 ? p : p / d.level_width;
      int busy = 0;
      for (std::size_t i = 0; i < w + 2; ++i)
        busy += e.busy_[i].value.load(std::memory_order_relaxed);
      threads = std::max(1, std::min(base, p - busy + 1));
#else
      static_cast<void>(e), static_cast<void>(d);
#endif
    }
    ~cpu_share() {
      if (slot == nullptr) return;
      if (shared) {
        slot->fetch_sub(1, std::memory_order_relaxed);
      } else {
        slot->store(slot->load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
      }
    }
    cpu_share(const cpu_share&) = delete;
    cpu_share& operator=(const cpu_share&) = delete;
  };

  static notifying_coroutine<node_extra::notify> drive_node(task<void> t,
                                                            std::exception_ptr& failure) {
    try {
      co_await std::move(t); // store_result already put the value in place
    } catch (...) {
      failure = std::current_exception();
    }
  }

  // A coroutine node's try finished (on whatever thread).
  void coroutine_finished(std::uint32_t n) {
    node_extra& x = *nodes[n].extra;
    std::exception_ptr failure = x.try_error;
    const std::uint32_t finished = end_attempt(n, std::move(failure), nullptr);
    if (finished != 0) retire(finished);
  }

  // Classifies the end of a try: success, retry, or final failure.
  std::uint32_t end_attempt(std::uint32_t n, std::exception_ptr failure,
                            std::optional<std::uint32_t>* next, join_batch* joins = nullptr) {
    node_run& r = nodes[n];
    const node_hot& h = hot_of(n);
    const bool timed = timings || h.has_timeout;
    const clock::time_point end = timed ? now() : clock::time_point{};
    if (timed) {
      r.busy += end - r.try_start;
      r.end = end;
    }
    if (joins != nullptr) { // a virtual clock may be advanced by others between two tries
      joins->stamped = timed && reuse_stamps;
      joins->stamp = end;
    }
    if (!failure && !h.has_timeout) return finish(n, node_status::succeeded, {}, next, joins);
    const node_def& d = def(n); // the cold part of the node: only for timeouts and failures
    bool overran = false;
    if (d.timeout) {
      node_extra& x = *r.extra;
      clk->cancel(x.timeout_timer);
      x.run_link.reset();
      if (end >= x.deadline) {
        overran = true;
        x.overrun = end - x.deadline;
        const auto ms = [](clock::duration v) { // milliseconds with 3 decimals, no locale
          const auto us =
              static_cast<long long>(std::chrono::duration<double, std::micro>(v).count() + 0.5);
          char buf[48];
          std::snprintf(buf, sizeof buf, "%lld.%03lld ms", us / 1000, us % 1000);
          return std::string(buf);
        };
        failure = std::make_exception_ptr(exception(
            error(errc::timeout, "node '" + d.name + "' ran " + ms(end - r.try_start) + ", " +
                                     ms(x.overrun) + " past its timeout of " + ms(*d.timeout))));
      }
    }
    if (!failure) return finish(n, node_status::succeeded, {}, next, joins);
    node_extra& x = more(r);
    x.error = failure;
    x.message = describe(failure);
    if (stop_token.stop_requested())
      return finish(n, node_status::cancelled, "stopped while running: " + x.message, next);
    if (r.attempts < d.retry.max_attempts && d.retry.should_retry(failure)) {
      const auto delay = d.retry.delay_before(
          r.attempts + 1, jitter_unit(opts.seed, n, static_cast<std::uint64_t>(r.attempts)));
      emit(event::kind::retrying, n, r.attempts, x.message, delay);
      if (delay <= clock::duration::zero()) {
        if (next != nullptr && !next->has_value()) {
          *next = n; // try again right here
        } else {
          ex->pool(d.pool).submit(make_job(n));
        }
        return 0;
      }
      // From here the node may be finished by others (timer, cancellation) and the run may end
      // before this function returns: keep the state alive until then.
      const state_ref keep_alive(this);
      {
        std::lock_guard lock(mutex);
        backoff[n] = clk->call_at(now() + delay,
                                  [self = keep_alive, n]() noexcept { self->backoff_over(n); });
      }
      if (stop_token.stop_requested()) take_back_from_backoff(n); // on_stop may have missed it
      leave_flight(1);
      return 0;
    }
    return finish(n, overran ? node_status::timed_out : node_status::failed, x.message, next);
  }

  void backoff_over(std::uint32_t n) {
    {
      std::lock_guard lock(mutex);
      if (backoff.erase(n) == 0) return; // cancelled meanwhile
    }
    enter_flight(1);
    ex->pool(hot_of(n).pool).submit(make_job(n));
  }

  void take_back_from_backoff(std::uint32_t n) {
    {
      std::lock_guard lock(mutex);
      auto it = backoff.find(n);
      if (it == backoff.end()) return;
      clk->cancel(it->second);
      backoff.erase(it);
    }
    enter_flight(1);
    const auto finished =
        finish(n, node_status::cancelled, stop_reason() + " during retry back-off", nullptr);
    if (finished != 0) retire(finished);
  }

  void enter_flight(int k) {
    if (track_idle) in_flight.fetch_add(k, std::memory_order_relaxed);
  }
  void leave_flight(int k) {
    if (!track_idle) return;
    // Once in_flight is 0 the caller may advance the clock, fire the last retry and finish the
    // run on its own thread, destroying this object: read what we need first.
    event_count& wake = ex->helpers_;
    if (in_flight.fetch_sub(k, std::memory_order_acq_rel) == k)
      wake.notify_all(); // the waiting caller may now advance a virtual clock
  }

  // The run was stopped (cancelled, or failed fast): end back-off waits and queued class waits.
  void on_stop() {
    std::vector<std::uint32_t> victims;
    {
      std::lock_guard lock(mutex);
      for (auto& [n, timer] : backoff) {
        clk->cancel(timer);
        victims.push_back(n);
      }
      backoff.clear();
      for (auto& c : classes) {
        victims.insert(victims.end(), c.waiting.begin(), c.waiting.end());
        c.waiting.clear();
      }
    }
    if (victims.empty()) return;
    enter_flight(static_cast<int>(victims.size()));
    std::uint32_t finished = 0;
    for (auto n : victims) {
      finished += finish(n, node_status::cancelled,
                         stop_reason() + (nodes[n].attempts > 0 ? " during retry back-off"
                                                                : " before the node started"),
                         nullptr);
    }
    if (finished != 0) retire(finished);
  }

  std::string stop_reason() const {
    return user_cancelled.load(std::memory_order_relaxed) ? "run cancelled"
                                                          : "run stopped after a failure";
  }

  // Node n ended with `status`. Releases its class slot, records a failure, then makes its
  // dependents ready: runs one of them next on this thread when possible, queues the others,
  // and finishes at once those that must be skipped or cancelled. Returns the number of nodes
  // finished here (n and the cascade), for the caller to retire.
  // `joins`: where a succeeded node may defer its joins' decrements (see execute).
  std::uint32_t finish(std::uint32_t n, node_status status, std::string_view why,
                       std::optional<std::uint32_t>* next, join_batch* joins = nullptr) {
    std::uint32_t finished = 0;
    std::vector<std::uint32_t> cascade; // nodes finished without running (rare)
    // Jobs for the pools, queued 32 at a time (raw storage: no per-call initialisation).
    alignas(job) unsigned char storage[2][32 * sizeof(job)];
    std::size_t batched[2] = {0, 0};
    const pool_kind here = hot_of(n).pool;
    const auto flush = [&](std::size_t p) {
      ex->pool(static_cast<pool_kind>(p))
          .submit_bulk(reinterpret_cast<const job*>(storage[p]), batched[p]);
      batched[p] = 0;
    };
    const auto dispatch = [&](std::uint32_t d) {
      enter_flight(1);
      const pool_kind p = hot_of(d).pool;
      if (next != nullptr && !next->has_value() && p == here) {
        *next = d;
        return;
      }
      const auto pi = static_cast<std::size_t>(p);
      ::new (static_cast<void*>(storage[pi] + batched[pi]++ * sizeof(job))) job(make_job(d));
      if (batched[pi] == 32) flush(pi);
    };

    std::uint32_t cur = n;
    node_status st = status;
    std::string reason(why);
    for (;;) {
      const node_hot& d = hot_of(cur);
      node_run& r = nodes[cur];
      if (!reason.empty() && st != node_status::succeeded) more(r).message = reason;
      r.status.store(st, std::memory_order_release);
      ++finished;
      switch (st) {
      case node_status::succeeded:
        emit(event::kind::succeeded, cur, r.attempts);
        break;
      case node_status::failed:
      case node_status::timed_out:
        emit(event::kind::failed, cur, r.attempts, reason);
        break;
      case node_status::skipped:
        emit(event::kind::skipped, cur, 0, reason);
        break;
      default:
        emit(event::kind::cancelled, cur, r.attempts, reason);
        break;
      }
      if (r.holds_slot) {
        std::optional<std::uint32_t> released;
        {
          std::lock_guard lock(mutex);
          r.holds_slot = false;
          auto& c = classes[static_cast<std::size_t>(d.class_index)];
          --c.running;
          if (!c.waiting.empty()) {
            released = c.waiting.front();
            c.waiting.pop_front();
            ++c.running;
            nodes[*released].holds_slot = true;
          }
        }
        if (released) dispatch(*released);
      }
      if (st == node_status::failed || st == node_status::timed_out) {
        {
          std::lock_guard lock(mutex);
          if (!first_failure) first_failure = cur;
        }
        // Every failure requests the stop, not just the first: the first may still be on its
        // way to request_stop() while this one already releases its dependents, which must
        // then see the stop (and be cancelled, not skipped).
        if (opts.on_error == error_policy::fail_fast) stop.request_stop();
      }
      const bool ok = st == node_status::succeeded;
      const std::uint32_t* deps = dependents + d.first_dependent;
      for (std::uint32_t k = 0; k < d.dependents; ++k) {
        if (k + 8 < d.dependents) { // a wide fan-out misses on every dependent: overlap them
          tessera::detail::prefetch(&hot[deps[k + 8]]);
          tessera::detail::prefetch(&nodes[deps[k + 8]]);
        }
        const std::uint32_t dep = deps[k];
        node_run& dr = nodes[dep];
        const node_hot& dh = hot_of(dep);
        if (!ok) dr.poisoned.store(true, std::memory_order_relaxed);
        // A node with one predecessor is ready now: no other thread can race for it. The last
        // predecessor restores the count for the next run.
        if (dh.preds != 1) {
          // Not with a virtual clock: a decrement in no one's flight count would let it jump.
          if (ok && joins != nullptr && !track_idle && joins->add(dep)) continue;
          if (dr.pending.fetch_sub(1, std::memory_order_acq_rel) != 1) continue;
          dr.pending.store(dh.preds, std::memory_order_relaxed);
        }
        if (make_ready(dep) || stop_token.stop_requested()) {
          cascade.push_back(dep);
          continue;
        }
        if (admit(dep)) dispatch(dep);
      }
      if (cascade.empty()) break;
      cur = cascade.back();
      cascade.pop_back();
      cascade_verdict(cur, st, reason);
    }
    for (std::size_t p = 0; p < 2; ++p)
      if (batched[p] != 0) flush(p);
    leave_flight(1); // n itself (cascaded nodes were never in flight)
    return finished;
  }
};

inline void node_extra::notify::operator()() const noexcept {
  state->coroutine_finished(node);
}

inline state_ref::state_ref(run_state* s) noexcept : s_(s) {
  if (s_ != nullptr) s_->refs.fetch_add(1, std::memory_order_relaxed);
}

inline state_ref::~state_ref() {
  if (s_ != nullptr && s_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) s_->give_back();
}

} // namespace detail

inline expected<run_result> executor::try_run(task_graph& g, run_options options) {
  if (auto v = g.validate(); !v) return unexpected(std::move(v).error());
  const auto& defs = g.definitions();
  const auto& plan = g.plan();
  const auto n = static_cast<std::uint32_t>(defs.size());

  auto st = detail::run_state::acquire(g);
  st->graph = &g;
  st->defs = &defs;
  st->hot = plan.hot.data();
  st->dependents = plan.dependents.data();
  if (st->names != g.names()) st->names = g.names();
  st->ex = this;
  st->clk = clock_;
  st->opts = std::move(options);
  st->timings = st->opts.timings;
  st->track_idle = clock_->is_virtual();
  st->reuse_stamps = !st->track_idle;
  if (!st->opts.events_file.empty()) {
    st->events_out =
        std::make_unique<std::ofstream>(st->opts.events_file, std::ios::out | std::ios::app);
    if (!*st->events_out)
      return unexpected(tessera::error(errc::io_error, "cannot open the events file '" +
                                                           st->opts.events_file +
                                                           "' for appending"));
  }
  st->events = static_cast<bool>(st->opts.on_event) || st->events_out != nullptr;
  for (const int lim : g.class_limits()) st->classes.push_back({lim, 0, {}});
  st->started = clock_->now();
  st->remaining.store(n, std::memory_order_relaxed);

  auto& sources = st->sources;
  sources[0].clear();
  sources[1].clear();
  for (const std::uint32_t i : plan.sources) {
    st->make_ready(i);
    const auto& h = plan.hot[i];
    if (!st->admit(i)) continue;
    sources[static_cast<int>(h.pool)].push_back(st->make_job(i));
  }
  if (plan.waits) st->stop_hook.emplace(st->stop_token, detail::run_state::cancel_all{st.get()});
  if (st->opts.stop.stop_possible())
    st->user_hook.emplace(st->opts.stop, detail::run_state::forward_user_stop{st.get()});

  if (n != 0) {
    st->enter_flight(static_cast<int>(sources[0].size() + sources[1].size()));
    thread_pool* pools[2] = {&cpu_, &io_};
    const std::size_t helped = io_.workers() == 0 ? 2 : 1;
    detail::run_state* s = st.get();
    thread_pool::help_until(
        pools, helped, helpers_,
        [s] {
          if (s->done.load(std::memory_order_acquire)) return true;
          if (s->track_idle && s->in_flight.load(std::memory_order_acquire) == 0) {
            s->clk->advance_idle(); // only timers are left: let virtual time jump to the next
            return s->done.load(std::memory_order_acquire);
          }
          return false;
        },
        [&] {
          // The sources go to this thread's own queue (when it gets one), reversed: it pops
          // them from the back in the graph's order, workers steal from the front. The first
          // cpu source runs here at once, as it would be popped first: a small graph then costs
          // no queue round trip before its first node.
          std::reverse(sources[0].begin(), sources[0].end());
          const bool first_here = !sources[0].empty();
          cpu_.submit_bulk(sources[0].data(), sources[0].size() - (first_here ? 1 : 0));
          io_.submit_bulk(sources[1].data(), sources[1].size());
          if (first_here) {
            const job first = sources[0].back();
            first();
          }
        });
  }
  st->user_hook.reset();
  st->stop_hook.reset();

  run_result out;
  out.wall_ = clock_->now() - st->started;
  for (const std::uint32_t i : plan.coroutines)
    if (auto& r = st->nodes[i]; r.extra) r.extra->driver.reset(); // free coroutine frames now
  bool all_ok = true;
  if (!st->first_failure && st->stop_token.stop_requested())
    for (std::uint32_t i = 0; i < n; ++i)
      all_ok &= st->nodes[i].status.load(std::memory_order_relaxed) == node_status::succeeded;
  out.status_ = st->first_failure ? run_status::failed
                : all_ok          ? run_status::succeeded
                                  : run_status::cancelled;
  st->wall = out.wall_;
  st->final_status = out.status_;
  st->report.emplace();
  out.state_ = std::move(st);
  return out;
}

inline const void* run_result::value(std::uint32_t index) const {
  if (!state_ || index >= state_->names->size()) return nullptr;
  if (state_->nodes[index].status.load(std::memory_order_acquire) != node_status::succeeded)
    return nullptr;
  return state_->values[index].get();
}

inline const run_report& run_result::report() const {
  static const run_report empty{};
  if (!state_) return empty;
  detail::run_state& st = *state_;
  auto& cache = *st.report;
  std::call_once(cache.once, [&st, &cache] {
    auto& rep = cache.report;
    const auto n = st.names->size();
    rep.status = st.final_status;
    rep.wall = st.wall;
    rep.nodes.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      auto& r = st.nodes[i];
      auto& o = rep.nodes[i];
      o.name = (*st.names)[i];
      o.status = r.status.load(std::memory_order_acquire);
      o.attempts = r.attempts;
      if (r.attempts > 0 && r.timed) {
        o.start = r.first_start - st.started;
        o.end = r.end - st.started;
        o.busy = r.busy;
      }
      if (r.extra) {
        o.overrun = o.status == node_status::timed_out ? r.extra->overrun : clock::duration::zero();
        if (o.status != node_status::succeeded) o.error = r.extra->message;
        if (o.status == node_status::failed || o.status == node_status::timed_out)
          o.exception = r.extra->error;
      }
      rep.busy += o.busy;
    }
    if (st.first_failure) {
      rep.failed_node = (*st.names)[*st.first_failure];
      rep.error = rep.nodes[*st.first_failure].error;
    }
  });
  return cache.report;
}

} // namespace exec
TESSERA_NAMESPACE_END
