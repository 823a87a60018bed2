// `tessera stats FILE [--where EXPR] [--columns a,b]`: per-column count, nulls, NaNs, min, max
// and mean of a CSV or .tsr file, computed with the column kernels.
#include "command.hpp"

#include <tessera/column/expression.hpp>
#include <tessera/column/reduce.hpp>
#include <tessera/column/statistics.hpp>
#include <tessera/column/table.hpp>
#include <tessera/io/csv.hpp>
#include <tessera/io/tsr.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace tessera_cli {
namespace {

struct stats_args {
  std::string input;
  std::string where;
  std::vector<std::string> columns;
};

/// A scalar for a table cell: numbers with up to 17 significant digits, strings unquoted.
std::string show(const tessera::scalar& s) {
  if (s.is_null()) return "";
  if (const auto* d = std::get_if<double>(&s.get())) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  if (const auto* str = std::get_if<std::string>(&s.get())) return *str;
  return s.to_string();
}

tessera::table read_any(const std::string& path) {
  const std::filesystem::path p(path);
  if (p.extension() == ".tsr") return tessera::tsr::read_table(p);
  auto r = tessera::csv::try_read(p);
  if (!r) tessera::throw_error(std::move(r).error());
  return std::move(r->table);
}

int run_stats(const stats_args& a) {
  tessera::table t = read_any(a.input);
  if (!a.columns.empty()) t = t.select(a.columns).value();
  if (!a.where.empty()) t = tessera::where(t, a.where);
  std::cout << "column\ttype\tcount\tnulls\tnans\tmin\tmax\tmean\n";
  for (std::size_t k = 0; k < t.num_columns(); ++k) {
    const tessera::column& c = t[k];
    const auto st = tessera::compute_statistics(c);
    std::string mean;
    if (tessera::is_numeric(c.id())) mean = show(tessera::mean(c));
    std::cout << t.schema()[k].name << '\t' << tessera::to_string(c.type()) << '\t' << st.count
              << '\t' << st.null_count << '\t' << st.nan_count << '\t' << show(st.min) << '\t'
              << show(st.max) << '\t' << mean << '\n';
  }
  return exit_ok;
}

void add_stats_commands(command_table& table, const global_options& /*options*/) {
  auto a = std::make_shared<stats_args>();
  CLI::App* sub = table.add(
      "stats", "Print per-column count, nulls, NaNs, min, max and mean of a CSV or .tsr file",
      [a] { return run_stats(*a); });
  sub->add_option("file", a->input, "A CSV file, or a .tsr file")->required();
  sub->add_option("--where", a->where,
                  "Only rows where EXPR holds, e.g. \"price > 10 AND city = 'New York'\"");
  sub->add_option("--columns", a->columns, "Only these columns (comma-separated)")->delimiter(',');
}

const register_commands registered(&add_stats_commands);

} // namespace
} // namespace tessera_cli
