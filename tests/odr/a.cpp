// ODR check: this translation unit and b.cpp include every tessera header and instantiate the
// same templates; the linker must merge them into one definition each.
#include "everything.hpp"

namespace odr {
const void* a_hardware_threads() {
  return reinterpret_cast<const void*>(&tessera::hardware_threads);
}
std::size_t a_count(const tessera::bitmap& b) {
  return b.count();
}
std::string a_error_text() {
  return tessera::error(tessera::errc::parse_error, "x", {.file = "f", .line = 1}).to_string();
}
} // namespace odr
