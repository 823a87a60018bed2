// tessera: checked conversions between column types.
//
// Supported: any numeric or boolean type to any numeric or boolean type; date32 <-> int32 and
// timestamp <-> int64 (same integers; timestamp units are not converted); string, large_string
// and dictionary to one another. Nulls stay null.
//
// `cast_policy::checked` (the default) fails with errc::overflow naming the row when a value
// does not survive: out of the target's range, a fraction dropped by float -> integer, NaN or
// infinity -> integer or bool, a finite double beyond float's range, or a string column too
// large for int32 offsets. Integer -> floating point rounds to nearest (2^53 + 1 -> double is
// accepted). Number -> bool is `x != 0`.
// `cast_policy::saturate` never fails on values: out-of-range values clamp to the target's
// range, fractions truncate toward zero, NaN becomes 0.
#pragma once

#include <tessera/column/buffer.hpp>
#include <tessera/column/builder.hpp>
#include <tessera/column/column.hpp>
#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

TESSERA_NAMESPACE_BEGIN

/// How a cast treats values the target cannot hold.
enum class cast_policy : std::uint8_t { checked, saturate };

namespace detail {

/// Converts one value; nullopt when it does not survive (checked policy).
template <class To, class From>
std::optional<To> convert_value(From x, cast_policy policy) noexcept {
  if constexpr (std::is_same_v<To, bool>) {
    if constexpr (std::is_floating_point_v<From>) {
      if (std::isnan(x) && policy == cast_policy::checked) return std::nullopt;
      if (std::isnan(x)) return false;
    }
    return x != From(0);
  } else if constexpr (std::is_same_v<From, bool>) {
    return static_cast<To>(x ? 1 : 0);
  } else if constexpr (std::is_floating_point_v<To>) {
    if constexpr (std::is_floating_point_v<From>) {
      if (std::isnan(x)) return std::numeric_limits<To>::quiet_NaN();
      if (std::isinf(x)) return static_cast<To>(x);
      if (static_cast<long double>(x) > static_cast<long double>(std::numeric_limits<To>::max()))
        return policy == cast_policy::checked ? std::nullopt
                                              : std::optional<To>(std::numeric_limits<To>::max());
      if (static_cast<long double>(x) < static_cast<long double>(std::numeric_limits<To>::lowest()))
        return policy == cast_policy::checked
                   ? std::nullopt
                   : std::optional<To>(std::numeric_limits<To>::lowest());
      return static_cast<To>(x);
    } else {
      return static_cast<To>(x);
    }
  } else { // integer target
    constexpr long double lo = static_cast<long double>(std::numeric_limits<To>::lowest());
    constexpr long double hi = static_cast<long double>(std::numeric_limits<To>::max());
    if constexpr (std::is_floating_point_v<From>) {
      if (std::isnan(x))
        return policy == cast_policy::checked ? std::nullopt : std::optional<To>(0);
      const long double v = static_cast<long double>(x);
      const long double t = std::trunc(v);
      if (t != v && policy == cast_policy::checked) return std::nullopt;
      if (t < lo)
        return policy == cast_policy::checked
                   ? std::nullopt
                   : std::optional<To>(std::numeric_limits<To>::lowest());
      if (t > hi)
        return policy == cast_policy::checked ? std::nullopt
                                              : std::optional<To>(std::numeric_limits<To>::max());
      return static_cast<To>(t);
    } else {
      if (std::in_range<To>(x)) return static_cast<To>(x);
      if (policy == cast_policy::checked) return std::nullopt;
      if constexpr (std::is_signed_v<From>) {
        if (x < 0) return std::numeric_limits<To>::lowest();
      }
      return std::numeric_limits<To>::max();
    }
  }
}

/// The validity of c at offset 0 (empty when c has none).
inline buffer rebased_validity(const column& c) {
  if (!c.validity().present()) return {};
  bitmap valid(c.size());
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c.is_valid(i)) valid.set(i);
  return buffer(std::move(valid));
}

template <class To, class Get>
expected<column> cast_values(const column& c, data_type target, cast_policy /*policy*/, Get get) {
  const std::size_t n = c.size();
  const auto fail = [&](std::size_t i) {
    return unexpected(error(errc::overflow, "value at row " + std::to_string(i) + " does not fit " +
                                                to_string(target) + " (cast from " +
                                                to_string(c.type()) + ")"));
  };
  if constexpr (std::is_same_v<To, bool>) {
    bitmap bits(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!c.is_valid(i)) continue;
      const auto v = get(i);
      if (!v) return fail(i);
      if (*v) bits.set(i);
    }
    return column::unchecked(target, n, rebased_validity(c), buffer(std::move(bits)), {}, {}, 0,
                             c.null_count());
  } else {
    aligned_buffer<To> out(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!c.is_valid(i)) continue;
      const auto v = get(i);
      if (!v) return fail(i);
      out[i] = *v;
    }
    // The source validity may start at an offset; the new values start at 0.
    return column::unchecked(target, n, rebased_validity(c), buffer(std::move(out)), {}, {}, 0,
                             c.null_count());
  }
}

} // namespace detail

/// `c` converted to `target` (see the header comment). O(n). Errors: errc::overflow for a value
/// that does not survive a checked cast, errc::unsupported for a pair of types with no cast.
[[nodiscard]] inline expected<column> try_cast(const column& c, data_type target,
                                               cast_policy policy = cast_policy::checked) {
  if (c.type() == target) return c;
  const type_id from = c.id();
  const type_id to = target.id;
  const auto unsupported = [&] {
    return unexpected(error(errc::unsupported,
                            "no cast from " + to_string(c.type()) + " to " + to_string(target)));
  };
  // Reinterpretations that keep the integers.
  const auto same_bits = [&](type_id a, type_id b) {
    return (a == type_id::date32 && b == type_id::int32) ||
           (a == type_id::int32 && b == type_id::date32) ||
           (a == type_id::timestamp && b == type_id::int64) ||
           (a == type_id::int64 && b == type_id::timestamp) ||
           (a == type_id::timestamp && b == type_id::timestamp);
  };
  if (same_bits(from, to))
    return column::unchecked(target, c.size(), c.validity_buffer(), c.values_buffer(), {}, {},
                             c.offset(), c.null_count());
  if (is_string_like(from) && is_string_like(to)) {
    try {
      if (to == type_id::dictionary) {
        dictionary_builder b;
        for (std::size_t i = 0; i < c.size(); ++i)
          c.is_valid(i) ? b.append(c.string_at(i)) : b.append_null();
        return b.finish();
      }
      if (to == type_id::string) {
        string_builder b;
        for (std::size_t i = 0; i < c.size(); ++i)
          c.is_valid(i) ? b.append(c.string_at(i)) : b.append_null();
        return b.finish();
      }
      large_string_builder b;
      for (std::size_t i = 0; i < c.size(); ++i)
        c.is_valid(i) ? b.append(c.string_at(i)) : b.append_null();
      return b.finish();
    } catch (const tessera::exception& e) {
      return unexpected(e.error());
    }
  }
  const auto numeric_or_bool = [](type_id id) { return is_numeric(id) || id == type_id::boolean; };
  if (!numeric_or_bool(from) || !numeric_or_bool(to)) return unsupported();
  return visit_physical(to, [&]<class To>(std::type_identity<To>) -> expected<column> {
    if constexpr (std::is_same_v<To, std::string_view>) {
      return unsupported();
    } else {
      return visit_physical(from, [&]<class From>(std::type_identity<From>) -> expected<column> {
        if constexpr (std::is_same_v<From, std::string_view>) {
          return unsupported();
        } else if constexpr (std::is_same_v<From, bool>) {
          const auto v = c.bool_view();
          return detail::cast_values<To>(c, target, policy, [&](std::size_t i) {
            return detail::convert_value<To, bool>(v[i], policy);
          });
        } else {
          const auto v = c.view<From>();
          return detail::cast_values<To>(c, target, policy, [&](std::size_t i) {
            return detail::convert_value<To, From>(v[i], policy);
          });
        }
      });
    }
  });
}

/// Throwing form of try_cast.
[[nodiscard]] inline column cast(const column& c, data_type target,
                                 cast_policy policy = cast_policy::checked) {
  return try_cast(c, target, policy).value();
}

TESSERA_NAMESPACE_END
