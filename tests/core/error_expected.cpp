#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <string>

using tessera::errc;
using tessera::error;
using tessera::expected;

TEST_CASE("error text names file, line, column, kind, message and context") {
  const error e(errc::parse_error, "expected an integer, found 'x'",
                {.file = "g.el", .line = 12, .column = 3, .context = "field 'src'"});
  CHECK(e.code() == errc::parse_error);
  CHECK(e.to_string() == "g.el:12:3: parse error: expected an integer, found 'x' (field 'src')");

  CHECK(error(errc::io_error, "cannot open").to_string() == "I/O error: cannot open");
  CHECK(error(errc::corrupt_data, "bad magic", {.byte_offset = 0}).to_string() ==
        "corrupt data: bad magic (byte 0)");
  CHECK(error(errc::parse_error, "x", {.line = 4}).to_string() == "line 4: parse error: x");
  CHECK(error(errc::overflow, "x", {.file = "f"}).to_string() == "f: overflow: x");
}

TEST_CASE("error context and file can be added as the error travels outwards") {
  error e(errc::corrupt_data, "checksum mismatch", {.byte_offset = 4096, .context = "chunk 3"});
  e.add_context("column 'price'").in_file("t.tsr");
  CHECK(e.to_string() ==
        "t.tsr: corrupt data: checksum mismatch (column 'price', chunk 3, byte 4096)");
  e.in_file("other.tsr"); // the first file recorded stays
  CHECK(e.where().file == "t.tsr");
}

TEST_CASE("every error code has a distinct name") {
  const errc all[] = {errc::invalid_argument, errc::parse_error, errc::corrupt_data,
                      errc::io_error,         errc::overflow,    errc::out_of_range,
                      errc::not_found,        errc::cycle,       errc::unsupported,
                      errc::cancelled,        errc::timeout};
  for (auto a : all)
    for (auto b : all) CHECK((a == b) == (tessera::to_string(a) == tessera::to_string(b)));
}

TEST_CASE("exception carries the error") {
  try {
    tessera::throw_error(error(errc::cycle, "a -> b -> a"));
    FAIL("throw_error returned");
  } catch (const tessera::exception& ex) {
    CHECK(ex.code() == errc::cycle);
    CHECK(std::string(ex.what()) == "cycle: a -> b -> a");
    CHECK(ex.error().message() == "a -> b -> a");
  }
}

TEST_CASE("expected holds a value or an error") {
  expected<int> ok = 42;
  REQUIRE(ok.has_value());
  CHECK(*ok == 42);
  CHECK(ok.value() == 42);
  CHECK(ok.value_or(7) == 42);

  expected<int> bad = tessera::make_error(errc::overflow, "too big", {.line = 2});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code() == errc::overflow);
  CHECK(bad.value_or(7) == 7);
  CHECK_THROWS_AS(bad.value(), tessera::exception);
  CHECK_THROWS_WITH(bad.value(), "line 2: overflow: too big");
}

TEST_CASE("expected with a non-tessera error throws bad_expected_access") {
  expected<int, std::string> bad = tessera::unexpected<std::string>("nope");
  CHECK_THROWS_AS(bad.value(), tessera::bad_expected_access<std::string>);
  try {
    (void)bad.value();
  } catch (const tessera::bad_expected_access<std::string>& ex) {
    CHECK(ex.error() == "nope");
  }
}

TEST_CASE("expected monadic operations") {
  const auto half = [](int x) -> expected<int> {
    if (x % 2 != 0) return tessera::make_error(errc::invalid_argument, "odd");
    return x / 2;
  };
  expected<int> v = 8;
  CHECK(*v.and_then(half).and_then(half) == 2);
  auto odd = v.and_then(half).and_then(half).and_then(half).and_then(half); // 8, 4, 2, 1: odd
  REQUIRE_FALSE(odd);
  CHECK(odd.error().message() == "odd");

  auto s = v.transform([](int x) { return std::to_string(x); });
  static_assert(std::is_same_v<decltype(s), expected<std::string>>);
  CHECK(*s == "8");

  auto recovered = odd.or_else([](const error&) -> expected<int> { return 0; });
  CHECK(*recovered == 0);
  auto as_code = odd.transform_error([](const error& e) { return e.code(); });
  CHECK(as_code.error() == errc::invalid_argument);

  int side_effect = 0;
  expected<void> done = v.transform([&](int x) { side_effect = x; });
  CHECK(done.has_value());
  CHECK(side_effect == 8);
}

TEST_CASE("expected<void>") {
  expected<void> ok;
  CHECK(ok.has_value());
  CHECK_NOTHROW(ok.value());
  expected<void> bad = tessera::make_error(errc::timeout, "late");
  CHECK_FALSE(bad.has_value());
  CHECK_THROWS_WITH(bad.value(), "timeout: late");
  CHECK(*ok.transform([] { return 3; }) == 3);
  CHECK_FALSE(bad.and_then([]() -> expected<int> { return 1; }).has_value());
}

TEST_CASE("expected holds move-only values and moves them out") {
  expected<std::unique_ptr<int>> p = std::make_unique<int>(5);
  std::unique_ptr<int> taken = std::move(p).value();
  CHECK(*taken == 5);
  expected<std::unique_ptr<int>> q = std::make_unique<int>(6);
  CHECK(**q.operator->() == 6);
}
