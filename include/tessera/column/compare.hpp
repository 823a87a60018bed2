// tessera: comparisons column∘scalar and column∘column into a selection bitmap.
//
// Semantics (SQL WHERE): bit i of the result is set when element i (and, for two columns, the
// other element i) is not null and the comparison holds. A null literal selects nothing.
// Floating point follows IEEE 754: NaN compares false with everything under = < <= > >= and true
// under !=. Numeric literals compare by exact value, whatever the column type: `int8 < 1000` is
// true for every valid element, `int32 < 2.5` means `<= 2`, `float32 = 0.1` (a double literal
// no float equals) is false everywhere. Strings compare bytewise (std::string_view order).
// Booleans order false < true.
#pragma once

#include <tessera/column/column.hpp>
#include <tessera/column/scalar.hpp>
#include <tessera/config.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/column/bits.hpp>
#include <tessera/detail/column/simd.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// A comparison operator.
enum class compare_op : std::uint8_t { eq, ne, lt, le, gt, ge };

/// "=", "!=", "<", "<=", ">", ">=".
[[nodiscard]] constexpr std::string_view to_string(compare_op op) noexcept {
  constexpr std::string_view names[] = {"=", "!=", "<", "<=", ">", ">="};
  return names[static_cast<unsigned>(op)];
}

namespace detail {

/// Calls f with a functor for op that works on scalars and on xsimd batches alike.
template <class F>
decltype(auto) with_compare_op(compare_op op, F&& f) {
  switch (op) {
  case compare_op::eq:
    return f([](const auto& a, const auto& b) { return a == b; });
  case compare_op::ne:
    return f([](const auto& a, const auto& b) { return a != b; });
  case compare_op::lt:
    return f([](const auto& a, const auto& b) { return a < b; });
  case compare_op::le:
    return f([](const auto& a, const auto& b) { return a <= b; });
  case compare_op::gt:
    return f([](const auto& a, const auto& b) { return a > b; });
  case compare_op::ge:
    break;
  }
  return f([](const auto& a, const auto& b) { return a >= b; });
}

/// out[k] = bits of cmp(a[i], rhs(i)) for i in word k. `rhs_vec(j)` gives the batch of right-hand
/// values at element j (vector path), `rhs(j)` the scalar.
template <class Path, class T, class Cmp, class Rhs, class RhsVec>
void compare_words(const T* a, std::size_t n, Cmp cmp, Rhs rhs, RhsVec rhs_vec,
                   std::uint64_t* out) noexcept {
  (void)rhs_vec; // unused on the scalar path
  const std::size_t full = n / 64;
  for (std::size_t w = 0; w < full; ++w) {
    const std::size_t base = w * 64;
    std::uint64_t bits = 0;
#if !defined(TESSERA_NO_SIMD)
    if constexpr (std::is_same_v<Path, simd::vector_path> && 64 % simd::width<T> == 0) {
      constexpr std::size_t W = simd::width<T>;
      for (std::size_t j = 0; j < 64; j += W)
        bits |= simd::to_mask(cmp(simd::load(a + base + j), rhs_vec(base + j))) << j;
    } else
#endif
    {
      for (std::size_t j = 0; j < 64; ++j)
        bits |= static_cast<std::uint64_t>(cmp(a[base + j], rhs(base + j))) << j;
    }
    out[w] = bits;
  }
  if (n % 64 != 0) {
    std::uint64_t bits = 0;
    for (std::size_t i = full * 64; i < n; ++i)
      bits |= static_cast<std::uint64_t>(cmp(a[i], rhs(i))) << (i % 64);
    out[full] = bits;
  }
}

template <class Path, column_number T>
bitmap compare_typed(primitive_view<T> a, compare_op op, T s) {
  bitmap out(a.size);
  with_compare_op(op, [&](auto cmp) {
    compare_words<Path>(
        a.data, a.size, cmp, [s](std::size_t) { return s; },
        [s](std::size_t) {
#if !defined(TESSERA_NO_SIMD)
          return simd::broadcast(s);
#else
          return s;
#endif
        },
        out.words().data());
    return 0;
  });
  and_validity(out, a.valid);
  return out;
}

template <class Path, column_number T>
bitmap compare_typed(primitive_view<T> a, compare_op op, primitive_view<T> b) {
  TESSERA_ASSERT(a.size == b.size, "compared columns differ in length");
  bitmap out(a.size);
  const T* bp = b.data;
  with_compare_op(op, [&](auto cmp) {
    compare_words<Path>(
        a.data, a.size, cmp, [bp](std::size_t i) { return bp[i]; },
        [bp](std::size_t i) {
#if !defined(TESSERA_NO_SIMD)
          return simd::load(bp + i);
#else
          return bp[i];
#endif
        },
        out.words().data());
    return 0;
  });
  and_validity(out, a.valid);
  and_validity(out, b.valid);
  return out;
}

/// A bitmap with every valid element set, or none.
inline bitmap constant_selection(const column& c, bool value) {
  bitmap out(c.size(), value);
  if (value) and_validity(out, c.validity());
  return out;
}

/// How a numeric literal compares with values of T, reduced to an exact comparison with a T:
/// either a constant answer or (op', t) such that `x op literal` <=> `x op' t` for every x in T.
template <column_number T>
struct reduced_literal {
  bool constant = false;
  bool value = false;
  compare_op op = compare_op::eq;
  T operand{};
};

template <column_number T>
reduced_literal<T> reduce_literal(compare_op op, long double lit) {
  reduced_literal<T> r;
  r.op = op;
  const auto always = [&](bool v) {
    r.constant = true;
    r.value = v;
    return r;
  };
  if (std::isnan(lit)) return always(op == compare_op::ne);
  if constexpr (std::is_integral_v<T>) {
    const auto lo = static_cast<long double>(std::numeric_limits<T>::lowest());
    const auto hi = static_cast<long double>(std::numeric_limits<T>::max());
    if (lit > hi)
      return always(op == compare_op::ne || op == compare_op::lt || op == compare_op::le);
    if (lit < lo)
      return always(op == compare_op::ne || op == compare_op::gt || op == compare_op::ge);
    const long double fl = std::floor(lit);
    if (fl == lit) {
      r.operand = static_cast<T>(lit);
      return r;
    }
    // Between two integers: x < 2.5 <=> x <= 2; x > 2.5 <=> x >= 3.
    switch (op) {
    case compare_op::eq:
      return always(false);
    case compare_op::ne:
      return always(true);
    case compare_op::lt:
    case compare_op::le:
      r.op = compare_op::le;
      r.operand = static_cast<T>(fl);
      return r;
    default:
      r.op = compare_op::ge;
      r.operand = static_cast<T>(fl + 1);
      return r;
    }
  } else {
    const T t = static_cast<T>(lit); // rounds to nearest (or to +-inf)
    if (static_cast<long double>(t) == lit) {
      r.operand = t;
      return r;
    }
    // Not representable: the floats just below and above bracket it.
    const T below = static_cast<long double>(t) < lit
                        ? t
                        : std::nextafter(t, -std::numeric_limits<T>::infinity());
    const T above = static_cast<long double>(t) > lit
                        ? t
                        : std::nextafter(t, std::numeric_limits<T>::infinity());
    switch (op) {
    case compare_op::eq:
      return always(false);
    case compare_op::ne:
      // NaN != literal is true as well, so the answer is "every valid element".
      return always(true);
    case compare_op::lt:
    case compare_op::le:
      r.op = compare_op::le;
      r.operand = below;
      return r;
    default:
      r.op = compare_op::ge;
      r.operand = above;
      return r;
    }
  }
}

template <class Path>
expected<bitmap> compare_strings(const column& c, compare_op op, std::string_view s) {
  if (c.id() == type_id::dictionary) {
    // Compare each dictionary entry once, then look indices up.
    const column& dict = *c.dictionary();
    std::vector<unsigned char> hit(dict.size());
    with_compare_op(op, [&](auto cmp) {
      for (std::size_t k = 0; k < dict.size(); ++k) hit[k] = cmp(dict.string_at(k), s) ? 1 : 0;
      return 0;
    });
    const auto idx = c.view<std::int32_t>();
    bitmap out(c.size());
    for (std::size_t i = 0; i < c.size(); ++i)
      if (idx.is_valid(i) && hit[static_cast<std::size_t>(idx[i])]) out.set(i);
    return out;
  }
  bitmap out(c.size());
  with_compare_op(op, [&](auto cmp) {
    for (std::size_t i = 0; i < c.size(); ++i)
      if (cmp(c.string_at(i), s)) out.set(i);
    return 0;
  });
  and_validity(out, c.validity());
  return out;
}

inline bitmap compare_bools(const column& c, compare_op op, bool b) {
  const auto v = c.bool_view();
  bitmap out(c.size());
  auto words = out.words();
  const auto all = [&](std::size_t k) { return validity_word({}, c.size(), k); };
  for (std::size_t k = 0; k < words.size(); ++k) {
    const std::uint64_t x = view_word(v.bits, k);
    std::uint64_t r = 0;
    switch (op) {
    case compare_op::eq:
      r = b ? x : ~x;
      break;
    case compare_op::ne:
      r = b ? ~x : x;
      break;
    case compare_op::lt:
      r = b ? ~x : 0;
      break;
    case compare_op::le:
      r = b ? ~std::uint64_t{0} : ~x;
      break;
    case compare_op::gt:
      r = b ? 0 : x;
      break;
    case compare_op::ge:
      r = b ? x : ~std::uint64_t{0};
      break;
    }
    words[k] = r & all(k);
  }
  and_validity(out, c.validity());
  return out;
}

inline error compare_type_error(const column& c, const std::string& what) {
  return error(errc::invalid_argument,
               "cannot compare a " + to_string(c.type()) + " column with " + what);
}

template <class Path>
expected<bitmap> compare_column_scalar(const column& c, compare_op op, const scalar& lit) {
  if (lit.is_null()) return bitmap(c.size());
  if (is_string_like(c.id())) {
    if (!lit.is_string()) return unexpected(compare_type_error(c, "the number " + lit.to_string()));
    return compare_strings<Path>(c, op, std::get<std::string>(lit.get()));
  }
  if (lit.is_string()) return unexpected(compare_type_error(c, "the string " + lit.to_string()));
  if (c.id() == type_id::boolean) {
    const long double v = lit.as_long_double();
    if (v != 0.0L && v != 1.0L)
      return unexpected(compare_type_error(c, lit.to_string() + " (booleans compare with "
                                                                "true/false or 1/0)"));
    return compare_bools(c, op, v == 1.0L);
  }
  return visit_physical(c.id(), [&]<class T>(std::type_identity<T>) -> expected<bitmap> {
    if constexpr (column_number<T>) {
      const auto r = reduce_literal<T>(op, lit.as_long_double());
      if (r.constant) return constant_selection(c, r.value);
      return compare_typed<Path, T>(c.view<T>(), r.op, r.operand);
    } else {
      return unexpected(compare_type_error(c, lit.to_string()));
    }
  });
}

template <class Path>
expected<bitmap> compare_columns(const column& a, compare_op op, const column& b) {
  if (a.size() != b.size())
    return unexpected(error(errc::invalid_argument, "compared columns differ in length (" +
                                                        std::to_string(a.size()) + " and " +
                                                        std::to_string(b.size()) + ")"));
  if (is_string_like(a.id()) && is_string_like(b.id())) {
    bitmap out(a.size());
    with_compare_op(op, [&](auto cmp) {
      for (std::size_t i = 0; i < a.size(); ++i)
        if (a.is_valid(i) && b.is_valid(i) && cmp(a.string_at(i), b.string_at(i))) out.set(i);
      return 0;
    });
    return out;
  }
  if (!(a.type() == b.type()))
    return unexpected(
        compare_type_error(a, "a " + to_string(b.type()) + " column (cast one side first)"));
  if (a.id() == type_id::boolean) {
    bitmap out(a.size());
    const auto x = a.bool_view();
    const auto y = b.bool_view();
    with_compare_op(op, [&](auto cmp) {
      for (std::size_t i = 0; i < a.size(); ++i)
        if (x.is_valid(i) && y.is_valid(i) && cmp(x[i], y[i])) out.set(i);
      return 0;
    });
    return out;
  }
  return visit_physical(a.id(), [&]<class T>(std::type_identity<T>) -> expected<bitmap> {
    if constexpr (column_number<T>) {
      return compare_typed<Path, T>(a.view<T>(), op, b.view<T>());
    } else {
      return unexpected(compare_type_error(a, to_string(b.type())));
    }
  });
}

} // namespace detail

/// Selection of the elements of `c` for which `c[i] op literal` holds (see the header comment
/// for null, NaN and mixed-type semantics). O(n), SIMD for fixed-width columns.
/// Errors (errc::invalid_argument): a string literal against a non-string column or vice versa,
/// a boolean column against anything but true/false/0/1.
[[nodiscard]] inline expected<bitmap> try_compare(const column& c, compare_op op,
                                                  const scalar& literal) {
  return detail::compare_column_scalar<detail::simd::default_path>(c, op, literal);
}
/// Throwing form of try_compare.
[[nodiscard]] inline bitmap compare(const column& c, compare_op op, const scalar& literal) {
  return try_compare(c, op, literal).value();
}

/// Selection of the rows where `a[i] op b[i]` holds. Both columns must have the same type (any
/// two string-like types also compare) and length; errc::invalid_argument otherwise.
[[nodiscard]] inline expected<bitmap> try_compare(const column& a, compare_op op, const column& b) {
  return detail::compare_columns<detail::simd::default_path>(a, op, b);
}
/// Throwing form of try_compare.
[[nodiscard]] inline bitmap compare(const column& a, compare_op op, const column& b) {
  return try_compare(a, op, b).value();
}

/// The typed kernel: selection of `a[i] op s` over a primitive view. For generic code that holds
/// views rather than columns.
template <column_number T>
[[nodiscard]] bitmap compare(primitive_view<T> a, compare_op op, T s) {
  return detail::compare_typed<detail::simd::default_path, T>(a, op, s);
}

TESSERA_NAMESPACE_END
