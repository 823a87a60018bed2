// tessera: element-wise + - * / on numeric columns, with an explicit policy for integer overflow
// and division by zero.
//
// Semantics: both operands have the same numeric type (cast first otherwise; a scalar operand is
// converted to the column's type and must be exactly representable in it), and so does the
// result. A result element is null when either operand is null. Integer division truncates
// toward zero. Floating point follows IEEE 754 (x/0 is +-inf, 0/0 is NaN, NaN propagates) and
// ignores both policies. For integers:
//  - overflow (including INT_MIN / -1): `error` (default) fails with errc::overflow naming the
//    row, `wrap` gives the two's-complement result, `saturate` clamps to the type's range,
//    `null` makes the element null;
//  - division (or remainder) by zero: `error` (default) fails with errc::invalid_argument naming
//    the row, `null` makes the element null.
// No input causes undefined behaviour.
#pragma once

#include <tessera/column/buffer.hpp>
#include <tessera/column/column.hpp>
#include <tessera/column/scalar.hpp>
#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/column/simd.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

TESSERA_NAMESPACE_BEGIN

/// An arithmetic operator.
enum class arith_op : std::uint8_t { add, subtract, multiply, divide };

/// What integer overflow does.
enum class overflow_policy : std::uint8_t { error, wrap, saturate, null };
/// What integer division by zero does.
enum class divide_by_zero_policy : std::uint8_t { error, null };

/// Options of the arithmetic kernels.
struct arithmetic_options {
  overflow_policy overflow = overflow_policy::error;
  divide_by_zero_policy divide_by_zero = divide_by_zero_policy::error;
};

namespace detail {

enum class arith_status : std::uint8_t { ok, overflow, div_zero };

/// One integer operation, never UB. Returns the status and writes the wrapped or exact result.
template <class T>
arith_status int_op(arith_op op, T a, T b, T& out) noexcept {
  switch (op) {
  case arith_op::add:
    return __builtin_add_overflow(a, b, &out) ? arith_status::overflow : arith_status::ok;
  case arith_op::subtract:
    return __builtin_sub_overflow(a, b, &out) ? arith_status::overflow : arith_status::ok;
  case arith_op::multiply:
    return __builtin_mul_overflow(a, b, &out) ? arith_status::overflow : arith_status::ok;
  case arith_op::divide:
    if (b == 0) {
      out = 0;
      return arith_status::div_zero;
    }
    if constexpr (std::is_signed_v<T>) {
      if (a == std::numeric_limits<T>::lowest() && b == T(-1)) {
        out = a; // the wrapped result of -INT_MIN
        return arith_status::overflow;
      }
    }
    out = static_cast<T>(a / b);
    return arith_status::ok;
  }
  out = T(0); // not reached: every operation is handled above
  return arith_status::ok;
}

/// The saturated result of an overflowing operation.
template <class T>
T saturated(arith_op op, T a, T b) noexcept {
  constexpr T hi = std::numeric_limits<T>::max();
  constexpr T lo = std::numeric_limits<T>::lowest();
  switch (op) {
  case arith_op::add:
    return (std::is_signed_v<T> && b < 0) ? lo : hi;
  case arith_op::subtract:
    if constexpr (std::is_signed_v<T>) return b < 0 ? hi : lo;
    return lo;
  case arith_op::multiply:
    if constexpr (std::is_signed_v<T>) return ((a < 0) != (b < 0)) ? lo : hi;
    return hi;
  case arith_op::divide:
    return hi; // only INT_MIN / -1 overflows
  }
  return hi;
}

template <class T>
T float_op(arith_op op, T a, T b) noexcept {
  switch (op) {
  case arith_op::add:
    return a + b;
  case arith_op::subtract:
    return a - b;
  case arith_op::multiply:
    return a * b;
  case arith_op::divide:
    return a / b;
  }
  return a;
}

/// The element-wise kernel. A(i), B(i) give the operands; valid(i) says whether both are valid.
template <class Path, column_number T, class A, class B, class Valid, class VecA, class VecB>
expected<column> arith_kernel(data_type type, std::size_t n, arith_op op,
                              const arithmetic_options& opt, A a, B b, Valid valid, bool has_nulls,
                              VecA va, VecB vb) {
  aligned_buffer<T> out(n);
  bitmap validity;
  bool any_null = has_nulls;
  if constexpr (std::is_floating_point_v<T>) {
    std::size_t i = 0;
#if !defined(TESSERA_NO_SIMD)
    if constexpr (std::is_same_v<Path, simd::vector_path>) {
      constexpr std::size_t W = simd::width<T>;
      for (; i + W <= n; i += W) {
        const auto x = va(i);
        const auto y = vb(i);
        simd::batch<T> r;
        switch (op) {
        case arith_op::add:
          r = x + y;
          break;
        case arith_op::subtract:
          r = x - y;
          break;
        case arith_op::multiply:
          r = x * y;
          break;
        case arith_op::divide:
          r = x / y;
          break;
        }
        simd::store(out.data() + i, r);
      }
    }
#endif
    for (; i < n; ++i) out[i] = float_op(op, a(i), b(i));
    if (has_nulls) {
      validity = bitmap(n);
      for (std::size_t k = 0; k < n; ++k) {
        if (valid(k)) {
          validity.set(k);
        } else {
          out[k] = T(0);
        }
      }
    }
  } else {
    (void)va;
    (void)vb;
    for (std::size_t i = 0; i < n; ++i) {
      if (has_nulls && !valid(i)) continue;
      T r;
      const arith_status st = int_op(op, a(i), b(i), r);
      if (st == arith_status::ok) {
        out[i] = r;
        continue;
      }
      const auto make_null = [&] {
        if (!any_null || validity.empty()) {
          validity = bitmap(n, true);
          for (std::size_t k = 0; k < n; ++k)
            if (has_nulls && !valid(k)) validity.reset(k);
          any_null = true;
        }
        validity.reset(i);
        out[i] = T(0);
      };
      if (st == arith_status::div_zero) {
        if (opt.divide_by_zero == divide_by_zero_policy::null) {
          make_null();
          continue;
        }
        return unexpected(
            error(errc::invalid_argument, "integer division by zero at row " + std::to_string(i)));
      }
      switch (opt.overflow) {
      case overflow_policy::error:
        return unexpected(error(errc::overflow, std::string(to_string(type.id)) +
                                                    " overflow at row " + std::to_string(i) + " (" +
                                                    std::to_string(a(i)) + ", " +
                                                    std::to_string(b(i)) + ")"));
      case overflow_policy::wrap:
        out[i] = r;
        break;
      case overflow_policy::saturate:
        out[i] = saturated(op, a(i), b(i));
        break;
      case overflow_policy::null:
        make_null();
        break;
      }
    }
    if (has_nulls && validity.empty()) {
      validity = bitmap(n);
      for (std::size_t k = 0; k < n; ++k)
        if (valid(k)) validity.set(k);
    }
  }
  return column::unchecked(type, n, validity.empty() ? buffer() : buffer(std::move(validity)),
                           buffer(std::move(out)));
}

inline error arith_type_error(const std::string& what) {
  return error(errc::invalid_argument, what);
}

template <class Path>
expected<column> arith_columns(const column& x, arith_op op, const column& y,
                               const arithmetic_options& opt) {
  if (!(x.type() == y.type()) || !is_numeric(x.id()))
    return unexpected(arith_type_error("arithmetic needs two numeric columns of the same type, "
                                       "not " +
                                       to_string(x.type()) + " and " + to_string(y.type())));
  if (x.size() != y.size())
    return unexpected(arith_type_error("arithmetic operands differ in length"));
  return visit_physical(x.id(), [&]<class T>(std::type_identity<T>) -> expected<column> {
    if constexpr (column_number<T>) {
      const auto a = x.view<T>();
      const auto b = y.view<T>();
      return arith_kernel<Path, T>(
          x.type(), x.size(), op, opt, [&](std::size_t i) { return a.data[i]; },
          [&](std::size_t i) { return b.data[i]; },
          [&](std::size_t i) { return a.is_valid(i) && b.is_valid(i); },
          x.null_count() + y.null_count() != 0,
          [&](std::size_t i) {
#if !defined(TESSERA_NO_SIMD)
            return simd::load(a.data + i);
#else
            return a.data[i];
#endif
          },
          [&](std::size_t i) {
#if !defined(TESSERA_NO_SIMD)
            return simd::load(b.data + i);
#else
            return b.data[i];
#endif
          });
    } else {
      return unexpected(arith_type_error("arithmetic needs numeric columns"));
    }
  });
}

/// The literal as a T, if exactly representable.
template <column_number T>
std::optional<T> exact_literal(const scalar& s) {
  if (!s.is_number()) return std::nullopt;
  const long double v = s.as_long_double();
  if constexpr (std::is_floating_point_v<T>) {
    const T t = static_cast<T>(v);
    if (std::isnan(v)) return std::numeric_limits<T>::quiet_NaN();
    if (static_cast<long double>(t) != v) return std::nullopt;
    return t;
  } else {
    if (!(v >= static_cast<long double>(std::numeric_limits<T>::lowest()) &&
          v <= static_cast<long double>(std::numeric_limits<T>::max())) ||
        std::floor(v) != v)
      return std::nullopt;
    return static_cast<T>(v);
  }
}

template <class Path>
expected<column> arith_scalar(const column& x, arith_op op, const scalar& s, bool scalar_left,
                              const arithmetic_options& opt) {
  if (!is_numeric(x.id()))
    return unexpected(
        arith_type_error("arithmetic needs a numeric column, not " + to_string(x.type())));
  if (s.is_null()) { // null operand: every element null
    return visit_physical(x.id(), [&]<class T>(std::type_identity<T>) -> expected<column> {
      if constexpr (column_number<T>) {
        return column::unchecked(x.type(), x.size(), buffer(bitmap(x.size())),
                                 buffer(aligned_buffer<T>(x.size())), {}, {}, 0, x.size());
      } else {
        return column();
      }
    });
  }
  return visit_physical(x.id(), [&]<class T>(std::type_identity<T>) -> expected<column> {
    if constexpr (column_number<T>) {
      const auto lit = exact_literal<T>(s);
      if (!lit)
        return unexpected(arith_type_error("literal " + s.to_string() +
                                           " is not exactly representable as " +
                                           to_string(x.type())));
      const T c = *lit;
      const auto a = x.view<T>();
      const auto col = [&](std::size_t i) { return a.data[i]; };
      const auto lit_fn = [c](std::size_t) { return c; };
      const auto vcol = [&](std::size_t i) {
#if !defined(TESSERA_NO_SIMD)
        return simd::load(a.data + i);
#else
        return a.data[i];
#endif
      };
      const auto vlit = [c](std::size_t) {
#if !defined(TESSERA_NO_SIMD)
        return simd::broadcast(c);
#else
        return c;
#endif
      };
      const auto valid = [&](std::size_t i) { return a.is_valid(i); };
      if (scalar_left)
        return arith_kernel<Path, T>(x.type(), x.size(), op, opt, lit_fn, col, valid,
                                     x.null_count() != 0, vlit, vcol);
      return arith_kernel<Path, T>(x.type(), x.size(), op, opt, col, lit_fn, valid,
                                   x.null_count() != 0, vcol, vlit);
    } else {
      return column();
    }
  });
}

} // namespace detail

/// x op y element-wise (see the header comment for types, nulls, overflow and division by zero).
/// O(n); SIMD for floating point.
[[nodiscard]] inline expected<column> try_arithmetic(const column& x, arith_op op, const column& y,
                                                     const arithmetic_options& opt = {}) {
  return detail::arith_columns<detail::simd::default_path>(x, op, y, opt);
}
/// x op literal.
[[nodiscard]] inline expected<column> try_arithmetic(const column& x, arith_op op,
                                                     const scalar& literal,
                                                     const arithmetic_options& opt = {}) {
  return detail::arith_scalar<detail::simd::default_path>(x, op, literal, false, opt);
}
/// literal op x.
[[nodiscard]] inline expected<column> try_arithmetic(const scalar& literal, arith_op op,
                                                     const column& x,
                                                     const arithmetic_options& opt = {}) {
  return detail::arith_scalar<detail::simd::default_path>(x, op, literal, true, opt);
}
/// Throwing forms.
[[nodiscard]] inline column add(const column& x, const column& y,
                                const arithmetic_options& opt = {}) {
  return try_arithmetic(x, arith_op::add, y, opt).value();
}
[[nodiscard]] inline column subtract(const column& x, const column& y,
                                     const arithmetic_options& opt = {}) {
  return try_arithmetic(x, arith_op::subtract, y, opt).value();
}
[[nodiscard]] inline column multiply(const column& x, const column& y,
                                     const arithmetic_options& opt = {}) {
  return try_arithmetic(x, arith_op::multiply, y, opt).value();
}
[[nodiscard]] inline column divide(const column& x, const column& y,
                                   const arithmetic_options& opt = {}) {
  return try_arithmetic(x, arith_op::divide, y, opt).value();
}

TESSERA_NAMESPACE_END
