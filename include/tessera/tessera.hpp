// tessera: the umbrella header for every part that needs only the standard library
// (OpenMP is used when enabled). The column kernels (xsimd) and the file format (zstd) are
// separate components with their own headers.
#pragma once

#include <tessera/config.hpp>
#include <tessera/version.hpp>

#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/concepts.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/core/progress.hpp>
