// Locates the test corpora in ../shared/data; tests that need them skip with a visible message
// when they are absent.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <optional>
#include <string>

namespace tessera_test {

/// The path of `relative` inside the shared data folder, or nullopt (after printing why) if it
/// is not there.
inline std::optional<std::filesystem::path> shared_data(const std::string& relative) {
  const std::filesystem::path p = std::filesystem::path(TESSERA_SHARED_DATA_DIR) / relative;
  std::error_code ec;
  if (!std::filesystem::exists(p, ec)) {
    MESSAGE("SKIPPED: " << p.string()
                        << " is absent (the shared test data lives beside the project root)");
    return std::nullopt;
  }
  return p;
}

} // namespace tessera_test
