// Reductions and the statistics kernel against plain references, on both paths.
#include "kernel_support.hpp"

#include <tessera/column/reduce.hpp>
#include <tessera/column/statistics.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

using namespace tessera;

TEST_CASE_TEMPLATE("statistics: SIMD = scalar path = reference (nulls, NaN, inf, slices)", T,
                   std::int8_t, std::uint8_t, std::int16_t, std::uint16_t, std::int32_t,
                   std::uint32_t, std::int64_t, std::uint64_t, float, double) {
  for (std::size_t n : kt::edge_lengths<T>()) {
    for (auto nn : {kt::nulls::none, kt::nulls::some, kt::nulls::all}) {
      for (std::size_t pad : {0u, 1u}) {
        CAPTURE(n);
        const auto ref = kt::random_values<T>(n, 77 + n, nn);
        const column c = kt::build(ref, pad);
        std::optional<T> lo, hi;
        std::size_t nulls = 0, nans = 0;
        for (const auto& x : ref) {
          if (!x) {
            ++nulls;
            continue;
          }
          if (*x != *x) {
            ++nans;
            continue;
          }
          if (!lo || *x < *lo) lo = *x;
          if (!hi || *x > *hi) hi = *x;
        }
        for (const auto& st : {detail::compute_statistics<kt::vector_path, T>(c.view<T>()),
                               detail::compute_statistics<kt::scalar_path, T>(c.view<T>())}) {
          CHECK(st.null_count == nulls);
          CHECK(st.nan_count == nans);
          CHECK(st.count == n - nulls);
          CHECK(st.min == lo);
          CHECK(st.max == hi);
        }
        // sum: exact for integers; NaN propagates for floats
        long double want = 0;
        for (const auto& x : ref)
          if (x) want += static_cast<long double>(*x);
        const auto s1 = detail::sum_typed<kt::vector_path, T>(c.view<T>()).value();
        const auto s2 = detail::sum_typed<kt::scalar_path, T>(c.view<T>()).value();
        if constexpr (std::is_floating_point_v<T>) {
          if (std::isnan(want)) {
            CHECK(std::isnan(s1));
            CHECK(std::isnan(s2));
          } else if (std::isinf(want)) {
            CHECK(s1 == static_cast<double>(want));
          } else {
            CHECK(s1 == doctest::Approx(static_cast<double>(want)));
            CHECK(s2 == doctest::Approx(static_cast<double>(want)));
          }
        } else {
          CHECK(static_cast<long double>(s1) == want);
          CHECK(s1 == s2);
        }
      }
    }
  }
}

TEST_CASE("reductions on columns: sum overflow, mean, variance, count, any/all, errors") {
  const auto big = std::numeric_limits<std::int64_t>::max();
  auto over = try_sum(make_column<std::int64_t>({big, 1}));
  REQUIRE_FALSE(over);
  CHECK(over.error().code() == errc::overflow);
  CHECK(sum(make_column<std::int64_t>({big, 1, -2})) == scalar(big - 1)); // exact in between
  CHECK(sum(make_column<std::uint64_t>({std::numeric_limits<std::uint64_t>::max(), std::nullopt}))
            .get() == scalar::storage(std::numeric_limits<std::uint64_t>::max()));
  CHECK(mean(make_column<std::int64_t>({big, big})) == scalar(static_cast<double>(big)));
  CHECK(sum(make_column<std::int32_t>({})) == scalar(0));
  CHECK(mean(make_column<std::int32_t>({std::nullopt})).is_null());
  CHECK(mean(make_column<double>({1.0, 2.0, std::nullopt, 6.0})) == scalar(3.0));
  const column v = make_column<double>({2, 4, 4, 4, 5, 5, 7, 9});
  CHECK(std::get<double>(variance(v, 0).get()) == doctest::Approx(4.0));
  CHECK(std::get<double>(variance(v).get()) == doctest::Approx(32.0 / 7.0));
  CHECK(variance(make_column<double>({1.0})).is_null());
  CHECK(std::isnan(std::get<double>(
      sum(make_column<double>({1.0, std::numeric_limits<double>::quiet_NaN()})).get())));
  CHECK(count(make_column<double>({1.0, std::nullopt})) == 1);
  CHECK(min(make_column<double>({std::numeric_limits<double>::quiet_NaN(), 2.0, -1.0})) ==
        scalar(-1.0));
  CHECK(max(make_column<double>({std::numeric_limits<double>::quiet_NaN()})).is_null());
  CHECK(min(make_string_column({"b", std::nullopt, "a b"})) == scalar("a b"));
  CHECK(max(make_string_column({"b", "c"}, type_id::dictionary)) == scalar("c"));

  CHECK(any(make_column<bool>({false, std::nullopt, true})));
  CHECK_FALSE(any(make_column<bool>({false, std::nullopt})));
  CHECK(all(make_column<bool>({true, std::nullopt})));
  CHECK_FALSE(all(make_column<bool>({true, false})));
  CHECK(all(make_column<bool>({})));
  // any/all over a slice at an odd offset with 70 elements
  bool_builder bb;
  for (int i = 0; i < 75; ++i) bb.append(i != 3);
  const column b = bb.finish();
  CHECK(all(b.slice(4, 70)));
  CHECK_FALSE(all(b.slice(3, 70)));
  CHECK_FALSE(try_any(make_column<int>({1})));
  CHECK_FALSE(try_sum(make_string_column({"x"})));
  CHECK_FALSE(try_variance(make_column<bool>({true})));

  const auto st = compute_statistics(
      make_column<float>({1.5f, std::nullopt, std::numeric_limits<float>::quiet_NaN(), -3.0f}));
  CHECK(st.min == scalar(-3.0f));
  CHECK(st.max == scalar(1.5f));
  CHECK(st.null_count == 1);
  CHECK(st.nan_count == 1);
  CHECK(st.count == 3);
}
