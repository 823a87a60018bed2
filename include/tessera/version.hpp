// tessera: the one source of the library's version.
// CMake reads these three lines; keep their form.
#pragma once

#define TESSERA_VERSION_MAJOR 0
#define TESSERA_VERSION_MINOR 1
#define TESSERA_VERSION_PATCH 0

/// The version as one integer, major * 10000 + minor * 100 + patch, for preprocessor tests.
#define TESSERA_VERSION                                                                            \
  (TESSERA_VERSION_MAJOR * 10000 + TESSERA_VERSION_MINOR * 100 + TESSERA_VERSION_PATCH)

#define TESSERA_DETAIL_STR2(x) #x
#define TESSERA_DETAIL_STR(x) TESSERA_DETAIL_STR2(x)
/// The version as a string literal, "major.minor.patch".
#define TESSERA_VERSION_STRING                                                                     \
  TESSERA_DETAIL_STR(TESSERA_VERSION_MAJOR)                                                        \
  "." TESSERA_DETAIL_STR(TESSERA_VERSION_MINOR) "." TESSERA_DETAIL_STR(TESSERA_VERSION_PATCH)
