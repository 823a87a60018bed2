// tessera: compressed sparse row graphs, owning and non-owning.
//
//   csr_view<V, E, W>          spans over external offsets / targets / weights (a memory-mapped
//                              file, a numpy buffer): a graph without copying
//   compressed_graph<V, E, W>  owns 64-byte-aligned arrays; out-edges (CSR) or, built from the
//                              transposed edges, in-edges (CSC); records whether it is directed
//   bidirectional_graph        a CSR of out-edges and a CSC of in-edges together
//
// V is the vertex id type, E the edge offset type (32-bit ids with 64-bit offsets hold more than
// 2^32 edges), W the weight type or void. Edge ids are positions in targets(): edge_ids(u) are
// offsets[u] .. offsets[u + 1], and weights()[e] belongs to targets()[e].
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/concepts.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/graph/concepts.hpp>

#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <ranges>
#include <span>
#include <string>
#include <type_traits>
#include <utility>

TESSERA_NAMESPACE_BEGIN

/// Whether each stored edge is one-way, or the graph is symmetric (every edge stored both ways).
enum class graph_direction : std::uint8_t { directed, undirected };

/// A random-access range of (target, weight) pairs over two parallel arrays; elements are
/// std::pair<V, W> values, so target(e) and edge_weight(e) apply.
template <vertex_id V, weight W>
class weighted_edge_range : public std::ranges::view_interface<weighted_edge_range<V, W>> {
public:
  class iterator {
  public:
    using iterator_concept = std::random_access_iterator_tag;
    using iterator_category = std::input_iterator_tag;
    using value_type = std::pair<V, W>;
    using difference_type = std::ptrdiff_t;

    iterator() = default;
    iterator(const V* t, const W* w) noexcept : t_(t), w_(w) {}
    value_type operator*() const noexcept { return {*t_, *w_}; }
    value_type operator[](difference_type k) const noexcept { return {t_[k], w_[k]}; }
    iterator& operator++() noexcept { return ++t_, ++w_, *this; }
    iterator operator++(int) noexcept {
      auto c = *this;
      ++*this;
      return c;
    }
    iterator& operator--() noexcept { return --t_, --w_, *this; }
    iterator operator--(int) noexcept {
      auto c = *this;
      --*this;
      return c;
    }
    iterator& operator+=(difference_type k) noexcept { return t_ += k, w_ += k, *this; }
    iterator& operator-=(difference_type k) noexcept { return t_ -= k, w_ -= k, *this; }
    friend iterator operator+(iterator i, difference_type k) noexcept { return i += k; }
    friend iterator operator+(difference_type k, iterator i) noexcept { return i += k; }
    friend iterator operator-(iterator i, difference_type k) noexcept { return i -= k; }
    friend difference_type operator-(const iterator& a, const iterator& b) noexcept {
      return a.t_ - b.t_;
    }
    friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.t_ == b.t_; }
    friend auto operator<=>(const iterator& a, const iterator& b) noexcept { return a.t_ <=> b.t_; }

  private:
    const V* t_ = nullptr;
    const W* w_ = nullptr;
  };

  weighted_edge_range() = default;
  weighted_edge_range(std::span<const V> targets, std::span<const W> weights) noexcept
      : targets_(targets), weights_(weights) {}
  [[nodiscard]] iterator begin() const noexcept { return {targets_.data(), weights_.data()}; }
  [[nodiscard]] iterator end() const noexcept {
    return {targets_.data() + targets_.size(), weights_.data() + weights_.size()};
  }
  [[nodiscard]] std::size_t size() const noexcept { return targets_.size(); }
  [[nodiscard]] std::span<const V> targets() const noexcept { return targets_; }
  [[nodiscard]] std::span<const W> weights() const noexcept { return weights_; }

private:
  std::span<const V> targets_;
  std::span<const W> weights_;
};

namespace detail {
struct no_weights {};
template <class W>
using weight_span = std::conditional_t<std::is_void_v<W>, no_weights, std::span<const W>>;
template <class W>
struct weight_buffer_of {
  using type = aligned_buffer<W>;
};
template <>
struct weight_buffer_of<void> {
  using type = no_weights;
};
template <class W>
using weight_buffer = typename weight_buffer_of<W>::type;

/// Checks the CSR invariants of external arrays; O(n + m).
template <class V, class E>
expected<void> check_csr(std::span<const E> offsets, std::span<const V> targets,
                         std::size_t weight_count, bool weighted) {
  const auto fail = [](std::string what) {
    return make_error(errc::corrupt_data, std::move(what));
  };
  if (offsets.empty()) {
    if (!targets.empty()) return fail("CSR has edges but no offsets");
    return {};
  }
  const std::size_t n = offsets.size() - 1;
  if (n > 0 && n - 1 > static_cast<std::size_t>(std::numeric_limits<V>::max()))
    return make_error(errc::overflow,
                      std::to_string(n) + " vertices do not fit the vertex id type");
  if (offsets[0] != 0) return fail("CSR offsets[0] is " + std::to_string(offsets[0]) + ", not 0");
  for (std::size_t u = 0; u < n; ++u)
    if (offsets[u + 1] < offsets[u])
      return fail("CSR offsets decrease at vertex " + std::to_string(u));
  if (static_cast<std::size_t>(offsets[n]) != targets.size())
    return fail("CSR offsets end at " + std::to_string(offsets[n]) + " but there are " +
                std::to_string(targets.size()) + " targets");
  if (weighted && weight_count != targets.size())
    return fail("CSR has " + std::to_string(weight_count) + " weights for " +
                std::to_string(targets.size()) + " edges");
  for (std::size_t e = 0; e < targets.size(); ++e) {
    const auto t = targets[e];
    if constexpr (std::is_signed_v<V>) {
      if (t < 0) return fail("CSR target of edge " + std::to_string(e) + " is negative");
    }
    if (static_cast<std::size_t>(t) >= n)
      return fail("CSR target of edge " + std::to_string(e) + " is " + std::to_string(t) +
                  ", not below the vertex count " + std::to_string(n));
  }
  return {};
}
} // namespace detail

/// A non-owning compressed sparse row graph over external arrays. Copying is O(1).
/// Construct with csr_view::make to validate untrusted arrays; the plain constructors only
/// assert the sizes.
template <vertex_id V = std::uint32_t, edge_offset E = std::uint64_t, weight_or_void W = void>
class csr_view {
public:
  using vertex_type = V;
  using offset_type = E;
  using weight_type = W;
  static constexpr bool weighted = !std::is_void_v<W>;

  constexpr csr_view() noexcept = default;
  csr_view(std::span<const E> offsets, std::span<const V> targets) noexcept requires(!weighted)
      : offsets_(offsets), targets_(targets) {
    TESSERA_ASSERT(offsets.empty() ? targets.empty()
                                   : static_cast<std::size_t>(offsets.back()) == targets.size(),
                   "CSR offsets must end at the edge count");
  }
  template <class U = W>
  requires(!std::is_void_v<U>)
      csr_view(std::span<const E> offsets, std::span<const V> targets, std::span<const U> weights)
  noexcept : offsets_(offsets), targets_(targets), weights_(weights) {
    TESSERA_ASSERT(offsets.empty() ? targets.empty()
                                   : static_cast<std::size_t>(offsets.back()) == targets.size(),
                   "CSR offsets must end at the edge count");
    TESSERA_ASSERT(weights.size() == targets.size(), "one weight per edge");
  }

  /// A view over arrays that are checked first: offsets start at 0 and never decrease, end at
  /// the edge count, every target is a vertex, the weights match. O(n + m).
  static expected<csr_view> make(std::span<const E> offsets,
                                 std::span<const V> targets) requires(!weighted) {
    if (auto ok = detail::check_csr<V, E>(offsets, targets, 0, false); !ok)
      return unexpected(ok.error());
    return csr_view(offsets, targets);
  }
  template <class U = W>
  requires(!std::is_void_v<U>) static expected<csr_view> make(
      std::span<const E> offsets, std::span<const V> targets,
      std::type_identity_t<std::span<const U>> weights) {
    if (auto ok = detail::check_csr<V, E>(offsets, targets, weights.size(), true); !ok)
      return unexpected(ok.error());
    return csr_view(offsets, targets, weights);
  }

  [[nodiscard]] std::size_t num_vertices() const noexcept {
    return offsets_.empty() ? 0 : offsets_.size() - 1;
  }
  [[nodiscard]] std::size_t num_edges() const noexcept { return targets_.size(); }
  /// O(1). Precondition: u < num_vertices().
  [[nodiscard]] std::size_t degree(std::size_t u) const noexcept {
    TESSERA_ASSERT(u < num_vertices(), "vertex out of range");
    return static_cast<std::size_t>(offsets_[u + 1] - offsets_[u]);
  }
  /// The targets of u's out-edges (unweighted) or (target, weight) pairs (weighted).
  [[nodiscard]] auto neighbors(std::size_t u) const noexcept {
    if constexpr (weighted)
      return weighted_edge_range<V, W>(targets_of(u), weights_of(u));
    else
      return targets_of(u);
  }
  /// The targets of u's out-edges, weighted or not.
  [[nodiscard]] std::span<const V> targets_of(std::size_t u) const noexcept {
    TESSERA_ASSERT(u < num_vertices(), "vertex out of range");
    return targets_.subspan(static_cast<std::size_t>(offsets_[u]), degree(u));
  }
  /// The weights of u's out-edges, aligned with targets_of(u).
  template <class U = W>
  requires(!std::is_void_v<U>)
      [[nodiscard]] std::span<const U> weights_of(std::size_t u) const noexcept {
    return weights_.subspan(static_cast<std::size_t>(offsets_[u]), degree(u));
  }
  /// The ids of u's out-edges: [first, last) into targets() and weights().
  [[nodiscard]] std::pair<std::size_t, std::size_t> edge_ids(std::size_t u) const noexcept {
    TESSERA_ASSERT(u < num_vertices(), "vertex out of range");
    return {static_cast<std::size_t>(offsets_[u]), static_cast<std::size_t>(offsets_[u + 1])};
  }

  [[nodiscard]] std::span<const E> offsets() const noexcept { return offsets_; }
  [[nodiscard]] std::span<const V> targets() const noexcept { return targets_; }
  template <class U = W>
  requires(!std::is_void_v<U>) [[nodiscard]] std::span<const U> weights() const noexcept {
    return weights_;
  }

private:
  std::span<const E> offsets_;
  std::span<const V> targets_;
  [[no_unique_address]] detail::weight_span<W> weights_{};
};

/// An owning compressed sparse row graph: offsets (n + 1), targets (m) and, if W is not void,
/// weights (m), each in 64-byte-aligned storage. Holding the out-edges it is a CSR; built from
/// transposed edges it is a CSC of in-edges. Memory: sizeof(E) * (n + 1) + (sizeof(V) [+
/// sizeof(W)]) * m bytes. Move-only; clone() copies.
template <vertex_id V = std::uint32_t, edge_offset E = std::uint64_t, weight_or_void W = void>
class compressed_graph {
public:
  using vertex_type = V;
  using offset_type = E;
  using weight_type = W;
  using view_type = csr_view<V, E, W>;
  static constexpr bool weighted = !std::is_void_v<W>;

  compressed_graph() = default;

  /// Takes ownership of arrays after checking them (as csr_view::make does).
  static expected<compressed_graph>
  from_arrays(aligned_buffer<E> offsets, aligned_buffer<V> targets,
              graph_direction direction = graph_direction::directed) requires(!weighted) {
    if (auto ok = detail::check_csr<V, E>(offsets.span(), targets.span(), 0, false); !ok)
      return unexpected(ok.error());
    return assemble(std::move(offsets), std::move(targets), direction);
  }
  template <class U = W>
  requires(!std::is_void_v<U>) static expected<compressed_graph> from_arrays(
      aligned_buffer<E> offsets, aligned_buffer<V> targets, aligned_buffer<U> weights,
      graph_direction direction = graph_direction::directed) {
    if (auto ok = detail::check_csr<V, E>(offsets.span(), targets.span(), weights.size(), true);
        !ok)
      return unexpected(ok.error());
    return assemble(std::move(offsets), std::move(targets), direction, std::move(weights));
  }

  /// Takes ownership of arrays the caller has already made valid (tessera's builders, readers
  /// and transpose use it to skip the O(n + m) check). Precondition: the arrays satisfy the
  /// invariants from_arrays checks; only their sizes are asserted.
  static compressed_graph
  from_trusted_arrays(aligned_buffer<E> offsets, aligned_buffer<V> targets,
                      graph_direction direction = graph_direction::directed) requires(!weighted) {
    return assemble(std::move(offsets), std::move(targets), direction);
  }
  template <class U = W>
  requires(!std::is_void_v<U>) static compressed_graph
      from_trusted_arrays(aligned_buffer<E> offsets, aligned_buffer<V> targets,
                          aligned_buffer<U> weights,
                          graph_direction direction = graph_direction::directed) {
    return assemble(std::move(offsets), std::move(targets), direction, std::move(weights));
  }

  compressed_graph(compressed_graph&&) noexcept = default;
  compressed_graph& operator=(compressed_graph&&) noexcept = default;
  compressed_graph(const compressed_graph&) = delete;
  compressed_graph& operator=(const compressed_graph&) = delete;

  [[nodiscard]] compressed_graph clone() const {
    compressed_graph g;
    g.offsets_ = offsets_.clone();
    g.targets_ = targets_.clone();
    if constexpr (weighted) g.weights_ = weights_.clone();
    g.direction_ = direction_;
    return g;
  }

  /// A non-owning view; valid while this graph lives and is not modified.
  [[nodiscard]] view_type view() const noexcept {
    if constexpr (weighted)
      return view_type(offsets_.span(), targets_.span(), weights_.span());
    else
      return view_type(offsets_.span(), targets_.span());
  }

  [[nodiscard]] graph_direction direction() const noexcept { return direction_; }
  [[nodiscard]] bool is_directed() const noexcept {
    return direction_ == graph_direction::directed;
  }
  [[nodiscard]] std::size_t num_vertices() const noexcept {
    return offsets_.empty() ? 0 : offsets_.size() - 1;
  }
  [[nodiscard]] std::size_t num_edges() const noexcept { return targets_.size(); }
  [[nodiscard]] std::size_t degree(std::size_t u) const noexcept { return view().degree(u); }
  [[nodiscard]] auto neighbors(std::size_t u) const noexcept { return view().neighbors(u); }
  [[nodiscard]] std::span<const V> targets_of(std::size_t u) const noexcept {
    return view().targets_of(u);
  }
  template <class U = W>
  requires(!std::is_void_v<U>)
      [[nodiscard]] std::span<const U> weights_of(std::size_t u) const noexcept {
    return view().weights_of(u);
  }
  [[nodiscard]] std::pair<std::size_t, std::size_t> edge_ids(std::size_t u) const noexcept {
    return view().edge_ids(u);
  }
  [[nodiscard]] std::span<const E> offsets() const noexcept { return offsets_.span(); }
  [[nodiscard]] std::span<const V> targets() const noexcept { return targets_.span(); }
  template <class U = W>
  requires(!std::is_void_v<U>) [[nodiscard]] std::span<const U> weights() const noexcept {
    return weights_.span();
  }
  /// Weights are mutable in place (edge ids are stable); the structure is not.
  template <class U = W>
  requires(!std::is_void_v<U>) [[nodiscard]] std::span<U> mutable_weights() noexcept {
    return weights_.span();
  }

  /// Bytes of the arrays' contents (not counting alignment padding).
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    std::size_t bytes = offsets_.size() * sizeof(E) + targets_.size() * sizeof(V);
    if constexpr (weighted) bytes += weights_.size() * sizeof(W);
    return bytes;
  }

private:
  // The arrays' sizes agree (asserted); weights: none, or one buffer aligned with targets.
  template <class... Weights>
  static compressed_graph assemble(aligned_buffer<E> offsets, aligned_buffer<V> targets,
                                   graph_direction direction, Weights&&... weights) {
    TESSERA_ASSERT(offsets.empty() ? targets.empty()
                                   : static_cast<std::size_t>(offsets.back()) == targets.size(),
                   "CSR offsets must end at the edge count");
    compressed_graph g;
    if constexpr (sizeof...(Weights) == 1) {
      TESSERA_ASSERT(((weights.size() == targets.size()) && ...), "one weight per edge");
      ((g.weights_ = std::move(weights)), ...);
    }
    g.offsets_ = std::move(offsets);
    g.targets_ = std::move(targets);
    g.direction_ = direction;
    g.normalise_empty();
    return g;
  }
  // A graph with no vertices has no offsets at all, so num_vertices() is 0 either way.
  void normalise_empty() {
    if (offsets_.size() == 1) offsets_ = aligned_buffer<E>();
  }

  aligned_buffer<E> offsets_;
  aligned_buffer<V> targets_;
  [[no_unique_address]] detail::weight_buffer<W> weights_{};
  graph_direction direction_ = graph_direction::directed;
};

/// Out-edges and in-edges of one directed graph: out() is a CSR, in() the CSC of the same edges,
/// with in().weights() aligned to in().targets().
template <vertex_id V = std::uint32_t, edge_offset E = std::uint64_t, weight_or_void W = void>
class bidirectional_graph {
public:
  using vertex_type = V;
  using offset_type = E;
  using weight_type = W;
  using csr_type = compressed_graph<V, E, W>;

  bidirectional_graph() = default;
  /// Precondition: in holds the transpose of out (same vertex and edge counts).
  bidirectional_graph(csr_type out, csr_type in) : out_(std::move(out)), in_(std::move(in)) {
    TESSERA_ASSERT(out_.num_vertices() == in_.num_vertices() && out_.num_edges() == in_.num_edges(),
                   "in-edges must be the transpose of the out-edges");
  }

  [[nodiscard]] const csr_type& out() const noexcept { return out_; }
  [[nodiscard]] const csr_type& in() const noexcept { return in_; }
  [[nodiscard]] std::size_t num_vertices() const noexcept { return out_.num_vertices(); }
  [[nodiscard]] std::size_t num_edges() const noexcept { return out_.num_edges(); }
  [[nodiscard]] std::size_t degree(std::size_t u) const noexcept { return out_.degree(u); }
  [[nodiscard]] std::size_t in_degree(std::size_t u) const noexcept { return in_.degree(u); }
  [[nodiscard]] auto neighbors(std::size_t u) const noexcept { return out_.neighbors(u); }
  [[nodiscard]] auto in_neighbors(std::size_t u) const noexcept { return in_.neighbors(u); }
  [[nodiscard]] std::span<const E> offsets() const noexcept { return out_.offsets(); }
  [[nodiscard]] std::span<const V> targets() const noexcept { return out_.targets(); }
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    return out_.memory_bytes() + in_.memory_bytes();
  }

private:
  csr_type out_;
  csr_type in_;
};

TESSERA_NAMESPACE_END
