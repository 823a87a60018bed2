#include <tessera/tessera.hpp>

#include <cstdio>

int main() {
  tessera::bitmap valid(10, true);
  std::printf("tessera %s: %zu valid\n", TESSERA_VERSION_STRING, valid.count());
  return valid.count() == 10 ? 0 : 1;
}
