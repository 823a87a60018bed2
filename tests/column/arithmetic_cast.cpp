// Arithmetic policies and checked casts against references.
#include "kernel_support.hpp"

#include <tessera/column/arithmetic.hpp>
#include <tessera/column/cast.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

using namespace tessera;

TEST_CASE_TEMPLATE("integer arithmetic: every policy against a 128-bit reference", T, std::int8_t,
                   std::uint8_t, std::int32_t, std::uint32_t, std::int64_t, std::uint64_t) {
  __extension__ typedef __int128 wide;
  const T lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
  const std::vector<std::optional<T>> xs = {T(5), lo, hi, T(0), std::nullopt, T(7), hi, lo, T(1)};
  const std::vector<std::optional<T>> ys = {
      T(3), T(1), T(1), T(0), T(2), std::nullopt, hi, T(0), static_cast<T>(-1)};
  const column x = kt::build(xs, 2), y = kt::build(ys);
  for (arith_op op : {arith_op::add, arith_op::subtract, arith_op::multiply, arith_op::divide}) {
    for (auto pol : {overflow_policy::wrap, overflow_policy::saturate, overflow_policy::null}) {
      arithmetic_options opt;
      opt.overflow = pol;
      opt.divide_by_zero = divide_by_zero_policy::null;
      const column r = try_arithmetic(x, op, y, opt).value();
      for (std::size_t i = 0; i < xs.size(); ++i) {
        CAPTURE(i);
        if (!xs[i] || !ys[i]) {
          CHECK(r.is_null(i));
          continue;
        }
        const wide a = static_cast<wide>(*xs[i]), b = static_cast<wide>(*ys[i]);
        if (op == arith_op::divide && b == 0) {
          CHECK(r.is_null(i));
          continue;
        }
        wide exact = 0;
        bool wide_overflow = false; // only uint64 * uint64 can exceed 128 signed bits
        if (op == arith_op::multiply) {
          wide_overflow = __builtin_mul_overflow(a, b, &exact);
          if (wide_overflow) exact = ((a < 0) != (b < 0)) ? -1 : 1;
        } else {
          exact = op == arith_op::add ? a + b : op == arith_op::subtract ? a - b : a / b;
        }
        const bool fits =
            !wide_overflow && exact >= static_cast<wide>(lo) && exact <= static_cast<wide>(hi);
        if (fits) {
          REQUIRE(r.is_valid(i));
          CHECK(static_cast<wide>(r.value<T>(i)) == exact);
        } else if (pol == overflow_policy::null) {
          CHECK(r.is_null(i));
        } else if (pol == overflow_policy::saturate) {
          CHECK(r.value<T>(i) == (exact < 0 ? lo : hi));
        } else if (!wide_overflow) {
          const wide m = static_cast<wide>(1) << (8 * sizeof(T));
          wide wrapped = exact % m;
          if (wrapped < 0) wrapped += m;
          if (std::is_signed_v<T> && wrapped > static_cast<wide>(hi)) wrapped -= m;
          CHECK(static_cast<wide>(r.value<T>(i)) == wrapped);
        }
      }
    }
  }
  // default policy: errors name the row
  auto e = try_arithmetic(x, arith_op::add, y);
  REQUIRE_FALSE(e);
  CHECK(e.error().code() == errc::overflow);
  auto z = try_arithmetic(make_column<T>({T(1)}), arith_op::divide, make_column<T>({T(0)}));
  REQUIRE_FALSE(z);
  CHECK(z.error().code() == errc::invalid_argument);
  CHECK(z.error().message().find("row 0") != std::string::npos);
}

TEST_CASE_TEMPLATE("floating arithmetic is IEEE on both paths", T, float, double) {
  for (std::size_t n : kt::edge_lengths<T>()) {
    const auto xs = kt::random_values<T>(n, n, kt::nulls::some);
    const auto ys = kt::random_values<T>(n, n + 1, kt::nulls::some);
    const column x = kt::build(xs, 1), y = kt::build(ys);
    for (arith_op op : {arith_op::add, arith_op::subtract, arith_op::multiply, arith_op::divide}) {
      const column a = detail::arith_columns<kt::vector_path>(x, op, y, {}).value();
      const column b = detail::arith_columns<kt::scalar_path>(x, op, y, {}).value();
      CHECK(a.equals(b));
      for (std::size_t i = 0; i < n; ++i) {
        if (!xs[i] || !ys[i]) {
          CHECK(a.is_null(i));
          continue;
        }
        const T want = detail::float_op(op, *xs[i], *ys[i]);
        const T got = a.value<T>(i);
        CHECK(((std::isnan(want) && std::isnan(got)) || want == got));
      }
    }
  }
}

TEST_CASE("arithmetic with literals and errors") {
  const column x = make_column<std::int32_t>({1, std::nullopt, 3});
  CHECK(try_arithmetic(x, arith_op::multiply, scalar(10))
            .value()
            .equals(make_column<std::int32_t>({10, std::nullopt, 30})));
  CHECK(try_arithmetic(scalar(10), arith_op::subtract, x)
            .value()
            .equals(make_column<std::int32_t>({9, std::nullopt, 7})));
  CHECK_FALSE(try_arithmetic(x, arith_op::add, scalar(2.5)));       // not an int32
  CHECK_FALSE(try_arithmetic(x, arith_op::add, scalar(1LL << 40))); // out of range
  CHECK(try_arithmetic(x, arith_op::add, scalar()).value().null_count() == 3);
  CHECK_FALSE(try_arithmetic(x, arith_op::add, make_column<std::int64_t>({1, 2, 3})));
  CHECK_FALSE(try_arithmetic(make_string_column({"a"}), arith_op::add, scalar(1)));
  const column f = make_column<double>({1.0, -1.0, 0.0});
  const column q = try_arithmetic(f, arith_op::divide, scalar(0)).value();
  CHECK(std::isinf(q.value<double>(0)));
  CHECK(q.value<double>(1) < 0);
  CHECK(std::isnan(q.value<double>(2)));
}

TEST_CASE("checked and saturating casts") {
  const column d = make_column<double>(
      {1.0, 2.5, -1.0, std::nullopt, 300.0, std::numeric_limits<double>::quiet_NaN()});
  auto r = try_cast(d, type_id::int32);
  REQUIRE_FALSE(r);
  CHECK(r.error().code() == errc::overflow);
  CHECK(r.error().message().find("row 1") != std::string::npos);
  CHECK(cast(d.slice(0, 1), type_id::int32).equals(make_column<std::int32_t>({1})));
  const column s = cast(d, type_id::uint8, cast_policy::saturate);
  CHECK(s.equals(make_column<std::uint8_t>({1, 2, 0, std::nullopt, 255, 0})));
  CHECK_FALSE(try_cast(d.slice(4, 1), type_id::int8));
  CHECK(cast(d.slice(2, 2), type_id::int8).equals(make_column<std::int8_t>({-1, std::nullopt})));
  // integers
  const column i = make_column<std::int64_t>({-1, 5, std::nullopt});
  CHECK_FALSE(try_cast(i, type_id::uint64));
  CHECK(cast(i, type_id::uint64, cast_policy::saturate)
            .equals(make_column<std::uint64_t>({0, 5, std::nullopt})));
  CHECK(cast(i.slice(1, 2), type_id::uint16).equals(make_column<std::uint16_t>({5, std::nullopt})));
  CHECK(cast(i, type_id::boolean).equals(make_column<bool>({true, true, std::nullopt})));
  CHECK(cast(make_column<bool>({true, false}), type_id::float32)
            .equals(make_column<float>({1.0f, 0.0f})));
  CHECK_FALSE(try_cast(make_column<double>({1e300}), type_id::float32));
  CHECK(cast(make_column<double>({std::numeric_limits<double>::infinity()}), type_id::float32)
            .equals(make_column<float>({std::numeric_limits<float>::infinity()})));
  // reinterpretations and strings
  CHECK(cast(make_column<std::int32_t>({19000}), type_id::date32).id() == type_id::date32);
  const column str = make_string_column({"a", std::nullopt, "a", "b"});
  const column dict = cast(str, type_id::dictionary);
  CHECK(dict.dictionary()->size() == 2);
  CHECK(cast(dict, type_id::large_string)
            .equals(make_string_column({"a", std::nullopt, "a", "b"}, type_id::large_string)));
  auto bad = try_cast(str, type_id::int32);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code() == errc::unsupported);
}
