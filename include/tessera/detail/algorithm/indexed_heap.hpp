// tessera internals: an indexed d-ary min-heap of (key, vertex) entries with decrease-key, the
// priority queue of Dijkstra. Keys live in the heap beside their vertex, so sifting compares
// contiguous entries instead of chasing each vertex's distance at random; a position index per
// vertex finds an entry for decrease-key, so the heap never holds more than n entries (a lazy
// heap that pushes on every improvement holds up to m).
#pragma once

#include <tessera/config.hpp>

#include <cstddef>
#include <limits>
#include <type_traits>
#include <vector>

TESSERA_NAMESPACE_BEGIN
namespace detail {

/// A min-heap over vertices 0 .. n - 1 of id type V with keys K, each vertex present at most
/// once. Arity 4 by default: a node's children share one 64-byte line for 16-byte entries, and
/// the tree is half as deep as a binary heap's.
template <class K, class V, std::size_t Arity = 4>
class indexed_dary_heap {
  static_assert(Arity >= 2);
  using position = std::make_unsigned_t<V>;
  // Positions are < n <= the largest V (callers check id room), so the largest value is free.
  static constexpr position absent = std::numeric_limits<position>::max();

public:
  struct entry {
    K key;
    V vertex;
  };

  /// An empty heap for vertices 0 .. n - 1. Precondition: n - 1 < max of make_unsigned_t<V>.
  explicit indexed_dary_heap(std::size_t n) : where_(n, absent) {}

  [[nodiscard]] bool empty() const noexcept { return heap_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return heap_.size(); }
  [[nodiscard]] bool contains(V v) const noexcept {
    return where_[static_cast<std::size_t>(v)] != absent;
  }

  /// Inserts v with key k, or lowers v's key to k if v is in the heap.
  /// Precondition: if v is present, k is not greater than its key.
  void push_or_decrease(V v, K k) {
    const position at = where_[static_cast<std::size_t>(v)];
    if (at == absent) {
      heap_.push_back(entry{k, v});
      sift_up(heap_.size() - 1, entry{k, v});
    } else {
      sift_up(static_cast<std::size_t>(at), entry{k, v});
    }
  }

  /// Removes and returns the entry of the smallest key. Precondition: !empty().
  entry pop() {
    const entry top = heap_.front();
    where_[static_cast<std::size_t>(top.vertex)] = absent;
    const entry last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(last);
    return top;
  }

private:
  void place(std::size_t i, const entry& e) noexcept {
    heap_[i] = e;
    where_[static_cast<std::size_t>(e.vertex)] = static_cast<position>(i);
  }

  // Moves the hole at i towards the root past parents with larger keys, then fills it with e.
  void sift_up(std::size_t i, const entry e) noexcept {
    while (i > 0) {
      const std::size_t parent = (i - 1) / Arity;
      if (!(e.key < heap_[parent].key)) break;
      place(i, heap_[parent]);
      i = parent;
    }
    place(i, e);
  }

  // Moves the hole at the root towards the leaves past smaller children, then fills it with e.
  void sift_down(const entry e) noexcept {
    const std::size_t n = heap_.size();
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = i * Arity + 1;
      if (first >= n) break;
      std::size_t best = first;
      if (first + Arity <= n) { // all children present: a fixed-length scan the compiler unrolls
        for (std::size_t c = first + 1; c < first + Arity; ++c)
          if (heap_[c].key < heap_[best].key) best = c;
      } else {
        for (std::size_t c = first + 1; c < n; ++c)
          if (heap_[c].key < heap_[best].key) best = c;
      }
      if (!(heap_[best].key < e.key)) break;
      place(i, heap_[best]);
      i = best;
    }
    place(i, e);
  }

  std::vector<entry> heap_;
  std::vector<position> where_;
};

} // namespace detail
TESSERA_NAMESPACE_END
