// The ODR test's shared declarations; every public header comes in through all_headers.hpp,
// which the build generates from the list of installed headers.
#pragma once

#include "all_headers.hpp"

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
