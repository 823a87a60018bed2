// The filter-expression language: parsing, precedence, three-valued logic, error positions.
#include <tessera/column/builder.hpp>
#include <tessera/column/expression.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace tessera;

namespace {
table sample() {
  return table::from_columns(
             {{"x", make_column<std::int64_t>({1, 2, 3, std::nullopt, 5, 6})},
              {"y", make_column<double>({0.5, std::numeric_limits<double>::quiet_NaN(), 3.0, 4.0,
                                         std::nullopt, 6.5})},
              {"s", make_string_column({"a b", "x,y", "it's", std::nullopt, "a b", "z"})},
              {"my col", make_column<std::int32_t>({1, 1, 1, 1, 1, 0})}})
      .value();
}
std::vector<std::size_t> rows(const table& t, const std::string& e) {
  const bitmap b = filter_expression::parse(e).value().evaluate(t).value();
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < b.size(); ++i)
    if (b[i]) out.push_back(i);
  return out;
}
using v = std::vector<std::size_t>;
} // namespace

TEST_CASE("filter expressions select what SQL would") {
  const table t = sample();
  CHECK(rows(t, "x > 2") == v{2, 4, 5});
  CHECK(rows(t, "2 < x") == v{2, 4, 5}); // literal on the left
  CHECK(rows(t, "x >= 2 AND x <= 5") == v{1, 2, 4});
  CHECK(rows(t, "x = 1 OR x = 6 AND s = 'z'") == v{0, 5}); // AND binds tighter
  CHECK(rows(t, "(x = 1 OR x = 6) AND s = 'z'") == v{5});
  CHECK(rows(t, "s = 'a b'") == v{0, 4});
  CHECK(rows(t, "s = 'x,y'") == v{1});
  CHECK(rows(t, "s = 'it''s'") == v{2});
  CHECK(rows(t, "s != 'a b'") == v{1, 2, 5}); // null s is unknown, not selected
  CHECK(rows(t, "NOT x > 2") == v{0, 1});     // null x stays unselected under NOT
  CHECK(rows(t, "NOT NOT x > 2") == v{2, 4, 5});
  CHECK(rows(t, "not (x > 2 or s = 'a b')") == v{1});
  CHECK(rows(t, "y > 1") == v{2, 3, 5});
  CHECK(rows(t, "NOT y > 1") == v{0, 1}); // NaN > 1 is false (known), so NOT selects it
  CHECK(rows(t, "y != 3") == v{0, 1, 3, 5});
  CHECK(rows(t, "x < y") == v{5}); // mixed numeric columns compare as float64
  CHECK(rows(t, "\"my col\" = 0") == v{5});
  CHECK(rows(t, "x = 1e0 or x = 2.0") == v{0, 1});
  CHECK(rows(t, "x = null") == v{});
  CHECK(rows(t, "NOT x = null") == v{});
  CHECK(rows(t, "x > -1 AND x < +3") == v{0, 1});
  CHECK(filter_expression::parse("NOT a=1 AND (b<'x y' OR c>=2)").value().to_string() ==
        "((NOT \"a\" = 1) AND (\"b\" < 'x y' OR \"c\" >= 2))");
  const table w = where(t, "s = 'a b' AND x > 1");
  CHECK(w.num_rows() == 1);
  CHECK(w.at("x").value<std::int64_t>(0) == 5);
}

TEST_CASE("filter expression errors point at the position") {
  const auto pos = [](const std::string& e) -> std::uint64_t {
    auto r = filter_expression::parse(e);
    REQUIRE_FALSE(r);
    CHECK(r.error().code() == errc::parse_error);
    CHECK(r.error().where().context.find(e) != std::string::npos);
    return r.error().where().column;
  };
  CHECK(pos("x >") == 4);
  CHECK(pos("x 5") == 3);
  CHECK(pos("x = 'abc") == 5);
  CHECK(pos("(x = 1") == 7);
  CHECK(pos("x = 1 AND") == 10);
  CHECK(pos("x = 1 y = 2") == 7);
  CHECK(pos("1 = 2") == 1);
  CHECK(pos("x = 1.2.3") == 5);
  CHECK(pos("x = AND") == 5);
  CHECK(pos("") == 1);
  CHECK(pos("x = 1)") == 6);
  CHECK(pos(std::string(1000, '(') + "x=1" + std::string(1000, ')')) > 0); // no stack overflow
  const table t = sample();
  auto missing = filter_expression::parse("x = 1 AND nope > 2").value().evaluate(t);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code() == errc::not_found);
  CHECK(missing.error().where().column == 11);
  auto types = filter_expression::parse("x = 1 OR s > 3").value().evaluate(t);
  REQUIRE_FALSE(types);
  CHECK(types.error().code() == errc::invalid_argument);
  CHECK(types.error().where().column == 10);
  CHECK_THROWS_AS((void)where(t, "x >"), tessera::exception);
}
