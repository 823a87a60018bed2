// tessera: task_graph, a DAG of typed nodes built once and run many times by exec::executor.
//
//   exec::task_graph g;
//   auto load  = g.add("load", [] { return read_numbers(); });
//   auto total = g.add("sum", [](const std::vector<int>& v) { return sum(v); }, load)
//                    .retry({.max_attempts = 3, .initial_delay = 10ms})
//                    .timeout(2s);
//   auto out = exec::executor{}.run(g);
//   int s = out.get(total);
//
// A node is a callable taking (optionally) a node_context& and then the results of its inputs
// as const references, in the order the inputs were given; it returns a value, void, or a
// task<U> (a coroutine node, whose result is U). Inputs are type-checked when the node is added.
// Ordering-only dependencies can be given by name with after(); they are resolved, with cycle
// detection, when the graph is validated (before any run).
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/exec/clock.hpp>
#include <tessera/exec/task.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN
namespace exec {

/// Which pool runs a node: cpu for computation, io for blocking work (files, processes, network).
enum class pool_kind : std::uint8_t { cpu, io };

[[nodiscard]] constexpr std::string_view to_string(pool_kind p) noexcept {
  return p == pool_kind::cpu ? "cpu" : "io";
}

/// When and how often a failed node is tried again.
///
/// The delay before try k+1 (k >= 1 tries done) is min(max_delay, initial_delay *
/// multiplier^(k-1)), then reduced by a random fraction of at most `jitter` (so it never exceeds
/// the cap): delay * (1 - jitter * u), u uniform in [0, 1), drawn from the run's seed, the node
/// and the try, so runs are reproducible. Timeouts are errors like any other and retry too.
struct retry_policy {
  int max_attempts = 1;                               ///< the most tries, the first included (>= 1)
  clock::duration initial_delay{0};                   ///< delay before the first retry
  double multiplier = 2.0;                            ///< growth of the delay per retry (>= 1)
  clock::duration max_delay = clock::duration::max(); ///< cap on any single delay
  double jitter = 0.0; ///< in [0, 1]: the largest fraction removed at random
  /// Which failures retry; empty: every failure except cancellation (errc::cancelled).
  std::function<bool(const std::exception_ptr&)> retry_if;

  /// The delay before try `next_attempt` (>= 2), given u in [0, 1).
  [[nodiscard]] clock::duration delay_before(int next_attempt, double u) const noexcept {
    if (next_attempt < 2 || initial_delay <= clock::duration::zero())
      return clock::duration::zero();
    const double cap = static_cast<double>(max_delay.count());
    double d = static_cast<double>(initial_delay.count()) *
               std::pow(std::max(1.0, multiplier), next_attempt - 2);
    if (!(d < cap)) d = cap; // also catches inf/NaN
    d *= 1.0 - std::clamp(jitter, 0.0, 1.0) * std::clamp(u, 0.0, 1.0);
    constexpr double most = static_cast<double>(std::numeric_limits<std::int64_t>::max() / 2);
    return clock::duration(static_cast<std::int64_t>(std::min(d, most)));
  }

  /// Whether `failure` may be retried (ignoring the attempt count).
  [[nodiscard]] bool should_retry(const std::exception_ptr& failure) const {
    if (retry_if) return retry_if(failure);
    try {
      std::rethrow_exception(failure);
    } catch (const tessera::exception& e) {
      return e.code() != errc::cancelled;
    } catch (...) {
      return true;
    }
  }
};

/// A retry predicate accepting exactly the exceptions of type E (and types derived from it).
template <class E>
[[nodiscard]] std::function<bool(const std::exception_ptr&)> retry_on() {
  return [](const std::exception_ptr& p) {
    try {
      std::rethrow_exception(p);
    } catch (const E&) {
      return true;
    } catch (...) {
      return false;
    }
  };
}

/// What a running node can see about its run: its stop token (set when the run is cancelled or
/// the node's timeout expires), its deadline, which try this is, and the clock.
class node_context {
public:
  node_context(std::string_view name, const std::stop_token* stop, exec::clock& clk, int attempt,
               std::optional<exec::clock::time_point> deadline) noexcept
      : name_(name), stop_(stop), clock_(&clk), attempt_(attempt),
        deadline_(deadline.value_or(exec::clock::time_point{})),
        has_deadline_(deadline.has_value()) {}
  /// `deadline`: nullptr for none. (The executor's per-node path: building a std::optional
  /// there made g++ store it in two parts and load it whole, a store-forwarding stall per node.)
  node_context(std::string_view name, const std::stop_token* stop, exec::clock& clk, int attempt,
               const exec::clock::time_point* deadline) noexcept
      : name_(name), stop_(stop), clock_(&clk), attempt_(attempt),
        deadline_(deadline != nullptr ? *deadline : exec::clock::time_point{}),
        has_deadline_(deadline != nullptr) {}

  [[nodiscard]] std::string_view name() const noexcept { return name_; }
  /// Stop is requested when the run is cancelled, fails fast, or this try passes its deadline.
  [[nodiscard]] std::stop_token stop_token() const noexcept { return *stop_; }
  [[nodiscard]] bool stop_requested() const noexcept { return stop_->stop_requested(); }
  /// 1 for the first try.
  [[nodiscard]] int attempt() const noexcept { return attempt_; }
  /// When this try times out, if the node has a timeout.
  [[nodiscard]] std::optional<exec::clock::time_point> deadline() const noexcept {
    return has_deadline_ ? std::optional<exec::clock::time_point>(deadline_) : std::nullopt;
  }
  [[nodiscard]] exec::clock& clock() const noexcept { return *clock_; }
  /// Throws tessera::exception(errc::cancelled) if stop was requested.
  void throw_if_stopped() const {
    if (stop_requested())
      throw_error(error(errc::cancelled, "node '" + std::string(name_) + "' was asked to stop"));
  }

private:
  std::string_view name_;
  const std::stop_token* stop_;
  exec::clock* clock_;
  int attempt_;
  exec::clock::time_point deadline_;
  bool has_deadline_;
};

namespace detail {

/// An owning, type-erased node result.
class value_box {
public:
  value_box() = default;
  value_box(const value_box&) = delete;
  value_box& operator=(const value_box&) = delete;
  ~value_box() { reset(); }
  template <class T, class... Args>
  void emplace(Args&&... args) {
    reset();
    ptr_ = new T(std::forward<Args>(args)...);
    destroy_ = [](void* p) noexcept { delete static_cast<T*>(p); };
  }
  void reset() noexcept {
    if (ptr_ != nullptr) destroy_(ptr_);
    ptr_ = nullptr;
  }
  [[nodiscard]] const void* get() const noexcept { return ptr_; }
  [[nodiscard]] bool has_value() const noexcept { return ptr_ != nullptr; }

private:
  void* ptr_ = nullptr;
  void (*destroy_)(void*) noexcept = nullptr;
};

/// A node's callable with its input types erased. run() executes a plain callable to
/// completion; start() creates the task of a coroutine node.
class node_body {
public:
  virtual ~node_body() = default;
  [[nodiscard]] virtual bool is_coroutine() const noexcept = 0;
  virtual void run(node_context& ctx, const value_box* values, const std::uint32_t* inputs,
                   value_box& out) = 0;
  virtual task<void> start(node_context& ctx, const value_box* values, const std::uint32_t* inputs,
                           value_box& out) = 0;
};

template <class T>
task<void> store_result(task<T> t, value_box& out) {
  if constexpr (std::is_void_v<T>) {
    co_await std::move(t);
  } else {
    out.emplace<T>(co_await std::move(t));
  }
}

template <class F, class... Ins>
inline constexpr bool takes_context_v = std::is_invocable_v<F&, node_context&, const Ins&...>;

template <class F, class... Ins>
using call_result_t =
    typename std::conditional_t<takes_context_v<F, Ins...>,
                                std::invoke_result<F&, node_context&, const Ins&...>,
                                std::invoke_result<F&, const Ins&...>>::type;

template <class R>
struct node_value {
  using type = R;
};
template <class U>
struct node_value<task<U>> {
  using type = U;
};

template <class F, class... Ins>
class body_impl final : public node_body {
public:
  using result = call_result_t<F, Ins...>;
  static constexpr bool coroutine = is_task<result>::value;

  explicit body_impl(F f) : f_(std::move(f)) {}
  [[nodiscard]] bool is_coroutine() const noexcept override { return coroutine; }

  void run(node_context& ctx, const value_box* values, const std::uint32_t* inputs,
           value_box& out) override {
    if constexpr (!coroutine) {
      if constexpr (std::is_void_v<result>) {
        call(ctx, values, inputs, std::index_sequence_for<Ins...>{});
      } else {
        out.emplace<result>(call(ctx, values, inputs, std::index_sequence_for<Ins...>{}));
      }
    } else {
      static_cast<void>(ctx), static_cast<void>(values), static_cast<void>(inputs),
          static_cast<void>(out);
    }
  }

  task<void> start(node_context& ctx, const value_box* values, const std::uint32_t* inputs,
                   value_box& out) override {
    if constexpr (coroutine) {
      return store_result(call(ctx, values, inputs, std::index_sequence_for<Ins...>{}), out);
    } else {
      static_cast<void>(ctx), static_cast<void>(values), static_cast<void>(inputs),
          static_cast<void>(out);
      return {};
    }
  }

private:
  template <std::size_t... I>
  decltype(auto) call(node_context& ctx, const value_box* values, const std::uint32_t* inputs,
                      std::index_sequence<I...>) {
    if constexpr (takes_context_v<F, Ins...>) {
      return std::invoke(f_, ctx, *static_cast<const Ins*>(values[inputs[I]].get())...);
    } else {
      static_cast<void>(ctx);
      return std::invoke(f_, *static_cast<const Ins*>(values[inputs[I]].get())...);
    }
  }
  F f_;
};

struct node_def {
  std::string name;
  std::vector<std::uint32_t> inputs;      // typed inputs, in parameter order
  std::vector<std::string> after;         // ordering-only dependencies, by name
  std::vector<std::uint32_t> after_nodes; // ordering-only dependencies, by handle
  pool_kind pool = pool_kind::cpu;
  retry_policy retry;
  std::optional<clock::duration> timeout;
  std::string limit_class;
  std::unique_ptr<node_body> body;
  // Filled by validation:
  std::vector<std::uint32_t> preds;      // distinct predecessors (inputs and after)
  std::vector<std::uint32_t> dependents; // distinct successors
  int class_index = -1;
  int level_width = 1; // nodes at the same depth (longest path from a source)
};

/// What a run reads of a node on its hot path, packed in one cache line (a node_def spans five):
/// graphs of 100,000 tiny nodes are bound by the lines they touch per node.
struct alignas(64) node_hot {
  node_body* body = nullptr;
  const std::uint32_t* inputs = nullptr;
  const char* name = nullptr;
  std::uint32_t name_size = 0;
  std::uint32_t first_dependent = 0; // into graph_plan::dependents
  std::uint32_t dependents = 0;
  std::uint32_t preds = 0; // distinct predecessors
  std::int32_t class_index = -1;
  std::int32_t level_width = 1;
  pool_kind pool = pool_kind::cpu;
  bool has_timeout = false;
  bool coroutine = false;

  [[nodiscard]] std::string_view node_name() const noexcept { return {name, name_size}; }
};

/// The graph as runs read it, derived by validation: hot node data, the dependents of every node
/// in one array, the sources (in node order) and the coroutine nodes.
struct graph_plan {
  std::uint64_t generation = 0; // changes whenever validation rebuilds the plan
  std::vector<node_hot> hot;
  std::vector<std::uint32_t> dependents;
  std::vector<std::uint32_t> sources;
  std::vector<std::uint32_t> coroutines;
  /// Some node has a limit class or may retry: a stop must end class and back-off waits.
  bool waits = false;
};

/// Where a graph keeps the state of a finished run for its next run to reuse (a graph is built
/// once and run many times: the per-node state is not allocated again). Shared by the graph and
/// the states of its runs, which return here when the last reference to them goes; the graph's
/// destruction frees the spare and tells later returns to free themselves.
struct run_recycler {
  using destroy_fn = void (*)(void*) noexcept;
  std::atomic<void*> spare{nullptr}; // a state, nullptr, or closed() once the graph is gone
  std::atomic<destroy_fn> destroy{nullptr};

  [[nodiscard]] void* closed() noexcept { return this; }
  /// Takes the spare state, if any (the caller owns it).
  void* take() noexcept {
    void* s = spare.load(std::memory_order_acquire);
    while (s != nullptr && s != closed())
      if (spare.compare_exchange_weak(s, nullptr, std::memory_order_acq_rel)) return s;
    return nullptr;
  }
  /// Keeps `state` as the spare if the graph lives and has none; otherwise frees it.
  void give(void* state, destroy_fn destroy_state) noexcept {
    destroy.store(destroy_state, std::memory_order_relaxed);
    void* expected = nullptr;
    if (!spare.compare_exchange_strong(expected, state, std::memory_order_acq_rel))
      destroy_state(state);
  }
  /// The graph is going: frees the spare; later states free themselves.
  void close() noexcept {
    void* s = spare.exchange(closed(), std::memory_order_acq_rel);
    if (s != nullptr && s != closed()) destroy.load(std::memory_order_relaxed)(s);
  }
};

} // namespace detail

class task_graph;

/// A typed reference to a node of a task_graph; T is the node's result type (void allowed).
/// Setters configure the node and return *this, so they chain after add().
template <class T>
class node {
public:
  using value_type = T;
  node(task_graph* g, std::uint32_t index) noexcept : graph_(g), index_(index) {}

  [[nodiscard]] std::uint32_t index() const noexcept { return index_; }
  [[nodiscard]] const task_graph* graph() const noexcept { return graph_; }

  node& on(pool_kind p);
  node& retry(retry_policy policy);
  /// Each try gets `limit`; when it passes, the try's stop token is set, and a try that ends
  /// at or after its deadline fails with errc::timeout whatever it returned (the overrun is
  /// reported).
  node& timeout(clock::duration limit);
  /// Counts the node against the graph's limit for `name` (see task_graph::limit).
  node& limit_class(std::string name);
  /// Runs after the node called `name` (no value is passed); resolved at validation.
  node& after(std::string name);
  /// Runs after `other` (no value is passed). Precondition: same graph.
  template <class U>
  node& after(const node<U>& other);

private:
  task_graph* graph_;
  std::uint32_t index_;
};

/// A directed acyclic graph of named nodes. Building is single-threaded; once validated, any
/// number of runs (also concurrent ones) may use it as long as it is not modified.
class task_graph {
public:
  task_graph() = default;
  task_graph(task_graph&&) = delete; // nodes refer to their graph
  task_graph& operator=(task_graph&&) = delete;
  ~task_graph() { recycler_->close(); }

  /// Adds a node called `name` computing fn(results of inputs...). fn may take a node_context&
  /// first. Returns a typed handle. Names must be unique (checked by validate()).
  template <class F, class... Ins>
  auto add(std::string name, F fn, node<Ins>... inputs) {
    static_assert(std::is_invocable_v<F&, const Ins&...> ||
                      std::is_invocable_v<F&, node_context&, const Ins&...>,
                  "task_graph::add: the callable must accept (const In&...) or "
                  "(node_context&, const In&...) for the results of the nodes it depends on");
    using body = detail::body_impl<F, Ins...>;
    using value = typename detail::node_value<typename body::result>::type;
    static_assert(!std::is_reference_v<value>, "a node must return a value, not a reference");
    (TESSERA_ASSERT(inputs.graph() == this, "input node belongs to another task_graph"), ...);
    auto& def = nodes_.emplace_back();
    def.name = std::move(name);
    def.inputs = {inputs.index()...};
    def.body = std::make_unique<body>(std::move(fn));
    validated_.store(false, std::memory_order_relaxed);
    return node<value>(this, static_cast<std::uint32_t>(nodes_.size() - 1));
  }

  /// At most `max_concurrent` nodes of class `name` run at once in any run. Precondition: >= 1.
  void limit(std::string name, int max_concurrent) {
    TESSERA_ASSERT(max_concurrent >= 1, "a concurrency limit must be at least 1");
    limits_[std::move(name)] = std::max(1, max_concurrent);
    validated_.store(false, std::memory_order_relaxed);
  }

  [[nodiscard]] std::size_t size() const noexcept { return nodes_.size(); }
  [[nodiscard]] const std::string& name_of(std::uint32_t index) const { return nodes_[index].name; }
  /// The node called `name`, if any.
  [[nodiscard]] std::optional<std::uint32_t> find(std::string_view name) const {
    for (std::uint32_t i = 0; i < nodes_.size(); ++i)
      if (nodes_[i].name == name) return i;
    return std::nullopt;
  }

  /// Checks the graph before any run: names unique and non-empty, every after() name exists,
  /// every limit class has a limit, retry policies are sane, and there is no cycle. A cycle is
  /// reported with its path ("a -> b -> c -> a"). Errors: errc::invalid_argument (names,
  /// policies), errc::not_found (missing dependency or class), errc::cycle.
  [[nodiscard]] expected<void> validate() {
    if (validated_.load(std::memory_order_acquire)) return {};
    std::lock_guard lock(validate_mutex_);
    if (validated_.load(std::memory_order_relaxed)) return {};
    std::unordered_map<std::string_view, std::uint32_t> by_name;
    for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
      const auto& n = nodes_[i];
      if (n.name.empty())
        return unexpected(
            error(errc::invalid_argument, "node #" + std::to_string(i) + " has an empty name"));
      auto [it, fresh] = by_name.emplace(n.name, i);
      if (!fresh)
        return unexpected(error(errc::invalid_argument, "duplicate node name '" + n.name +
                                                            "' (nodes #" +
                                                            std::to_string(it->second) + " and #" +
                                                            std::to_string(i) + ")"));
      if (n.retry.max_attempts < 1 || !(n.retry.multiplier >= 1.0) ||
          !(n.retry.jitter >= 0.0 && n.retry.jitter <= 1.0) ||
          n.retry.initial_delay < clock::duration::zero() ||
          n.retry.max_delay < clock::duration::zero())
        return unexpected(error(errc::invalid_argument,
                                "node '" + n.name +
                                    "': retry policy needs max_attempts >= 1, multiplier >= 1, "
                                    "jitter in [0, 1] and non-negative delays"));
      if (n.timeout && *n.timeout <= clock::duration::zero())
        return unexpected(
            error(errc::invalid_argument, "node '" + n.name + "': timeout must be positive"));
    }
    for (auto& n : nodes_) {
      n.preds.assign(n.inputs.begin(), n.inputs.end());
      n.preds.insert(n.preds.end(), n.after_nodes.begin(), n.after_nodes.end());
      for (const auto& a : n.after) {
        auto it = by_name.find(a);
        if (it == by_name.end())
          return unexpected(error(errc::not_found, "node '" + n.name + "' depends on '" + a +
                                                       "', which is not in the graph"));
        n.preds.push_back(it->second);
      }
      std::sort(n.preds.begin(), n.preds.end());
      n.preds.erase(std::unique(n.preds.begin(), n.preds.end()), n.preds.end());
      n.dependents.clear();
      n.class_index = -1;
      if (!n.limit_class.empty()) {
        auto it = limits_.find(n.limit_class);
        if (it == limits_.end())
          return unexpected(
              error(errc::not_found, "node '" + n.name + "' is in limit class '" + n.limit_class +
                                         "', which has no limit (task_graph::limit)"));
        n.class_index = static_cast<int>(std::distance(limits_.begin(), it));
      }
    }
    for (std::uint32_t i = 0; i < nodes_.size(); ++i)
      for (auto p : nodes_[i].preds) nodes_[p].dependents.push_back(i);
    if (auto cycle = find_cycle(); !cycle.empty())
      return unexpected(error(errc::cycle, "the nodes form a cycle: " + cycle));
    compute_level_widths();
    class_limits_.clear();
    for (const auto& [name, lim] : limits_) class_limits_.push_back(lim);
    auto names = std::make_shared<std::vector<std::string>>();
    names->reserve(nodes_.size());
    for (const auto& n : nodes_) names->push_back(n.name);
    names_ = std::move(names);
    build_plan();
    validated_.store(true, std::memory_order_release);
    return {};
  }

  /// The graph in Graphviz DOT: io nodes dashed, ordering-only edges dotted, typed edges solid.
  [[nodiscard]] std::string to_dot() const {
    const auto quote = [](std::string_view s) {
      std::string out = "\"";
      for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += (c == '\n') ? ' ' : c;
      }
      return out + "\"";
    };
    std::string out = "digraph tessera {\n  rankdir=LR;\n  node [shape=box];\n";
    for (const auto& n : nodes_) {
      out += "  " + quote(n.name);
      std::string attrs;
      if (n.pool == pool_kind::io) attrs += "style=dashed";
      if (n.timeout || n.retry.max_attempts > 1) {
        if (!attrs.empty()) attrs += ", ";
        attrs += "peripheries=2";
      }
      if (!attrs.empty()) out += " [" + attrs + "]";
      out += ";\n";
    }
    for (const auto& n : nodes_) {
      for (auto in : n.inputs)
        out += "  " + quote(nodes_[in].name) + " -> " + quote(n.name) + ";\n";
      for (auto a : n.after_nodes)
        out += "  " + quote(nodes_[a].name) + " -> " + quote(n.name) + " [style=dotted];\n";
      for (const auto& a : n.after)
        out += "  " + quote(a) + " -> " + quote(n.name) + " [style=dotted];\n";
    }
    return out + "}\n";
  }

  /// Internal: the node definitions (valid after validate()).
  [[nodiscard]] const std::vector<detail::node_def>& definitions() const noexcept { return nodes_; }
  [[nodiscard]] const std::vector<int>& class_limits() const noexcept { return class_limits_; }
  /// Internal: what runs read on their hot path (valid after validate()).
  [[nodiscard]] const detail::graph_plan& plan() const noexcept { return plan_; }
  /// Internal: where finished runs leave their state for the next run.
  [[nodiscard]] const std::shared_ptr<detail::run_recycler>& recycler() const noexcept {
    return recycler_;
  }
  /// Internal: the node names, shared with run results (valid after validate()).
  [[nodiscard]] const std::shared_ptr<const std::vector<std::string>>& names() const noexcept {
    return names_;
  }
  [[nodiscard]] bool validated() const noexcept {
    return validated_.load(std::memory_order_acquire);
  }

private:
  template <class T>
  friend class node;

  detail::node_def& def(std::uint32_t index) {
    validated_.store(false, std::memory_order_relaxed);
    return nodes_[index];
  }

  void build_plan() {
    const std::size_t n = nodes_.size();
    detail::graph_plan p;
    p.generation = plan_.generation + 1;
    p.hot.resize(n);
    std::size_t edges = 0;
    for (const auto& d : nodes_) edges += d.dependents.size();
    p.dependents.reserve(edges);
    for (std::uint32_t i = 0; i < n; ++i) {
      const auto& d = nodes_[i];
      auto& h = p.hot[i];
      h.body = d.body.get();
      h.inputs = d.inputs.data();
      h.name = d.name.data();
      h.name_size = static_cast<std::uint32_t>(d.name.size());
      h.first_dependent = static_cast<std::uint32_t>(p.dependents.size());
      h.dependents = static_cast<std::uint32_t>(d.dependents.size());
      p.dependents.insert(p.dependents.end(), d.dependents.begin(), d.dependents.end());
      h.preds = static_cast<std::uint32_t>(d.preds.size());
      h.class_index = d.class_index;
      h.level_width = d.level_width;
      h.pool = d.pool;
      h.has_timeout = d.timeout.has_value();
      h.coroutine = d.body->is_coroutine();
      if (d.preds.empty()) p.sources.push_back(i);
      if (h.coroutine) p.coroutines.push_back(i);
      p.waits |= d.class_index >= 0 || d.retry.max_attempts > 1;
    }
    plan_ = std::move(p);
  }

  // Depth = longest path from a source (Kahn's order); width = nodes sharing a depth.
  void compute_level_widths() {
    const std::size_t n = nodes_.size();
    std::vector<std::uint32_t> indegree(n), order, depth(n, 0);
    order.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      indegree[i] = static_cast<std::uint32_t>(nodes_[i].preds.size());
      if (indegree[i] == 0) order.push_back(i);
    }
    for (std::size_t k = 0; k < order.size(); ++k) {
      const auto v = order[k];
      for (auto w : nodes_[v].dependents) {
        depth[w] = std::max(depth[w], depth[v] + 1);
        if (--indegree[w] == 0) order.push_back(w);
      }
    }
    std::vector<int> width(n + 1, 0);
    for (std::uint32_t i = 0; i < n; ++i) ++width[depth[i]];
    for (std::uint32_t i = 0; i < n; ++i) nodes_[i].level_width = width[depth[i]];
  }

  // Iterative DFS (graphs may be deep); returns "a -> b -> a" or "".
  std::string find_cycle() const {
    const std::size_t n = nodes_.size();
    std::vector<std::uint8_t> color(n, 0); // 0 new, 1 on the stack, 2 done
    std::vector<std::pair<std::uint32_t, std::size_t>> stack;
    for (std::uint32_t root = 0; root < n; ++root) {
      if (color[root] != 0) continue;
      stack.push_back({root, 0});
      color[root] = 1;
      while (!stack.empty()) {
        auto& [v, next] = stack.back();
        if (next == nodes_[v].dependents.size()) {
          color[v] = 2;
          stack.pop_back();
          continue;
        }
        const std::uint32_t w = nodes_[v].dependents[next++];
        if (color[w] == 1) {
          std::string path;
          auto it = std::find_if(stack.begin(), stack.end(), [&](auto& e) { return e.first == w; });
          for (; it != stack.end(); ++it) path += nodes_[it->first].name + " -> ";
          return path + nodes_[w].name;
        }
        if (color[w] == 0) {
          color[w] = 1;
          stack.push_back({w, 0});
        }
      }
    }
    return {};
  }

  std::vector<detail::node_def> nodes_;
  std::map<std::string, int, std::less<>> limits_;
  std::vector<int> class_limits_;
  std::shared_ptr<const std::vector<std::string>> names_;
  detail::graph_plan plan_;
  std::shared_ptr<detail::run_recycler> recycler_ = std::make_shared<detail::run_recycler>();
  std::atomic<bool> validated_{false};
  std::mutex validate_mutex_;
};

template <class T>
node<T>& node<T>::on(pool_kind p) {
  graph_->def(index_).pool = p;
  return *this;
}
template <class T>
node<T>& node<T>::retry(retry_policy policy) {
  graph_->def(index_).retry = std::move(policy);
  return *this;
}
template <class T>
node<T>& node<T>::timeout(clock::duration limit) {
  graph_->def(index_).timeout = limit;
  return *this;
}
template <class T>
node<T>& node<T>::limit_class(std::string name) {
  graph_->def(index_).limit_class = std::move(name);
  return *this;
}
template <class T>
node<T>& node<T>::after(std::string name) {
  graph_->def(index_).after.push_back(std::move(name));
  return *this;
}
template <class T>
template <class U>
node<T>& node<T>::after(const node<U>& other) {
  TESSERA_ASSERT(other.graph() == graph_, "after(): the node belongs to another task_graph");
  graph_->def(index_).after_nodes.push_back(other.index());
  return *this;
}

} // namespace exec
TESSERA_NAMESPACE_END
