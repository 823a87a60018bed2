// Every public header of every component, for the ODR test.
#pragma once

#include <tessera/tessera.hpp>

#include <cstddef>
#include <string>

namespace odr {
const void* a_hardware_threads();
const void* b_hardware_threads();
std::size_t a_count(const tessera::bitmap& b);
std::size_t b_count(const tessera::bitmap& b);
std::string a_error_text();
std::string b_error_text();
} // namespace odr
