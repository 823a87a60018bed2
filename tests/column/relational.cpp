// Group-by, join, sort, distinct and set operations against brute-force references on small
// random tables with nulls, NaNs, repeated keys and strings in every encoding.
#include "kernel_support.hpp"

#include <tessera/column/concatenate.hpp>
#include <tessera/column/group_by.hpp>
#include <tessera/column/join.hpp>
#include <tessera/column/set_ops.hpp>
#include <tessera/column/sort.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace tessera;

namespace {

/// A canonical text for a cell under key equality (null, NaN, -0.0 handled).
std::string cell(const column& c, std::size_t i) {
  if (!c.is_valid(i)) return "<null>";
  if (is_string_like(c.id())) return "s:" + std::string(c.string_at(i));
  if (c.id() == type_id::boolean) return c.value<bool>(i) ? "true" : "false";
  return visit_physical(c.id(), [&]<class T>(std::type_identity<T>) -> std::string {
    if constexpr (column_number<T>) {
      const T x = c.value<T>(i);
      if constexpr (std::is_floating_point_v<T>) {
        if (x != x) return "NaN";
        char buf[64];
        std::snprintf(buf, sizeof buf, "%a", static_cast<double>(x == T(0) ? T(0) : x));
        return buf;
      } else {
        return std::to_string(x);
      }
    } else {
      return "?";
    }
  });
}
std::vector<std::string> row(const table& t, std::size_t i, const std::vector<std::string>& cols) {
  std::vector<std::string> r;
  for (const auto& n : cols) r.push_back(cell(t.at(n), i));
  return r;
}
std::vector<std::string> names(const table& t) {
  std::vector<std::string> out;
  for (const auto& f : t.schema().fields()) out.push_back(f.name);
  return out;
}
std::vector<std::vector<std::string>> rows(const table& t) {
  std::vector<std::vector<std::string>> out;
  for (std::size_t i = 0; i < t.num_rows(); ++i) out.push_back(row(t, i, names(t)));
  return out;
}

table random_table(std::size_t n, std::uint64_t seed, type_id string_encoding = type_id::string) {
  std::mt19937_64 rng(seed);
  std::vector<std::optional<std::int32_t>> k;
  std::vector<std::optional<double>> d;
  std::vector<std::optional<std::string>> s;
  std::vector<std::optional<std::int64_t>> v;
  const char* words[] = {"a", "b", "a b", "x,y"};
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = rng();
    k.push_back(r % 7 == 0 ? std::nullopt : std::optional<std::int32_t>(static_cast<int>(r % 4)));
    const auto r2 = rng();
    d.push_back(r2 % 9 == 0   ? std::nullopt
                : r2 % 9 == 1 ? std::optional<double>(std::numeric_limits<double>::quiet_NaN())
                : r2 % 9 == 2 ? std::optional<double>(-0.0)
                              : std::optional<double>(static_cast<double>(r2 % 3)));
    const auto r3 = rng();
    s.push_back(r3 % 8 == 0 ? std::nullopt : std::optional<std::string>(words[r3 % 4]));
    const auto r4 = rng();
    v.push_back(r4 % 5 == 0
                    ? std::nullopt
                    : std::optional<std::int64_t>(static_cast<std::int64_t>(r4 % 100) - 50));
  }
  return table::from_columns({{"k", kt::build(k)},
                              {"d", kt::build(d)},
                              {"s", kt::build_strings(s, string_encoding)},
                              {"v", kt::build(v)}})
      .value();
}

} // namespace

TEST_CASE("group_by matches a brute-force reference on one and several keys") {
  for (std::size_t n : {0u, 1u, 5u, 64u, 300u}) {
    for (auto enc : {type_id::string, type_id::dictionary}) {
      const table t = random_table(n, n + 1, enc);
      for (const std::vector<std::string>& keys :
           {std::vector<std::string>{"k"}, std::vector<std::string>{"s"},
            std::vector<std::string>{"d"}, std::vector<std::string>{"k", "s", "d"}}) {
        CAPTURE(n);
        CAPTURE(keys.size());
        const aggregate aggs[] = {
            {aggregate_kind::count, "", ""}, {aggregate_kind::count, "v", ""},
            {aggregate_kind::sum, "v", ""},  {aggregate_kind::min, "v", ""},
            {aggregate_kind::max, "d", ""},  {aggregate_kind::mean, "v", "avg"},
            {aggregate_kind::min, "s", ""}};
        const table g = group_by(t, keys, aggs);
        // reference: groups in order of first appearance
        std::map<std::vector<std::string>, std::size_t> index;
        std::vector<std::vector<std::string>> order;
        struct acc {
          std::int64_t rows = 0, cnt = 0, sum = 0;
          std::optional<std::int64_t> mn;
          std::optional<double> mxd;
          std::optional<std::string> mns;
        };
        std::vector<acc> accs;
        const column& v = t.at("v");
        const column& d = t.at("d");
        const column& s = t.at("s");
        for (std::size_t i = 0; i < n; ++i) {
          auto key = row(t, i, keys);
          auto [it, fresh] = index.emplace(key, order.size());
          if (fresh) {
            order.push_back(key);
            accs.emplace_back();
          }
          acc& a = accs[it->second];
          ++a.rows;
          if (v.is_valid(i)) {
            const auto x = v.value<std::int64_t>(i);
            ++a.cnt;
            a.sum += x;
            a.mn = a.mn ? std::min(*a.mn, x) : x;
          }
          if (d.is_valid(i) && !std::isnan(d.value<double>(i)))
            a.mxd = a.mxd ? std::max(*a.mxd, d.value<double>(i)) : d.value<double>(i);
          if (s.is_valid(i)) {
            const std::string x(s.string_at(i));
            a.mns = a.mns ? std::min(*a.mns, x) : x;
          }
        }
        REQUIRE(g.num_rows() == order.size());
        CHECK(g.schema()[keys.size()].name == "count(*)");
        CHECK(g.schema()[keys.size() + 2].name == "sum(v)");
        CHECK(g.find("avg") != nullptr);
        for (std::size_t r = 0; r < order.size(); ++r) {
          CHECK(row(g, r, keys) == order[r]);
          const acc& a = accs[r];
          CHECK(g.at("count(*)").value<std::int64_t>(r) == a.rows);
          CHECK(g.at("count(v)").value<std::int64_t>(r) == a.cnt);
          if (a.cnt == 0) {
            CHECK(g.at("sum(v)").is_null(r));
            CHECK(g.at("avg").is_null(r));
            CHECK(g.at("min(v)").is_null(r));
          } else {
            CHECK(g.at("sum(v)").value<std::int64_t>(r) == a.sum);
            CHECK(g.at("avg").value<double>(r) ==
                  doctest::Approx(static_cast<double>(a.sum) / static_cast<double>(a.cnt)));
            CHECK(g.at("min(v)").value<std::int64_t>(r) == *a.mn);
          }
          CHECK(g.at("max(d)").is_valid(r) == a.mxd.has_value());
          if (a.mxd) CHECK(g.at("max(d)").value<double>(r) == *a.mxd);
          CHECK(g.at("min(s)").is_valid(r) == a.mns.has_value());
          if (a.mns) CHECK(g.at("min(s)").string_at(r) == *a.mns);
        }
      }
    }
  }
  const table t = random_table(10, 1);
  const std::vector<std::string> bad = {"nope"};
  CHECK(try_group_by(t, bad, {}).error().code() == errc::not_found);
  const std::vector<std::string> k = {"k"};
  const aggregate sum_s[] = {{aggregate_kind::sum, "s", ""}};
  CHECK(try_group_by(t, k, sum_s).error().code() == errc::invalid_argument);
  const auto big = std::numeric_limits<std::int64_t>::max();
  const table o = table::from_columns(
                      {{"k", make_column<int>({1, 1})}, {"v", make_column<std::int64_t>({big, 1})}})
                      .value();
  const aggregate sum_v[] = {{aggregate_kind::sum, "v", ""}};
  CHECK(try_group_by(o, k, sum_v).error().code() == errc::overflow);
}

TEST_CASE_TEMPLATE("group_by on one fixed-width key: direct-indexed and hashed, across chunks", T,
                   std::int8_t, std::int32_t, std::uint64_t, std::int64_t, double) {
  // 9000 rows span three 4096-row chunks. Key shapes: a small range (direct-indexed for
  // integers), the same with nulls and an unaligned start, values spread over the whole type
  // (hashed; the extremes overflow a naive max - min), a small range turning wide midway, and
  // values walking down then up.
  const std::size_t n = 9000;
  for (int shape = 0; shape < 6; ++shape) {
    CAPTURE(shape);
    std::mt19937_64 rng(static_cast<std::uint64_t>(shape) + 99);
    std::vector<std::optional<T>> k;
    std::vector<std::optional<std::int64_t>> v;
    std::vector<std::optional<double>> w;
    for (std::size_t i = 0; i < n; ++i) {
      const auto r = rng();
      std::optional<T> key;
      if (shape == 4) {
        // a small range first, then the whole type: the array gives way to the hash table
        key = i < 5000 ? static_cast<T>(r % 37) : static_cast<T>(r);
      } else if (shape == 5) {
        // descending, then ascending: the array widens downwards and upwards many times
        key = static_cast<T>(i < 4500 ? 4500 - i : i);
      } else if (shape == 3) {
        const T extremes[] = {std::numeric_limits<T>::lowest(), std::numeric_limits<T>::max(), T(0),
                              T(1)};
        key = extremes[r % 4];
        if constexpr (std::is_floating_point_v<T>) {
          if (r % 9 == 0) key = std::numeric_limits<T>::quiet_NaN();
          if (r % 9 == 1) key = T(-0.0);
        }
      } else if (shape == 2) {
        key = static_cast<T>(r); // every bit pattern: a wide range
      } else {
        key = static_cast<T>(static_cast<int>(r % 37) - (std::is_signed_v<T> ? 18 : 0));
        if (shape == 1 && r % 11 == 0) key = std::nullopt;
      }
      k.push_back(key);
      const auto r2 = rng();
      v.push_back(r2 % 6 == 0
                      ? std::nullopt
                      : std::optional<std::int64_t>(static_cast<std::int64_t>(r2 % 1000) - 500));
      w.push_back(r2 % 7 == 0   ? std::nullopt
                  : r2 % 7 == 1 ? std::optional<double>(std::numeric_limits<double>::quiet_NaN())
                                : std::optional<double>(static_cast<double>(r2 % 13) / 4));
    }
    const table t =
        table::from_columns(
            {{"k", kt::build(k, shape == 1 ? 3 : 0)}, {"v", kt::build(v)}, {"w", kt::build(w)}})
            .value();
    const std::vector<std::string> keys = {"k"};
    const aggregate aggs[] = {{aggregate_kind::count, "", ""}, {aggregate_kind::count, "v", ""},
                              {aggregate_kind::sum, "v", ""},  {aggregate_kind::min, "v", ""},
                              {aggregate_kind::max, "w", ""},  {aggregate_kind::mean, "w", ""},
                              {aggregate_kind::sum, "w", ""}};
    const table g = group_by(t, keys, aggs);
    std::map<std::string, std::size_t> index;
    std::vector<std::string> order;
    struct acc {
      std::int64_t rows = 0, cnt = 0, sum = 0, wcnt = 0;
      std::optional<std::int64_t> mn;
      std::optional<double> mx;
      double wsum = 0;
    };
    std::vector<acc> accs;
    for (std::size_t i = 0; i < n; ++i) {
      auto [it, fresh] = index.emplace(cell(t.at("k"), i), order.size());
      if (fresh) {
        order.push_back(it->first);
        accs.emplace_back();
      }
      acc& a = accs[it->second];
      ++a.rows;
      if (v[i]) {
        ++a.cnt;
        a.sum += *v[i];
        a.mn = a.mn ? std::min(*a.mn, *v[i]) : *v[i];
      }
      if (w[i]) {
        ++a.wcnt;
        a.wsum += *w[i];
        if (!std::isnan(*w[i])) a.mx = a.mx ? std::max(*a.mx, *w[i]) : *w[i];
      }
    }
    REQUIRE(g.num_rows() == order.size());
    for (std::size_t r = 0; r < order.size(); ++r) {
      CAPTURE(r);
      const acc& a = accs[r];
      CHECK(cell(g.at("k"), r) == order[r]);
      CHECK(g.at("count(*)").value<std::int64_t>(r) == a.rows);
      CHECK(g.at("count(v)").value<std::int64_t>(r) == a.cnt);
      CHECK(g.at("sum(v)").is_valid(r) == (a.cnt != 0));
      if (a.cnt != 0) {
        CHECK(g.at("sum(v)").value<std::int64_t>(r) == a.sum);
        CHECK(g.at("min(v)").value<std::int64_t>(r) == *a.mn);
      }
      CHECK(g.at("max(w)").is_valid(r) == a.mx.has_value());
      if (a.mx) CHECK(g.at("max(w)").value<double>(r) == *a.mx);
      CHECK(g.at("sum(w)").is_valid(r) == (a.wcnt != 0));
      if (a.wcnt != 0) {
        // Same summation order as the reference (rows in order), so the same bits; NaN stays NaN.
        CHECK(cell(g.at("sum(w)"), r) == cell(make_column<double>({a.wsum}), 0));
        const double m = a.wsum / static_cast<double>(a.wcnt);
        CHECK(std::isnan(g.at("mean(w)").value<double>(r)) == std::isnan(m));
        if (!std::isnan(m)) CHECK(g.at("mean(w)").value<double>(r) == doctest::Approx(m));
      }
    }
  }
}

TEST_CASE("join kinds match a nested-loop reference") {
  for (std::size_t nl : {0u, 1u, 40u, 130u}) {
    for (std::size_t nr : {0u, 3u, 4u, 50u}) {
      const table l = random_table(nl, nl * 7 + 1);
      const table r0 = random_table(nr, nr * 5 + 2, type_id::dictionary);
      // With 4 rows the right keys are unique (and one is null): the typed path's direct match.
      const column rk =
          nr == 4 ? kt::build(std::vector<std::optional<std::int32_t>>{3, std::nullopt, 1, 0})
                  : r0.at("k");
      const table r =
          table::from_columns({{"k", rk}, {"s", r0.at("s")}, {"d", r0.at("d")}, {"w", r0.at("v")}})
              .value();
      // multi-key (generic path) and single fixed-width keys (typed path, ints and doubles)
      for (const std::vector<std::string>& keys :
           {std::vector<std::string>{"k", "s"}, std::vector<std::string>{"k"},
            std::vector<std::string>{"d"}, std::vector<std::string>{"s"}}) {
        const auto is_key = [&](const std::string& n) {
          return std::find(keys.begin(), keys.end(), n) != keys.end();
        };
        std::vector<std::string> right_rest;
        for (const auto& n : names(r))
          if (!is_key(n)) right_rest.push_back(n);
        const auto match = [&](std::size_t i, std::size_t j) {
          for (const auto& kname : keys) {
            if (l.at(kname).is_null(i) || r.at(kname).is_null(j)) return false;
            if (cell(l.at(kname), i) != cell(r.at(kname), j)) return false;
          }
          return true;
        };
        for (auto kind : {join_kind::inner, join_kind::left, join_kind::right, join_kind::full,
                          join_kind::semi, join_kind::anti}) {
          CAPTURE(nl);
          CAPTURE(nr);
          CAPTURE(keys.size());
          CAPTURE(keys[0]);
          CAPTURE(static_cast<int>(kind));
          const table j = join(l, r, keys, kind);
          std::vector<std::vector<std::string>> want;
          std::vector<bool> rmatched(nr);
          for (std::size_t i = 0; i < nl; ++i) {
            bool any = false;
            for (std::size_t jj = 0; jj < nr; ++jj) {
              if (!match(i, jj)) continue;
              any = true;
              rmatched[jj] = true;
              if (kind == join_kind::semi || kind == join_kind::anti) continue;
              auto rowv = row(l, i, names(l));
              for (const auto& n : right_rest) rowv.push_back(cell(r.at(n), jj));
              want.push_back(rowv);
            }
            if (kind == join_kind::semi && any) want.push_back(row(l, i, names(l)));
            if (kind == join_kind::anti && !any) want.push_back(row(l, i, names(l)));
            if ((kind == join_kind::left || kind == join_kind::full) && !any) {
              auto rowv = row(l, i, names(l));
              for (std::size_t k = 0; k < right_rest.size(); ++k) rowv.push_back("<null>");
              want.push_back(rowv);
            }
          }
          if (kind == join_kind::right || kind == join_kind::full) {
            for (std::size_t jj = 0; jj < nr; ++jj) {
              if (rmatched[jj]) continue;
              std::vector<std::string> rowv;
              for (const auto& n : names(l))
                rowv.push_back(is_key(n) ? cell(r.at(n), jj) : "<null>");
              for (const auto& n : right_rest) rowv.push_back(cell(r.at(n), jj));
              want.push_back(rowv);
            }
          }
          CHECK(rows(j) == want);
        }
      }
    }
  }
  // name collisions, errors
  const table a =
      table::from_columns({{"id", make_column<int>({1, 2})}, {"x", make_column<int>({10, 20})}})
          .value();
  const table b =
      table::from_columns({{"id", make_column<int>({2, 2})}, {"x", make_column<int>({7, 8})}})
          .value();
  const std::vector<std::string> id = {"id"};
  const table j = join(a, b, id, join_kind::inner);
  CHECK(names(j) == std::vector<std::string>{"id", "x", "x_right"});
  CHECK(j.num_rows() == 2);
  const table bl = table::from_columns({{"id", make_column<std::int64_t>({1})}}).value();
  CHECK(try_join(a, bl, id, join_kind::inner).error().code() == errc::invalid_argument);
  const std::vector<std::string> none = {"zz"};
  CHECK(try_join(a, b, none, join_kind::inner).error().code() == errc::not_found);
}

TEST_CASE_TEMPLATE("join on one fixed-width key: large inputs, every kind, in order", T,
                   std::int32_t, std::int64_t, double) {
  // 70000 left rows span two 65536-row output chunks. Right keys: unique and dense (the
  // direct-indexed build, one match per row), unique but sparse (hashed), and repeated (CSR),
  // each with a null; left keys miss about half the time and are sometimes null.
  const std::size_t nl = 70000;
  for (int shape = 0; shape < 3; ++shape) {
    CAPTURE(shape);
    const std::size_t nr = 3000;
    const auto key_of = [&](std::size_t x) -> T {
      if (shape == 1) return static_cast<T>(static_cast<std::int64_t>(x) * 1000003 - 7);
      if (shape == 2) return static_cast<T>(x / 3);
      return static_cast<T>(x);
    };
    std::mt19937_64 rng(static_cast<std::uint64_t>(shape) + 5);
    std::vector<std::optional<T>> rk(nr), lk(nl);
    std::vector<std::optional<std::int64_t>> a(nl), b(nr);
    for (std::size_t j = 0; j < nr; ++j) {
      rk[j] = j == 17 ? std::nullopt : std::optional<T>(key_of((j * 7919) % nr));
      b[j] = static_cast<std::int64_t>(j);
    }
    for (std::size_t i = 0; i < nl; ++i) {
      const auto r = rng();
      lk[i] = r % 13 == 0 ? std::nullopt : std::optional<T>(key_of(r % (2 * nr)));
      a[i] = static_cast<std::int64_t>(i);
    }
    const table l = table::from_columns({{"k", kt::build(lk)}, {"a", kt::build(a)}}).value();
    const table r = table::from_columns({{"k", kt::build(rk)}, {"b", kt::build(b)}}).value();
    std::map<T, std::vector<std::size_t>> by_key; // right rows of each key, in order
    for (std::size_t j = 0; j < nr; ++j)
      if (rk[j]) by_key[*rk[j]].push_back(j);
    const std::vector<std::string> keys = {"k"};
    for (auto kind : {join_kind::inner, join_kind::left, join_kind::right, join_kind::full,
                      join_kind::semi, join_kind::anti}) {
      CAPTURE(static_cast<int>(kind));
      // reference (a, b) pairs; -1 for a missing side
      std::vector<std::pair<std::int64_t, std::int64_t>> want;
      std::vector<bool> matched(nr);
      for (std::size_t i = 0; i < nl; ++i) {
        const std::vector<std::size_t>* m = nullptr;
        if (lk[i]) {
          const auto it = by_key.find(*lk[i]);
          if (it != by_key.end()) m = &it->second;
        }
        const bool any = m != nullptr;
        if (kind == join_kind::semi || kind == join_kind::anti) {
          if (any == (kind == join_kind::semi)) want.emplace_back(i, -1);
          continue;
        }
        if (m)
          for (const std::size_t j : *m) {
            want.emplace_back(i, static_cast<std::int64_t>(j));
            matched[j] = true;
          }
        if (!any && (kind == join_kind::left || kind == join_kind::full)) want.emplace_back(i, -1);
      }
      if (kind == join_kind::right || kind == join_kind::full)
        for (std::size_t j = 0; j < nr; ++j)
          if (!matched[j]) want.emplace_back(-1, static_cast<std::int64_t>(j));
      const table j = join(l, r, keys, kind);
      REQUIRE(j.num_rows() == want.size());
      const column& ja = j.at("a");
      const bool semi_anti = kind == join_kind::semi || kind == join_kind::anti;
      const column& jb = semi_anti ? ja : j.at("b");
      std::size_t bad = 0;
      for (std::size_t x = 0; x < want.size(); ++x) {
        const std::int64_t got_a = ja.is_valid(x) ? ja.value<std::int64_t>(x) : -1;
        const std::int64_t got_b = jb.is_valid(x) ? jb.value<std::int64_t>(x) : -1;
        if (got_a != want[x].first || (!semi_anti && got_b != want[x].second)) ++bad;
      }
      CHECK(bad == 0);
    }
  }
}

TEST_CASE("sort and argsort are stable with per-key direction and null placement") {
  for (std::size_t n : {0u, 1u, 2u, 65u, 300u}) {
    const table t = random_table(n, n + 3);
    for (bool asc : {true, false}) {
      for (bool nf : {true, false}) {
        const std::vector<sort_key> keys = {{"k", asc, nf}, {"d", !asc, !nf}, {"s", asc, nf}};
        const auto idx = try_argsort(t, keys).value();
        // reference: std::stable_sort with an independent comparator
        std::vector<std::size_t> want(n);
        for (std::size_t i = 0; i < n; ++i) want[i] = i;
        const auto cmp_key = [&](const sort_key& k, std::size_t i, std::size_t j) -> int {
          const column& c = t.at(k.column);
          const bool vi = c.is_valid(i), vj = c.is_valid(j);
          if (!vi || !vj) return vi == vj ? 0 : ((vi ? 1 : -1) * (k.nulls_first ? 1 : -1));
          int r = 0;
          if (k.column == "k") {
            r = (c.value<std::int32_t>(i) > c.value<std::int32_t>(j)) -
                (c.value<std::int32_t>(i) < c.value<std::int32_t>(j));
          } else if (k.column == "d") {
            const double a = c.value<double>(i), b = c.value<double>(j);
            const int ra = std::isnan(a) ? 1 : 0, rb = std::isnan(b) ? 1 : 0;
            r = ra != rb ? ra - rb : (a > b) - (a < b);
          } else {
            r = c.string_at(i).compare(c.string_at(j));
            r = (r > 0) - (r < 0);
          }
          return k.ascending ? r : -r;
        };
        std::stable_sort(want.begin(), want.end(), [&](std::size_t i, std::size_t j) {
          for (const auto& k : keys)
            if (const int r = cmp_key(k, i, j); r != 0) return r < 0;
          return false;
        });
        CHECK(idx == want);
      }
    }
    // single key fast path
    const column v = t.at("d");
    std::vector<double> vals;
    for (std::size_t i = 0; i < n; ++i) vals.push_back(v.is_valid(i) ? v.value<double>(i) : 1.5);
    const column dense = make_column(std::span<const double>(vals));
    for (bool asc : {true, false}) {
      const auto idx = argsort(dense, asc);
      for (std::size_t i = 1; i < idx.size(); ++i) {
        const double a = vals[idx[i - 1]], b = vals[idx[i]];
        const int c = detail::order_values(a, b);
        CHECK((asc ? c <= 0 : c >= 0));
        if (c == 0) CHECK(idx[i - 1] < idx[i]); // stable
      }
    }
  }
  const std::vector<sort_key> by_s = {{"s", true, false}};
  const table sorted = sort(random_table(50, 9), by_s);
  CHECK(sorted.num_rows() == 50);
  CHECK(sorted.at("s").is_null(49));
}

TEST_CASE("distinct, union, intersect, except in ALL and DISTINCT forms") {
  for (std::size_t na : {0u, 1u, 60u}) {
    for (std::size_t nb : {0u, 2u, 45u}) {
      // Small domains so rows repeat within and across the tables.
      const auto small = [](std::size_t n, std::uint64_t seed) {
        const table t = random_table(n, seed);
        return table::from_columns({{"k", t.at("k")}, {"d", t.at("d")}}).value();
      };
      const table a = small(na, na + 11), b = small(nb, nb + 13);
      const auto ra = rows(a), rb = rows(b);
      std::map<std::vector<std::string>, long> ca, cb;
      for (auto& x : ra) ++ca[x];
      for (auto& x : rb) ++cb[x];
      const auto dedup = [](const std::vector<std::vector<std::string>>& in) {
        std::vector<std::vector<std::string>> out;
        for (const auto& x : in)
          if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
        return out;
      };
      CHECK(rows(distinct(a)) == dedup(ra));
      // one fixed-width key column (with nulls, NaN, -0.0): the typed grouping
      for (const char* name : {"k", "d"}) {
        const table one = table::from_columns({{name, a.at(name)}}).value();
        CHECK(rows(distinct(one)) == dedup(rows(one)));
      }
      auto uall = ra;
      uall.insert(uall.end(), rb.begin(), rb.end());
      CHECK(rows(set_operation(a, b, set_op::union_, set_quantifier::all)) == uall);
      CHECK(rows(set_operation(a, b, set_op::union_, set_quantifier::distinct)) == dedup(uall));
      std::vector<std::vector<std::string>> iall, idis, eall, edis;
      std::map<std::vector<std::string>, long> seen;
      for (const auto& x : ra) {
        const long k = seen[x]++;
        if (k < std::min(ca[x], cb[x])) iall.push_back(x);
        if (k < ca[x] - cb[x]) eall.push_back(x);
        if (k == 0 && cb[x] > 0) idis.push_back(x);
        if (k == 0 && cb[x] == 0) edis.push_back(x);
      }
      CHECK(rows(set_operation(a, b, set_op::intersect, set_quantifier::all)) == iall);
      CHECK(rows(set_operation(a, b, set_op::intersect, set_quantifier::distinct)) == idis);
      CHECK(rows(set_operation(a, b, set_op::except, set_quantifier::all)) == eall);
      CHECK(rows(set_operation(a, b, set_op::except, set_quantifier::distinct)) == edis);
    }
  }
  const table a = table::from_columns({{"k", make_column<int>({1})}}).value();
  const table b = table::from_columns({{"k", make_column<std::int64_t>({1})}}).value();
  CHECK_FALSE(try_set_operation(a, b, set_op::union_, set_quantifier::all));
}

TEST_CASE("concatenate columns of every encoding") {
  const column a = make_string_column({"a", std::nullopt}, type_id::dictionary);
  const column b = make_string_column({"b", "a"}, type_id::dictionary);
  const column parts[] = {a, b.slice(1, 1)};
  CHECK(
      concatenate(parts).equals(make_string_column({"a", std::nullopt, "a"}, type_id::dictionary)));
  const column nums[] = {make_column<int>({1, std::nullopt}), make_column<int>({3}).slice(0, 1)};
  CHECK(concatenate(nums).equals(make_column<int>({1, std::nullopt, 3})));
  const column bools[] = {make_column<bool>({true}), make_column<bool>({false, true})};
  CHECK(concatenate(bools).equals(make_column<bool>({true, false, true})));
  const column mixed[] = {make_column<int>({1}), make_column<float>({1.0f})};
  CHECK_FALSE(try_concatenate(mixed));
}
