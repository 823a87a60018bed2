// `tessera csv IN [options]`: reads a CSV file into typed columns; prints a summary, the
// inferred schema (--schema), or writes the table (--to OUT): as RFC 4180 CSV for OUT.csv or
// .txt, in tessera's columnar format for OUT.tsr.
#include "command.hpp"

#include <tessera/io/csv.hpp>
#include <tessera/io/tsr.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace tessera_cli {
namespace {

struct csv_args {
  std::string input;
  std::string delimiter, quote, escape, comment;
  std::optional<std::size_t> header_lines;
  std::size_t preamble_lines = 0, footnote_lines = 0;
  std::vector<std::string> nulls;
  bool strict = false, permissive = false, schema = false, trim = false, no_infer = false;
  std::string ragged = "error";
  std::string encoding = "utf8";
  std::string to;
  std::size_t max_diagnostics = 20;
};

/// One character from an option value: "," "\t" "tab" "\\" "none" (no character).
char option_char(const std::string& flag, const std::string& v) {
  if (v == "\\t" || v == "tab" || v == "TAB") return '\t';
  if (v == "none" || v == "") return '\0';
  if (v == "\\\\" || v == "\\") return '\\';
  if (v == "space") return ' ';
  if (v.size() != 1)
    throw std::invalid_argument(flag + ": expects one character (or tab, space, none), got '" + v +
                                "'");
  return v[0];
}

int run_csv(const csv_args& a, const global_options& g) {
  tessera::csv::read_options o;
  try {
    if (!a.delimiter.empty()) o.delimiter = option_char("--delimiter", a.delimiter);
    if (!a.quote.empty()) o.quote = option_char("--quote", a.quote);
    if (!a.escape.empty()) o.escape = option_char("--escape", a.escape);
    if (!a.comment.empty()) o.comment = option_char("--comment", a.comment);
  } catch (const std::invalid_argument& e) {
    std::cerr << "tessera: csv: " << e.what() << '\n';
    return exit_usage;
  }
  o.header_lines = a.header_lines;
  o.preamble_lines = a.preamble_lines;
  o.footnote_lines = a.footnote_lines;
  if (!a.nulls.empty()) o.null_values = a.nulls;
  o.trim = a.trim;
  o.infer_types = !a.no_infer;
  o.errors = a.permissive ? tessera::csv::error_mode::permissive : tessera::csv::error_mode::strict;
  if (a.ragged == "pad")
    o.ragged = tessera::csv::ragged_rows::pad_with_nulls;
  else if (a.ragged == "truncate")
    o.ragged = tessera::csv::ragged_rows::truncate;
  else if (a.ragged == "pad-or-truncate")
    o.ragged = tessera::csv::ragged_rows::pad_or_truncate;
  if (a.encoding == "latin1") o.input_encoding = tessera::csv::encoding::latin1;
  std::unique_ptr<tessera::progress_bar> bar;
  if (!g.quiet && ::isatty(2)) {
    bar = std::make_unique<tessera::progress_bar>(std::cerr, "reading", true);
    o.progress = bar->as_callback();
  }
  const auto start = std::chrono::steady_clock::now();
  auto result = tessera::csv::try_read(a.input, o);
  if (bar) bar->close();
  if (!result) tessera::throw_error(std::move(result).error());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto& r = *result;
  std::size_t shown = 0;
  for (const auto& d : r.diagnostics) {
    if (shown++ == a.max_diagnostics) {
      std::cerr << "tessera: csv: " << r.diagnostics.size() - a.max_diagnostics
                << " more diagnostics not shown\n";
      break;
    }
    std::cerr << a.input << ":" << d.line << (d.column ? ":" + std::to_string(d.column) : "")
              << ": " << (d.skipped ? "skipped: " : "repaired: ") << d.message << '\n';
  }
  if (a.schema) std::cout << tessera::csv::describe(r.table.schema());
  if (!a.to.empty()) {
    const std::filesystem::path out(a.to);
    if (out.extension() == ".csv" || out.extension() == ".txt") {
      tessera::csv::write(r.table, out);
    } else if (out.extension() == ".tsr") {
      tessera::tsr::write_table(out, r.table); // to a temporary name, then renamed
    } else {
      std::cerr << "tessera: csv: cannot write '" << a.to
                << "': --to writes .csv, .txt (CSV) or .tsr (tessera's columnar format)\n";
      return exit_usage;
    }
  }
  if (!a.schema && a.to.empty()) {
    const auto& d = r.dialect;
    std::cout << a.input << ": " << r.table.num_rows() << " rows, " << r.table.num_columns()
              << " columns, delimiter '"
              << (d.delimiter == '\t' ? std::string("\\t") : std::string(1, d.delimiter)) << "', "
              << d.header_lines << " header line(s), " << r.skipped_records << " records skipped, "
              << seconds << " s\n"
              << tessera::csv::describe(r.table.schema());
  }
  return exit_ok;
}

void add_csv_commands(command_table& table, const global_options& options) {
  auto a = std::make_shared<csv_args>();
  const global_options* g = &options;
  CLI::App* sub = table.add("csv",
                            "Read a CSV file into typed columns; print its schema or "
                            "write it as CSV or .tsr",
                            [a, g] { return run_csv(*a, *g); });
  sub->add_option("input", a->input, "The CSV file")->required();
  sub->add_option("--delimiter", a->delimiter, "Field delimiter (default: sniffed; 'tab' for TAB)");
  sub->add_option("--quote", a->quote, "Quote character (default: sniffed; 'none' to disable)");
  sub->add_option("--escape", a->escape,
                  "Escape character inside quotes (default: the quote, i.e. doubled quotes)");
  sub->add_option("--comment", a->comment, "Skip records starting with this character");
  sub->add_option("--header-lines", a->header_lines, "Header records (default: sniffed, 0 or 1)");
  sub->add_option("--preamble-lines", a->preamble_lines, "Records to skip before the header");
  sub->add_option("--footnote-lines", a->footnote_lines, "Records to skip at the end");
  sub->add_option("--null", a->nulls, "A token read as null (repeatable; default: empty field)");
  auto* strict = sub->add_flag("--strict", a->strict, "The first bad record is an error (default)");
  sub->add_flag("--permissive", a->permissive, "Skip and report bad records")->excludes(strict);
  sub->add_option("--ragged", a->ragged,
                  "Rows of the wrong width: error, pad, truncate, pad-or-truncate")
      ->check(CLI::IsMember({"error", "pad", "truncate", "pad-or-truncate"}));
  sub->add_option("--encoding", a->encoding, "Input encoding: utf8 or latin1")
      ->check(CLI::IsMember({"utf8", "latin1"}));
  sub->add_flag("--trim", a->trim, "Drop spaces around fields");
  sub->add_flag("--no-infer", a->no_infer, "Read every column as text");
  sub->add_flag("--schema", a->schema, "Print the inferred schema");
  sub->add_option("--to", a->to,
                  "Write the table to OUT: .csv/.txt as RFC 4180 CSV (one header line), .tsr in "
                  "tessera's columnar format");
}

const register_commands registered(&add_csv_commands);

} // namespace
} // namespace tessera_cli
