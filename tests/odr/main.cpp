// Links a.cpp and b.cpp and checks that the inline functions both saw are one entity.
#include "everything.hpp"

#include <cstdio>

int main() {
  int failures = 0;
  const auto check = [&](bool ok, const char* what) {
    if (!ok) {
      std::fprintf(stderr, "odr check failed: %s\n", what);
      ++failures;
    }
  };
  check(odr::a_hardware_threads() == odr::b_hardware_threads(),
        "tessera::hardware_threads has one address across translation units");
  tessera::bitmap bits(130);
  bits.set(0);
  bits.set(129);
  check(odr::a_count(bits) == 2 && odr::b_count(bits) == 2, "bitmap::count agrees");
  check(odr::a_error_text() == odr::b_error_text() && odr::a_error_text() == "f:1: parse error: x",
        "error::to_string agrees");
  std::printf("odr: %s\n", failures == 0 ? "ok" : "FAILED");
  return failures == 0 ? 0 : 1;
}
