// Comparisons, bitmap operations, filter and take against plain reference loops, on both the
// scalar and the SIMD path, at edge lengths, unaligned starts, all-null and NaN-laden inputs.
#include "kernel_support.hpp"

#include <tessera/column/bitmap_ops.hpp>
#include <tessera/column/compare.hpp>
#include <tessera/column/filter.hpp>
#include <tessera/column/take.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <vector>

using namespace tessera;

namespace {

const compare_op all_ops[] = {compare_op::eq, compare_op::ne, compare_op::lt,
                              compare_op::le, compare_op::gt, compare_op::ge};

bool ref_cmp(long double a, compare_op op, long double b) {
  switch (op) {
  case compare_op::eq:
    return a == b;
  case compare_op::ne:
    return a != b;
  case compare_op::lt:
    return a < b;
  case compare_op::le:
    return a <= b;
  case compare_op::gt:
    return a > b;
  case compare_op::ge:
    return a >= b;
  }
  return false;
}

template <class T>
void check_compare_scalar(const std::vector<std::optional<T>>& ref, std::size_t pad) {
  const column c = kt::build(ref, pad);
  std::vector<scalar> literals = {scalar(0),
                                  scalar(3),
                                  scalar(-2.5),
                                  scalar(2.25),
                                  scalar(1000),
                                  scalar(-1000),
                                  scalar(std::numeric_limits<double>::quiet_NaN()),
                                  scalar(0.1)};
  for (const auto& lit : literals) {
    for (compare_op op : all_ops) {
      CAPTURE(lit.to_string());
      CAPTURE(to_string(op));
      const bitmap simd = detail::compare_column_scalar<kt::vector_path>(c, op, lit).value();
      const bitmap plain = detail::compare_column_scalar<kt::scalar_path>(c, op, lit).value();
      REQUIRE(simd.size() == ref.size());
      CHECK(simd == plain);
      for (std::size_t i = 0; i < ref.size(); ++i) {
        const bool want = ref[i].has_value() &&
                          ref_cmp(static_cast<long double>(*ref[i]), op, lit.as_long_double());
        if (simd[i] != want) {
          CAPTURE(i);
          CHECK(simd[i] == want);
          break;
        }
      }
    }
  }
}

} // namespace

TEST_CASE_TEMPLATE("compare column with scalar: SIMD = scalar path = reference", T, std::int8_t,
                   std::uint8_t, std::int16_t, std::uint16_t, std::int32_t, std::uint32_t,
                   std::int64_t, std::uint64_t, float, double) {
  for (std::size_t n : kt::edge_lengths<T>()) {
    CAPTURE(n);
    for (auto nn : {kt::nulls::none, kt::nulls::some, kt::nulls::all})
      for (std::size_t pad : {0u, 3u}) check_compare_scalar<T>(kt::random_values<T>(n, n, nn), pad);
  }
}

TEST_CASE_TEMPLATE("compare column with column: SIMD = scalar path = reference", T, std::int8_t,
                   std::uint16_t, std::int32_t, std::uint64_t, float, double) {
  for (std::size_t n : kt::edge_lengths<T>()) {
    CAPTURE(n);
    const auto ra = kt::random_values<T>(n, 1 + n, kt::nulls::some);
    const auto rb = kt::random_values<T>(n, 2 + n, kt::nulls::some);
    const column a = kt::build(ra, 1);
    const column b = kt::build(rb, 0);
    for (compare_op op : all_ops) {
      const bitmap simd = detail::compare_columns<kt::vector_path>(a, op, b).value();
      const bitmap plain = detail::compare_columns<kt::scalar_path>(a, op, b).value();
      CHECK(simd == plain);
      for (std::size_t i = 0; i < n; ++i) {
        const bool want =
            ra[i] && rb[i] &&
            ref_cmp(static_cast<long double>(*ra[i]), op, static_cast<long double>(*rb[i]));
        REQUIRE(simd[i] == want);
      }
    }
  }
}

TEST_CASE("comparison semantics: NaN, exact literals, null literal, types") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const column d = make_column<double>({1.0, nan, std::nullopt, 3.0});
  CHECK(compare(d, compare_op::ne, scalar(1.0)).count() == 2); // NaN != 1 is true; null is not
  CHECK(compare(d, compare_op::eq, scalar(nan)).count() == 0);
  CHECK(compare(d, compare_op::ne, scalar(nan)).count() == 3);
  CHECK(compare(d, compare_op::lt, scalar()).count() == 0); // null literal selects nothing
  // float column vs double literal that no float equals
  const column f = make_column<float>({0.1f, 0.2f});
  CHECK(compare(f, compare_op::eq, scalar(0.1)).count() == 0);
  CHECK(compare(f, compare_op::gt, scalar(0.1)).count() == 2); // 0.1f > 0.1
  // int64 near 2^63: exact
  const column big =
      make_column<std::uint64_t>({std::uint64_t{1} << 63, (std::uint64_t{1} << 63) + 1});
  CHECK(compare(big, compare_op::gt, scalar(std::uint64_t{1} << 63)).count() == 1);
  // strings and errors
  const column s = make_string_column({"a b", "x,y", std::nullopt, "b"});
  CHECK(compare(s, compare_op::eq, scalar("a b")).count() == 1);
  CHECK(compare(s, compare_op::ge, scalar("b")).count() == 2);
  auto err = try_compare(s, compare_op::eq, scalar(1));
  REQUIRE_FALSE(err);
  CHECK(err.error().code() == errc::invalid_argument);
  CHECK_FALSE(try_compare(d, compare_op::eq, scalar("x")));
  CHECK_FALSE(try_compare(d, compare_op::eq, make_column<float>({1, 2, 3, 4})));
  CHECK_FALSE(try_compare(d, compare_op::eq, make_column<double>({1, 2})));
  // booleans
  const column b = make_column<bool>({true, false, std::nullopt, true});
  CHECK(compare(b, compare_op::eq, scalar(true)).count() == 2);
  CHECK(compare(b, compare_op::lt, scalar(true)).count() == 1);
  CHECK(compare(b, compare_op::ge, scalar(false)).count() == 3);
  CHECK_FALSE(try_compare(b, compare_op::eq, scalar(2)));
}

TEST_CASE("string comparisons agree across string, large_string and dictionary") {
  for (std::size_t n : {0u, 1u, 63u, 64u, 65u, 300u}) {
    const auto ref = kt::random_strings(n, n, kt::nulls::some);
    for (auto id : {type_id::string, type_id::large_string, type_id::dictionary}) {
      const column c = kt::build_strings(ref, id);
      for (compare_op op : all_ops) {
        const bitmap got = compare(c, op, scalar("a b"));
        const column other = kt::build_strings(kt::random_strings(n, n + 9, kt::nulls::some));
        const bitmap got2 = compare(c, op, other);
        for (std::size_t i = 0; i < n; ++i) {
          bool want = false;
          bool want2 = false;
          detail::with_compare_op(op, [&](auto cmp) {
            want = ref[i] && cmp(std::string_view(*ref[i]), std::string_view("a b"));
            want2 =
                ref[i] && other.is_valid(i) && cmp(std::string_view(*ref[i]), other.string_at(i));
            return 0;
          });
          REQUIRE(got[i] == want);
          REQUIRE(got2[i] == want2);
        }
      }
    }
  }
}

TEST_CASE("bitmap and/or/xor/and_not/not on views at any offset") {
  std::mt19937_64 rng(3);
  for (std::size_t n : {0u, 1u, 63u, 64u, 65u, 200u}) {
    bitmap a(n + 5), b(n + 11);
    for (std::size_t i = 0; i < a.size(); ++i) a.assign(i, rng() & 1);
    for (std::size_t i = 0; i < b.size(); ++i) b.assign(i, rng() & 1);
    const bitmap_view va = a.view().slice(5, n);
    const bitmap_view vb = b.view().slice(11, n);
    const bitmap x = bitmap_and(va, vb), o = bitmap_or(va, vb), e = bitmap_xor(va, vb),
                 an = bitmap_and_not(va, vb), na = bitmap_not(va);
    for (std::size_t i = 0; i < n; ++i) {
      CHECK(x[i] == (va[i] && vb[i]));
      CHECK(o[i] == (va[i] || vb[i]));
      CHECK(e[i] == (va[i] != vb[i]));
      CHECK(an[i] == (va[i] && !vb[i]));
      CHECK(na[i] == !va[i]);
    }
    CHECK(na.count() == n - va.count()); // no stray bits past the size
  }
}

TEST_CASE_TEMPLATE("filter and take: values and validity against references", T, std::int8_t,
                   std::int32_t, std::uint64_t, double) {
  std::mt19937_64 rng(11);
  for (std::size_t n : kt::edge_lengths<T>()) {
    for (auto nn : {kt::nulls::none, kt::nulls::some, kt::nulls::all}) {
      const auto ref = kt::random_values<T>(n, n * 3, nn);
      const column c = kt::build(ref, 5);
      for (int density : {0, 1, 50, 100}) {
        bitmap sel(n);
        for (std::size_t i = 0; i < n; ++i)
          if (static_cast<int>(rng() % 100) < density) sel.set(i);
        const column f = filter(c, sel);
        std::vector<std::optional<T>> want;
        for (std::size_t i = 0; i < n; ++i)
          if (sel[i]) want.push_back(ref[i]);
        CHECK(f.equals(kt::build(want)));
      }
      std::vector<std::int64_t> idx;
      for (std::size_t i = 0; i < n; ++i) idx.push_back(static_cast<std::int64_t>(rng() % n));
      const column t = take(c, std::span<const std::int64_t>(idx));
      std::vector<std::optional<T>> want;
      for (auto i : idx) want.push_back(ref[static_cast<std::size_t>(i)]);
      CHECK(t.equals(kt::build(want)));
    }
  }
}

TEST_CASE("filter and take on strings, dictionaries and booleans; take checks bounds") {
  for (std::size_t n : {0u, 1u, 65u, 130u}) {
    const auto ref = kt::random_strings(n, n, kt::nulls::some);
    bitmap sel(n);
    for (std::size_t i = 0; i < n; i += 3) sel.set(i);
    for (auto id : {type_id::string, type_id::large_string, type_id::dictionary}) {
      const column c = kt::build_strings(ref, id).slice(0, n);
      std::vector<std::optional<std::string>> want;
      for (std::size_t i = 0; i < n; ++i)
        if (sel[i]) want.push_back(ref[i]);
      const column f = filter(c, sel);
      CHECK(f.id() == id);
      CHECK(f.equals(kt::build_strings(want, id)));
      std::vector<std::uint32_t> idx;
      for (std::size_t i = n; i-- > 0;) idx.push_back(static_cast<std::uint32_t>(i));
      std::vector<std::optional<std::string>> rev(ref.rbegin(), ref.rend());
      CHECK(take(c, std::span<const std::uint32_t>(idx)).equals(kt::build_strings(rev, id)));
    }
  }
  const column b = make_column<bool>({true, std::nullopt, false, true});
  bitmap sel(4);
  sel.set(1);
  sel.set(3);
  CHECK(filter(b, sel).equals(make_column<bool>({std::nullopt, true})));
  const int bad[] = {0, 4};
  auto r = try_take(b, std::span<const int>(bad));
  REQUIRE_FALSE(r);
  CHECK(r.error().code() == errc::out_of_range);
  const int neg[] = {-1};
  CHECK_FALSE(try_take(b, std::span<const int>(neg)));

  auto t = table::from_columns({{"b", b}, {"s", make_string_column({"w", "x", "y", "z"})}}).value();
  const table ft = filter(t, sel);
  CHECK(ft.num_rows() == 2);
  CHECK(ft.at("s").string_at(1) == "z");
}
