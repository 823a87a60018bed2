// tessera: feature detection, assertions and the namespace macros every header uses.
#pragma once

#include <tessera/version.hpp>

#include <cstdio>
#include <cstdlib>

#if __cplusplus < 202002L && !defined(_MSVC_LANG)
#error "tessera needs C++20 (-std=c++20 or later)"
#endif

// ---------------------------------------------------------------------------------------------
// OpenMP: parallel loops use it when the build asks for it (TESSERA_WITH_OPENMP, set by the
// tessera::tessera target) and the compiler was given -fopenmp. Otherwise loops run serially.
#if defined(TESSERA_WITH_OPENMP) && defined(_OPENMP)
#define TESSERA_HAS_OPENMP 1
#else
#define TESSERA_HAS_OPENMP 0
#endif

// ---------------------------------------------------------------------------------------------
// The versioned inline namespace. Two copies of tessera of different versions, or built with
// different parallel back ends, get different mangled names, so mixing them fails at link time
// instead of silently violating the one-definition rule.
#define TESSERA_DETAIL_CAT4(a, b, c, d) a##_##b##_##c##_##d
#define TESSERA_DETAIL_ABI(a, b, c, d) TESSERA_DETAIL_CAT4(a, b, c, d)
#if TESSERA_HAS_OPENMP
#define TESSERA_ABI_TAG TESSERA_DETAIL_ABI(v, TESSERA_VERSION_MAJOR, TESSERA_VERSION_MINOR, omp)
#else
#define TESSERA_ABI_TAG TESSERA_DETAIL_ABI(v, TESSERA_VERSION_MAJOR, TESSERA_VERSION_MINOR, seq)
#endif

/// Opens `namespace tessera` and its versioned inline namespace.
#define TESSERA_NAMESPACE_BEGIN                                                                    \
  namespace tessera {                                                                              \
  inline namespace TESSERA_ABI_TAG {
/// Closes what TESSERA_NAMESPACE_BEGIN opened.
#define TESSERA_NAMESPACE_END                                                                      \
  }                                                                                                \
  }

// ---------------------------------------------------------------------------------------------
// TESSERA_ASSERT(cond, message): a precondition that only a programming error can break.
// On unless NDEBUG is defined (or TESSERA_ENABLE_ASSERTS forces it on). Data-dependent
// failures never use it: they return or throw tessera::error.
#if !defined(TESSERA_ENABLE_ASSERTS) && !defined(NDEBUG)
#define TESSERA_ENABLE_ASSERTS 1
#endif

#if defined(TESSERA_ENABLE_ASSERTS) && TESSERA_ENABLE_ASSERTS
#define TESSERA_ASSERT(cond, message)                                                              \
  ((cond) ? static_cast<void>(0)                                                                   \
          : ::tessera::detail::assertion_failed(#cond, message, __FILE__, __LINE__))
#else
// Not evaluated, but still compiled: a condition that names a parameter pack expands it.
#define TESSERA_ASSERT(cond, message) static_cast<void>(sizeof(static_cast<bool>(cond)))
#endif

TESSERA_NAMESPACE_BEGIN
namespace detail {
/// Reports a broken precondition and aborts. Out of line of the check so the fast path stays small.
[[noreturn]] inline void assertion_failed(const char* cond, const char* message, const char* file,
                                          int line) noexcept {
  std::fprintf(stderr, "%s:%d: tessera assertion failed: %s (%s)\n", file, line, message, cond);
  std::abort();
}
} // namespace detail
TESSERA_NAMESPACE_END
