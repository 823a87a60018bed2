// Property checks inside the fuzz harnesses: a failed property names itself and aborts, and
// libFuzzer saves the input that broke it.
#pragma once

#include <cstdio>
#include <cstdlib>

#define TESSERA_FUZZ_CHECK(cond)                                                                   \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);            \
      std::abort();                                                                                \
    }                                                                                              \
  } while (false)
