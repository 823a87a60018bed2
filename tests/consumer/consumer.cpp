// A program outside tessera's build that uses it as a user would.
#include <tessera/tessera.hpp>

#include <cstdio>

int main() {
  tessera::bitmap valid(100, true);
  valid.reset(7);
  tessera::expected<int> parsed = tessera::make_error(tessera::errc::parse_error, "not a number");
  const long sum = tessera::parallel_reduce(
      0, 1000, 0L,
      [](long& acc, int b, int e) {
        for (int i = b; i < e; ++i) acc += i;
      },
      [](long x, long y) { return x + y; }, 64);
  const bool ok = valid.count() == 99 && !parsed && sum == 499500;
  std::printf("tessera %s consumer: %s\n", TESSERA_VERSION_STRING, ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
