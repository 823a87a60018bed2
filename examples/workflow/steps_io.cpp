// Steps that read and write files and print tables: read_csv, read_tsr, write_csv, write_tsr,
// print.
#include "step.hpp"

#include <tessera/io/csv.hpp>
#include <tessera/io/tsr.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace tessera_workflow {

extern const std::vector<std::string> csv_dialect_help;
const std::vector<std::string> csv_dialect_help = {
    "delimiter: field separator, one character or tab/space (default: sniffed)",
    "quote: quote character, or none (default: sniffed)",
    "escape: escape character inside quotes (default: the quote doubled)",
    "comment: skip records starting with this character",
    "header: true or false: whether the first record names the columns (default: sniffed); "
    "without one columns are column_1, column_2, ...",
    "skip_lines: records to skip before the header (default 0)",
    "null: a token read as null, or a list of them (default: the empty field)",
    "trim: true: drop spaces around fields",
    "permissive: true: skip bad records (and say so) instead of failing",
    "text: true: read every column as text (no type inference)",
};

/// The CSV dialect params of read_csv (and of other steps that read CSV).
tessera::csv::read_options csv_dialect(const params& p) {
  tessera::csv::read_options o;
  o.delimiter = p.character("delimiter");
  o.quote = p.character("quote");
  o.escape = p.character("escape");
  if (auto c = p.character("comment")) o.comment = *c;
  if (auto h = p.boolean("header")) o.header_lines = *h ? 1 : 0;
  if (auto s = p.integer("skip_lines", 0, 1'000'000))
    o.preamble_lines = static_cast<std::size_t>(*s);
  if (p.has("null")) o.null_values = p.strings("null");
  o.trim = p.boolean("trim").value_or(false);
  if (p.boolean("permissive").value_or(false)) o.errors = tessera::csv::error_mode::permissive;
  o.infer_types = !p.boolean("text").value_or(false);
  return o;
}

namespace {
namespace fs = std::filesystem;
using tessera::exec::node_context;
using tessera::exec::pool_kind;
using inputs_t = std::span<const value* const>;

/// Refuses to replace an existing file unless allowed; creates the parent directories.
void prepare_output(const fs::path& path, bool overwrite) {
  std::error_code ec;
  if (!overwrite && fs::exists(path, ec)) {
    tessera::location where;
    where.file = path.string();
    tessera::throw_error(tessera::error(
        tessera::errc::io_error,
        "the output file exists already (set `overwrite: true` to replace it)", where));
  }
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
}

step_type read_csv_step() {
  step_type s;
  s.name = "read_csv";
  s.summary = "reads a CSV file into a table (types inferred per column)";
  s.param_help = {"path: the CSV file (required)"};
  s.param_help.insert(s.param_help.end(), csv_dialect_help.begin(), csv_dialect_help.end());
  s.output = value_kind::table;
  s.pool = pool_kind::io;
  s.make = [](const params& p) -> step_body {
    const std::string path = p.required_string("path");
    auto options = csv_dialect(p);
    return [path, options](node_context& ctx, inputs_t) {
      check_stop(ctx);
      auto r = tessera::csv::try_read(path, options);
      if (!r) tessera::throw_error(std::move(r).error());
      if (r->skipped_records != 0 && !r->diagnostics.empty()) {
        const auto& d = r->diagnostics.front();
        print_output("warning: " + path + ": skipped " + std::to_string(r->skipped_records) +
                     " bad record(s), the first at line " + std::to_string(d.line) + ": " +
                     d.message + "\n");
      }
      return value::of(std::move(r->table));
    };
  };
  return s;
}

step_type read_tsr_step() {
  step_type s;
  s.name = "read_tsr";
  s.summary = "reads a .tsr file (tessera's columnar format) into a table";
  s.param_help = {"path: the .tsr file (required)",
                  "columns: only these columns (a list), in this order",
                  "where: only rows matching a conjunction such as \"a > 5 and b = 'x'\""};
  s.output = value_kind::table;
  s.pool = pool_kind::io;
  s.make = [](const params& p) -> step_body {
    const std::string path = p.required_string("path");
    tessera::tsr::read_options ro;
    ro.columns = p.strings("columns");
    if (auto w = p.string("where")) {
      auto parsed = tessera::tsr::parse_where(*w);
      if (!parsed) p.fail("where", "`where`: " + parsed.error().to_string());
      ro.where = std::move(*parsed);
    }
    return [path, ro](node_context& ctx, inputs_t) {
      check_stop(ctx);
      return value::of(tessera::tsr::read_table(path, ro));
    };
  };
  return s;
}

step_type write_csv_step() {
  step_type s;
  s.name = "write_csv";
  s.summary = "writes a table as CSV (RFC 4180; written to a temporary name, then renamed)";
  s.param_help = {"path: the output file (required); its directory is created",
                  "delimiter: field separator (default ,)", "header: false: no header line",
                  "null: how nulls are written (default: empty)",
                  "overwrite: true: replace an existing file (default: an existing file is an "
                  "error)"};
  s.input_kind = value_kind::table;
  s.min_inputs = s.max_inputs = 1;
  s.pool = pool_kind::io;
  s.make = [](const params& p) -> step_body {
    const std::string path = p.required_string("path");
    tessera::csv::write_options wo;
    if (auto d = p.character("delimiter")) wo.delimiter = *d;
    if (auto h = p.boolean("header")) wo.header = *h;
    if (auto n = p.string("null")) wo.null_token = *n;
    wo.line_end = "\n";
    const bool overwrite = p.boolean("overwrite").value_or(false);
    return [path, wo, overwrite](node_context& ctx, inputs_t in) {
      check_stop(ctx);
      prepare_output(path, overwrite);
      if (auto ok = tessera::csv::try_write(in[0]->table, path, wo); !ok)
        tessera::throw_error(std::move(ok.error()));
      return value{};
    };
  };
  return s;
}

step_type write_tsr_step() {
  step_type s;
  s.name = "write_tsr";
  s.summary = "writes a table as a .tsr file (zstd-compressed columns, statistics; written to a "
              "temporary name, then renamed)";
  s.param_help = {"path: the output file (required); its directory is created",
                  "compression: zstd (default) or none", "level: zstd level (default 1)",
                  "overwrite: true: replace an existing file (default: an existing file is an "
                  "error)"};
  s.input_kind = value_kind::table;
  s.min_inputs = s.max_inputs = 1;
  s.pool = pool_kind::io;
  s.make = [](const params& p) -> step_body {
    const std::string path = p.required_string("path");
    tessera::tsr::write_options wo;
    if (p.choice("compression", {"zstd", "none"}).value_or("zstd") == "none")
      wo.codec = tessera::tsr::compression::none;
    if (auto l = p.integer("level", -7, 22)) wo.level = static_cast<int>(*l);
    const bool overwrite = p.boolean("overwrite").value_or(false);
    return [path, wo, overwrite](node_context& ctx, inputs_t in) {
      check_stop(ctx);
      prepare_output(path, overwrite);
      tessera::tsr::write_table(path, in[0]->table, wo);
      return value{};
    };
  };
  return s;
}

/// The table as aligned text columns (at most `limit` rows), under `title`.
std::string render(const tessera::table& t, std::size_t limit, const std::string& title) {
  const std::size_t shown = std::min(limit, t.num_rows());
  tessera::csv::write_options wo;
  wo.delimiter = '\t';
  wo.line_end = "\n";
  std::string text;
  tessera::csv::write(t.slice(0, shown), text, wo);
  std::vector<std::vector<std::string>> rows;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::vector<std::string> cells;
    std::size_t c = start;
    for (;;) {
      const auto tab = text.find('\t', c);
      if (tab == std::string::npos || tab > end) {
        cells.push_back(text.substr(c, end - c));
        break;
      }
      cells.push_back(text.substr(c, tab - c));
      c = tab + 1;
    }
    rows.push_back(std::move(cells));
    start = end + 1;
  }
  std::vector<std::size_t> width;
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], r[i].size());
    }
  std::string out = title.empty() ? std::string() : title + "\n";
  for (const auto& r : rows) {
    std::string line = " ";
    for (std::size_t i = 0; i < r.size(); ++i) {
      line += ' ' + r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 1, ' ');
    }
    out += line + "\n";
  }
  if (shown < t.num_rows()) out += "  ... " + std::to_string(t.num_rows() - shown) + " more rows\n";
  return out;
}

step_type print_step() {
  step_type s;
  s.name = "print";
  s.summary = "prints the first rows of a table to stdout, aligned";
  s.param_help = {"title: a line printed above the table", "limit: rows to print (default 10)"};
  s.input_kind = value_kind::table;
  s.min_inputs = s.max_inputs = 1;
  s.make = [](const params& p) -> step_body {
    const std::string title = p.string("title", "");
    const auto limit = static_cast<std::size_t>(p.integer("limit", 0, 1'000'000).value_or(10));
    return [title, limit](node_context&, inputs_t in) {
      print_output(render(in[0]->table, limit, title));
      return value{};
    };
  };
  return s;
}

} // namespace

void add_io_steps(step_table& t) {
  for (auto s :
       {read_csv_step(), read_tsr_step(), write_csv_step(), write_tsr_step(), print_step()})
    t.emplace(s.name, std::move(s));
}

} // namespace tessera_workflow
