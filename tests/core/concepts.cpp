#include <tessera/core/concepts.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

// Positive and negative checks: the concepts accept every integer/arithmetic type a user may
// choose and reject the ones that would silently misbehave.
static_assert(tessera::vertex_id<std::int32_t> && tessera::vertex_id<std::uint32_t>);
static_assert(tessera::vertex_id<std::int64_t> && tessera::vertex_id<std::uint64_t>);
static_assert(tessera::vertex_id<std::uint8_t> && tessera::vertex_id<short>);
static_assert(!tessera::vertex_id<bool> && !tessera::vertex_id<char> &&
              !tessera::vertex_id<char8_t>);
static_assert(!tessera::vertex_id<double> && !tessera::vertex_id<std::string>);
static_assert(tessera::edge_offset<std::uint64_t> && !tessera::edge_offset<float>);
static_assert(tessera::weight<int> && tessera::weight<float> && tessera::weight<double>);
static_assert(tessera::weight<std::uint8_t> && !tessera::weight<bool> && !tessera::weight<void>);
static_assert(tessera::weight_or_void<void> && tessera::weight_or_void<double>);
static_assert(!tessera::weight_or_void<std::string>);
static_assert(tessera::column_value<bool> && tessera::column_value<double>);
static_assert(tessera::column_value<std::int8_t> && !tessera::column_value<const int>);
static_assert(!tessera::column_value<std::string>);

namespace {
template <class T>
constexpr int classify() {
  if constexpr (tessera::vertex_id<T>)
    return 1;
  else if constexpr (tessera::weight<T>)
    return 2;
  else
    return 0;
}
} // namespace

TEST_CASE("concepts select overloads as documented") {
  CHECK(classify<int>() == 1);
  CHECK(classify<double>() == 2);
  CHECK(classify<bool>() == 0);
}
