# Finds what tessera's targets link. Used by the build and, installed, by tesseraConfig.cmake,
# so a consumer resolves dependencies exactly as the build did. Reads TESSERA_WITH_OPENMP,
# TESSERA_WITH_COLUMN and TESSERA_WITH_FORMAT.
include(CMakeFindDependencyMacro)

# Inside a package config find_dependency returns from the config on failure, so the consumer
# sees "tessera not found" with the reason; in the build it is find_package ... REQUIRED.
macro(tessera_find_dependency)
  if(CMAKE_FIND_PACKAGE_NAME STREQUAL "tessera")
    find_dependency(${ARGN})
  else()
    find_package(${ARGN} REQUIRED)
  endif()
endmacro()

set(THREADS_PREFER_PTHREAD_FLAG ON)
tessera_find_dependency(Threads)
if(TESSERA_WITH_OPENMP)
  tessera_find_dependency(OpenMP COMPONENTS CXX)
endif()
if(TESSERA_WITH_COLUMN)
  tessera_find_dependency(xsimd)
  # Debian's xsimd 8.1 links a target named xtl without looking for it.
  get_target_property(tessera_xsimd_links xsimd INTERFACE_LINK_LIBRARIES)
  if("xtl" IN_LIST tessera_xsimd_links AND NOT TARGET xtl)
    tessera_find_dependency(xtl)
  endif()
endif()
if(TESSERA_WITH_FORMAT AND NOT TARGET tessera::detail_zstd)
  # zstd's CMake target is named differently by each provider: Debian and upstream builds export
  # zstd::libzstd_shared / zstd::libzstd_static, vcpkg and newer upstream zstd::libzstd, Conan
  # zstd::libzstd_static. Resolve it once, here, behind tessera::detail_zstd.
  find_package(zstd CONFIG QUIET)
  set(tessera_zstd_target "")
  foreach(candidate zstd::libzstd zstd::libzstd_shared zstd::libzstd_static)
    if(TARGET ${candidate})
      set(tessera_zstd_target ${candidate})
      break()
    endif()
  endforeach()
  if(NOT tessera_zstd_target)
    find_path(TESSERA_ZSTD_INCLUDE_DIR zstd.h)
    find_library(TESSERA_ZSTD_LIBRARY NAMES zstd)
    if(NOT TESSERA_ZSTD_INCLUDE_DIR OR NOT TESSERA_ZSTD_LIBRARY)
      set(tessera_message "tessera::format needs zstd (Debian: libzstd-dev)")
      if(CMAKE_FIND_PACKAGE_NAME STREQUAL "tessera")
        set(tessera_NOT_FOUND_MESSAGE "${tessera_message}")
        set(tessera_FOUND FALSE)
        return()
      endif()
      message(FATAL_ERROR "${tessera_message}")
    endif()
    add_library(tessera_zstd_found UNKNOWN IMPORTED)
    set_target_properties(tessera_zstd_found PROPERTIES
      IMPORTED_LOCATION "${TESSERA_ZSTD_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${TESSERA_ZSTD_INCLUDE_DIR}")
    set(tessera_zstd_target tessera_zstd_found)
  endif()
  add_library(tessera::detail_zstd INTERFACE IMPORTED)
  target_link_libraries(tessera::detail_zstd INTERFACE ${tessera_zstd_target})
endif()
if(TESSERA_WITH_FORMAT AND NOT TARGET tessera::detail_xxhash)
  # XXH3 checksums of .tsr files. Used header-only (XXH_INLINE_ALL): only xxhash.h is needed,
  # no library is linked.
  find_path(TESSERA_XXHASH_INCLUDE_DIR xxhash.h)
  if(NOT TESSERA_XXHASH_INCLUDE_DIR)
    set(tessera_message "tessera::format needs xxhash.h (Debian: libxxhash-dev)")
    if(CMAKE_FIND_PACKAGE_NAME STREQUAL "tessera")
      set(tessera_NOT_FOUND_MESSAGE "${tessera_message}")
      set(tessera_FOUND FALSE)
      return()
    endif()
    message(FATAL_ERROR "${tessera_message}")
  endif()
  add_library(tessera::detail_xxhash INTERFACE IMPORTED)
  set_target_properties(tessera::detail_xxhash PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${TESSERA_XXHASH_INCLUDE_DIR}")
endif()
