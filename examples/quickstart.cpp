// tessera quick start: the program the README quotes.
#include <tessera/tessera.hpp>

#include <cstdio>
#include <random>

int main() {
  // A column of one million values with a validity bitmap (Arrow layout): every 10th is null.
  const std::size_t n = 1'000'000;
  tessera::aligned_buffer<double> values(n, tessera::uninitialized);
  tessera::bitmap valid(n, true);
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> dist(0.0, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    values[i] = dist(rng);
    if (i % 10 == 0) valid.reset(i);
  }

  // A parallel, deterministic reduction over the valid values.
  const double sum = tessera::parallel_reduce(
      std::size_t{0}, n, 0.0,
      [&](double& acc, std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) acc += valid[i] ? values[i] : 0.0;
      },
      [](double a, double b) { return a + b; });

  std::printf("tessera %s: %zu values, %zu valid, mean %.4f on %d thread(s)\n",
              TESSERA_VERSION_STRING, n, valid.count(), sum / static_cast<double>(valid.count()),
              tessera::num_threads());
  return 0;
}
