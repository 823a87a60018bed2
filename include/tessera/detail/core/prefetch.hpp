// tessera internals: a cache prefetch hint for kernels that walk memory at random (graph
// neighbours, hash-table slots) and can name an address a few iterations before they need it.
#pragma once

#include <tessera/config.hpp>

TESSERA_NAMESPACE_BEGIN
namespace detail {

/// A hint to start loading *p into the cache, so that independent cache misses overlap.
inline void prefetch(const void* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
#else
  (void)p;
#endif
}

} // namespace detail
TESSERA_NAMESPACE_END
