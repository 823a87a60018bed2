// Shared helpers of the format tests: temporary directories, random tables over every type, and
// an independent min/max/distinct computation.
#pragma once

#include <tessera/column/builder.hpp>
#include <tessera/column/table.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

namespace tsr_test {

struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    static int n = 0;
    path = std::filesystem::temp_directory_path() /
           ("tessera_tsr_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

/// A table with one column of every type (plus a non-nullable one), with nulls, NaNs, -0.0,
/// infinities, extreme integers, empty strings and repeated strings.
inline tessera::table random_table(std::size_t rows, std::uint64_t seed) {
  using namespace tessera;
  std::mt19937_64 rng(seed);
  const auto pick = [&](std::uint64_t n) { return rng() % n; };
  const auto null = [&] { return pick(6) == 0; };
  std::vector<std::pair<std::string, column>> cols;
  {
    bool_builder b;
    for (std::size_t i = 0; i < rows; ++i) null() ? b.append_null() : b.append(pick(2) == 1);
    cols.emplace_back("bool", b.finish());
  }
  const auto ints = [&]<class T>(std::type_identity<T>, const char* name, data_type type) {
    primitive_builder<T> b(type);
    for (std::size_t i = 0; i < rows; ++i) {
      if (null()) {
        b.append_null();
        continue;
      }
      switch (pick(4)) {
      case 0:
        b.append(std::numeric_limits<T>::min());
        break;
      case 1:
        b.append(std::numeric_limits<T>::max());
        break;
      default:
        b.append(static_cast<T>(pick(100)));
      }
    }
    cols.emplace_back(name, b.finish());
  };
  ints(std::type_identity<std::int8_t>{}, "i8", type_id::int8);
  ints(std::type_identity<std::int16_t>{}, "i16", type_id::int16);
  ints(std::type_identity<std::int32_t>{}, "i32", type_id::int32);
  ints(std::type_identity<std::int64_t>{}, "i64", type_id::int64);
  ints(std::type_identity<std::uint8_t>{}, "u8", type_id::uint8);
  ints(std::type_identity<std::uint16_t>{}, "u16", type_id::uint16);
  ints(std::type_identity<std::uint32_t>{}, "u32", type_id::uint32);
  ints(std::type_identity<std::uint64_t>{}, "u64", type_id::uint64);
  ints(std::type_identity<std::int32_t>{}, "date", type_id::date32);
  ints(std::type_identity<std::int64_t>{}, "ts", timestamp_type(time_unit::nanosecond));
  const auto floats = [&]<class T>(std::type_identity<T>, const char* name) {
    primitive_builder<T> b;
    for (std::size_t i = 0; i < rows; ++i) {
      if (null()) {
        b.append_null();
        continue;
      }
      switch (pick(8)) {
      case 0:
        b.append(std::numeric_limits<T>::quiet_NaN());
        break;
      case 1:
        b.append(-std::numeric_limits<T>::infinity());
        break;
      case 2:
        b.append(T(-0.0));
        break;
      default:
        b.append(static_cast<T>(pick(50)) / T(4));
      }
    }
    cols.emplace_back(name, b.finish());
  };
  floats(std::type_identity<float>{}, "f32");
  floats(std::type_identity<double>{}, "f64");
  const auto strings = [&](auto& b, const char* name, bool many) {
    for (std::size_t i = 0; i < rows; ++i) {
      if (null()) {
        b.append_null();
        continue;
      }
      const auto k = pick(many ? 1000000 : 4);
      b.append(k == 0 ? std::string() : "s" + std::to_string(k));
    }
    cols.emplace_back(name, b.finish());
  };
  {
    basic_string_builder<std::int32_t> b;
    strings(b, "str_low", false);
  }
  {
    basic_string_builder<std::int32_t> b;
    strings(b, "str_high", true);
  }
  {
    basic_string_builder<std::int64_t> b;
    strings(b, "large", false);
  }
  {
    dictionary_builder b;
    strings(b, "dict", false);
  }
  auto t = *table::from_columns(std::move(cols));
  // One non-nullable column and schema/field metadata.
  std::vector<field> fields(t.schema().fields().begin(), t.schema().fields().end());
  std::vector<column> cs(t.columns().begin(), t.columns().end());
  std::vector<std::uint64_t> ids(rows);
  for (std::size_t i = 0; i < rows; ++i) ids[i] = i * 1000 + seed;
  fields.push_back(field{"id", type_id::uint64, false, {{"unit", "row"}}});
  cs.push_back(make_column<std::uint64_t>(ids));
  return *table::make(
      schema(std::move(fields), {{"origin", "test"}, {"seed", std::to_string(seed)}}),
      std::move(cs));
}

struct stats {
  tessera::scalar min, max;
  std::uint64_t nans = 0;
  std::uint64_t distinct = 0;
};

/// Statistics computed independently of the writer (sets and plain loops).
inline stats min_max(const tessera::column& c) {
  using namespace tessera;
  stats s;
  if (is_string_like(c.id())) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < c.size(); ++i)
      if (c.is_valid(i)) seen.emplace(c.string_at(i));
    if (!seen.empty()) s.min = scalar(*seen.begin()), s.max = scalar(*seen.rbegin());
    s.distinct = seen.size();
    return s;
  }
  if (c.id() == type_id::boolean) {
    std::set<bool> seen;
    for (std::size_t i = 0; i < c.size(); ++i)
      if (c.is_valid(i)) seen.insert(c.value<bool>(i));
    if (!seen.empty()) s.min = scalar(*seen.begin()), s.max = scalar(*seen.rbegin());
    s.distinct = seen.size();
    return s;
  }
  visit_physical(c.id(), [&]<class T>(std::type_identity<T>) {
    if constexpr (column_number<T>) {
      std::set<T> seen;
      for (std::size_t i = 0; i < c.size(); ++i) {
        if (!c.is_valid(i)) continue;
        const T x = c.value<T>(i);
        if constexpr (std::is_floating_point_v<T>) {
          if (std::isnan(x)) {
            ++s.nans;
            continue;
          }
        }
        seen.insert(x);
      }
      s.distinct = seen.size() + (s.nans > 0 ? 1 : 0);
      if (!seen.empty()) {
        if constexpr (std::is_floating_point_v<T>)
          s.min = scalar(static_cast<double>(*seen.begin())),
          s.max = scalar(static_cast<double>(*seen.rbegin()));
        else
          s.min = scalar(*seen.begin()), s.max = scalar(*seen.rbegin());
      }
    }
  });
  return s;
}

} // namespace tsr_test
