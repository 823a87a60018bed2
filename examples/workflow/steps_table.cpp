// Steps on tables, with the column kernels: filter, select, join, group_by, sort, top.
#include "step.hpp"

#include <tessera/column/expression.hpp>
#include <tessera/column/group_by.hpp>
#include <tessera/column/join.hpp>
#include <tessera/column/sort.hpp>
#include <tessera/column/take.hpp>

#include <charconv>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

namespace tessera_workflow {
namespace {

using tessera::exec::node_context;
using inputs_t = std::span<const value* const>;

/// Sort keys written as "column", "column asc" or "column desc".
std::vector<tessera::sort_key> sort_keys(const params& p, const std::string& key) {
  std::vector<tessera::sort_key> keys;
  for (const auto& s : p.strings(key)) {
    tessera::sort_key k;
    const auto space = s.find(' ');
    k.column = s.substr(0, space);
    if (space != std::string::npos) {
      const auto dir = s.substr(s.find_first_not_of(' ', space));
      if (dir == "desc" || dir == "descending")
        k.ascending = false;
      else if (dir != "asc" && dir != "ascending")
        p.fail(key, "`" + key +
                        "`: write a key as \"column\", \"column asc\" or \"column desc\", "
                        "not '" +
                        s + "'");
    }
    keys.push_back(std::move(k));
  }
  return keys;
}

step_type filter_step() {
  step_type s;
  s.name = "filter";
  s.summary = "the rows of a table where an expression holds";
  s.param_help = {"where: the expression (required), e.g. \"level <= 2 and rank > 0.001\" "
                  "(= != < <= > >=, and, or, not, parentheses, 'strings', null)"};
  s.input_kind = value_kind::table;
  s.min_inputs = s.max_inputs = 1;
  s.output = value_kind::table;
  s.make = [](const params& p) -> step_body {
    const std::string where = p.required_string("where");
    if (auto e = tessera::filter_expression::parse(where); !e)
      p.fail("where", "`where`: " + e.error().to_string());
    return [where](node_context& ctx, inputs_t in) {
      check_stop(ctx);
      return value::of(tessera::where(in[0]->table, where));
    };
  };
  return s;
}

step_type select_step() {
  step_type s;
  s.name = "select";
  s.summary = "some columns of a table, in a given order, optionally renamed";
  s.param_help = {"columns: the columns to keep, in order (default: all)",
                  "rename: a map of old names to new ones"};
  s.input_kind = value_kind::table;
  s.min_inputs = s.max_inputs = 1;
  s.output = value_kind::table;
  s.make = [](const params& p) -> step_body {
    const auto columns = p.strings("columns");
    const auto rename = p.string_map("rename");
    return [columns, rename](node_context&, inputs_t in) {
      tessera::table t = in[0]->table;
      if (!columns.empty()) t = t.select(columns).value();
      if (rename.empty()) return value::of(std::move(t));
      std::vector<tessera::field> fields(t.schema().fields().begin(), t.schema().fields().end());
      for (const auto& [from, to] : rename) {
        const auto i = t.schema().index_of(from);
        if (!i) static_cast<void>(t.column_by_name(from).value()); // throws, naming the columns
        fields[*i].name = to;
      }
      std::vector<tessera::column> cols(t.columns().begin(), t.columns().end());
      return value::of(
          tessera::table::make(tessera::schema(std::move(fields)), std::move(cols)).value());
    };
  };
  return s;
}

step_type join_step() {
  step_type s;
  s.name = "join";
  s.summary = "joins tables on key columns of the same name (a hash join; several inputs are "
              "joined left to right)";
  s.param_help = {"on: the key column or columns (required)",
                  "kind: inner (default), left, right, full, semi or anti"};
  s.input_kind = value_kind::table;
  s.min_inputs = 2;
  s.max_inputs = 4;
  s.output = value_kind::table;
  s.make = [](const params& p) -> step_body {
    const auto on = p.strings("on");
    if (on.empty()) p.fail("on", "the param `on` (the key columns) is required");
    const auto kind_name =
        p.choice("kind", {"inner", "left", "right", "full", "semi", "anti"}).value_or("inner");
    using jk = tessera::join_kind;
    const jk kind = kind_name == "left"    ? jk::left
                    : kind_name == "right" ? jk::right
                    : kind_name == "full"  ? jk::full
                    : kind_name == "semi"  ? jk::semi
                    : kind_name == "anti"  ? jk::anti
                                           : jk::inner;
    return [on, kind](node_context& ctx, inputs_t in) {
      tessera::table t = in[0]->table;
      for (std::size_t k = 1; k < in.size(); ++k) {
        check_stop(ctx);
        auto r = tessera::try_join(t, in[k]->table, on, kind);
        if (!r) tessera::throw_error(std::move(r).error());
        t = std::move(*r);
      }
      return value::of(std::move(t));
    };
  };
  return s;
}

step_type group_by_step() {
  step_type s;
  s.name = "group_by";
  s.summary = "groups rows by key columns and aggregates each group (groups in order of their "
              "first row)";
  s.param_help = {"by: the key column or columns (required)",
                  "aggregate: a map of result names to count, count(col), sum(col), min(col), "
                  "max(col) or mean(col)"};
  s.input_kind = value_kind::table;
  s.min_inputs = s.max_inputs = 1;
  s.output = value_kind::table;
  s.make = [](const params& p) -> step_body {
    const auto by = p.strings("by");
    if (by.empty()) p.fail("by", "the param `by` (the key columns) is required");
    std::vector<tessera::aggregate> aggs;
    for (const auto& [name, spec] : p.string_map("aggregate")) {
      tessera::aggregate a;
      a.as = name;
      const auto open = spec.find('(');
      const std::string fn = spec.substr(0, open);
      if (open != std::string::npos) {
        if (spec.back() != ')' || spec.size() < open + 3)
          p.fail("aggregate", "aggregate '" + name + "': write fn(column), not '" + spec + "'");
        a.column = spec.substr(open + 1, spec.size() - open - 2);
      }
      if (fn == "count")
        a.kind = tessera::aggregate_kind::count;
      else if (fn == "sum")
        a.kind = tessera::aggregate_kind::sum;
      else if (fn == "min")
        a.kind = tessera::aggregate_kind::min;
      else if (fn == "max")
        a.kind = tessera::aggregate_kind::max;
      else if (fn == "mean")
        a.kind = tessera::aggregate_kind::mean;
      else
        p.fail("aggregate", "aggregate '" + name + "': unknown function '" + fn +
                                "' (count, sum, min, max, mean)");
      if (a.kind != tessera::aggregate_kind::count && a.column.empty())
        p.fail("aggregate", "aggregate '" + name + "': " + fn + " needs a column: " + fn + "(col)");
      aggs.push_back(std::move(a));
    }
    return [by, aggs](node_context& ctx, inputs_t in) {
      check_stop(ctx);
      auto r = tessera::try_group_by(in[0]->table, by, aggs);
      if (!r) tessera::throw_error(std::move(r).error());
      return value::of(std::move(*r));
    };
  };
  return s;
}

step_type sort_step() {
  step_type s;
  s.name = "sort";
  s.summary = "sorts a table (stable; nulls last)";
  s.param_help = {"by: the sort keys: \"column\", \"column asc\" or \"column desc\" (required)",
                  "limit: keep only the first rows"};
  s.input_kind = value_kind::table;
  s.min_inputs = s.max_inputs = 1;
  s.output = value_kind::table;
  s.make = [](const params& p) -> step_body {
    const auto keys = sort_keys(p, "by");
    if (keys.empty()) p.fail("by", "the param `by` (the sort keys) is required");
    const auto limit = p.integer("limit", 0, INT64_MAX);
    return [keys, limit](node_context& ctx, inputs_t in) {
      check_stop(ctx);
      auto t = tessera::sort(in[0]->table, keys);
      if (limit && static_cast<std::size_t>(*limit) < t.num_rows())
        t = t.slice(0, static_cast<std::size_t>(*limit));
      return value::of(std::move(t));
    };
  };
  return s;
}

/// A cell as text for grouping (nulls distinct from every value).
void append_cell(std::string& out, const tessera::column& c, std::size_t i) {
  if (c.is_null(i)) {
    out += "\x01N";
    return;
  }
  tessera::visit_physical(c.id(), [&]<class T>(std::type_identity<T>) {
    if constexpr (std::is_same_v<T, std::string_view>) {
      out += c.string_at(i);
    } else if constexpr (std::is_same_v<T, bool>) {
      out += c.value<bool>(i) ? '1' : '0';
    } else if constexpr (std::is_floating_point_v<T>) {
      char buf[32];
      out.append(buf, static_cast<std::size_t>(std::snprintf(buf, sizeof buf, "%.17g",
                                                             static_cast<double>(c.value<T>(i)))));
    } else {
      out += std::to_string(c.value<T>(i));
    }
  });
  out += '\x1f';
}

step_type top_step() {
  step_type s;
  s.name = "top";
  s.summary = "the first k rows by some order, overall or per group (in that order)";
  s.param_help = {"by: the sort keys, as for sort (required)",
                  "k: rows to keep (per group with `per`; default 10)",
                  "per: group key column or columns: keep the top k rows of each group"};
  s.input_kind = value_kind::table;
  s.min_inputs = s.max_inputs = 1;
  s.output = value_kind::table;
  s.make = [](const params& p) -> step_body {
    const auto keys = sort_keys(p, "by");
    if (keys.empty()) p.fail("by", "the param `by` (the sort keys) is required");
    const auto k = static_cast<std::size_t>(p.integer("k", 0, INT64_MAX).value_or(10));
    const auto per = p.strings("per");
    return [keys, k, per](node_context& ctx, inputs_t in) {
      check_stop(ctx);
      const auto& t = in[0]->table;
      std::vector<const tessera::column*> groups;
      for (const auto& g : per) groups.push_back(&t.at(g));
      auto order = tessera::try_argsort(t, keys);
      if (!order) tessera::throw_error(std::move(order).error());
      std::vector<std::size_t> keep;
      if (groups.empty()) {
        keep.assign(order->begin(),
                    order->begin() + static_cast<std::ptrdiff_t>(std::min(k, order->size())));
      } else {
        std::unordered_map<std::string, std::size_t> taken;
        std::string key;
        for (const auto row : *order) {
          key.clear();
          for (const auto* c : groups) append_cell(key, *c, row);
          if (taken[key]++ < k) keep.push_back(row);
        }
      }
      return value::of(tessera::take(t, std::span<const std::size_t>(keep)));
    };
  };
  return s;
}

} // namespace

void add_table_steps(step_table& t) {
  for (auto s :
       {filter_step(), select_step(), join_step(), group_by_step(), sort_step(), top_step()})
    t.emplace(s.name, std::move(s));
}

} // namespace tessera_workflow
