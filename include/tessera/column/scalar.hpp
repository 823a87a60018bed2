// tessera: a single value of any column type (or null), used as a literal by kernels.
//
// Needs only the standard library.
#pragma once

#include <tessera/config.hpp>

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

TESSERA_NAMESPACE_BEGIN

/// A literal: null, bool, signed or unsigned integer, double, or string. Integers keep their
/// exact value (int64 or, above its range, uint64), so comparisons against integer columns are
/// exact; a double literal compares with the exact value it holds.
class scalar {
public:
  using storage =
      std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string>;

  scalar() = default; ///< null
  scalar(bool v) : v_(v) {}
  template <class T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) scalar(T v) {
    if constexpr (std::is_signed_v<T>) {
      v_ = static_cast<std::int64_t>(v);
    } else if (static_cast<std::uint64_t>(v) <= static_cast<std::uint64_t>(INT64_MAX)) {
      v_ = static_cast<std::int64_t>(v);
    } else {
      v_ = static_cast<std::uint64_t>(v);
    }
  }
  scalar(double v) : v_(v) {}
  scalar(float v) : v_(static_cast<double>(v)) {}
  scalar(std::string v) : v_(std::move(v)) {}
  scalar(const char* v) : v_(std::string(v)) {}

  [[nodiscard]] bool is_null() const noexcept { return v_.index() == 0; }
  [[nodiscard]] bool is_string() const noexcept { return v_.index() == 5; }
  [[nodiscard]] bool is_number() const noexcept { return v_.index() >= 2 && v_.index() <= 4; }
  [[nodiscard]] const storage& get() const noexcept { return v_; }

  /// The value as long double (exact for every int64/uint64 where long double has a 64-bit
  /// mantissa, as on x86-64 Linux). Precondition: is_number() or bool.
  [[nodiscard]] long double as_long_double() const noexcept {
    switch (v_.index()) {
    case 1:
      return std::get<1>(v_) ? 1.0L : 0.0L;
    case 2:
      return static_cast<long double>(std::get<2>(v_));
    case 3:
      return static_cast<long double>(std::get<3>(v_));
    case 4:
      return static_cast<long double>(std::get<4>(v_));
    default:
      return 0.0L;
    }
  }
  /// Readable form: null, true, 42, 1.5, 'text'.
  [[nodiscard]] std::string to_string() const {
    switch (v_.index()) {
    case 0:
      return "null";
    case 1:
      return std::get<1>(v_) ? "true" : "false";
    case 2:
      return std::to_string(std::get<2>(v_));
    case 3:
      return std::to_string(std::get<3>(v_));
    case 4:
      return std::to_string(std::get<4>(v_));
    default:
      return "'" + std::get<5>(v_) + "'";
    }
  }

  friend bool operator==(const scalar&, const scalar&) = default;

private:
  storage v_;
};

TESSERA_NAMESPACE_END
