// `tessera convert IN OUT` (CSV <-> .tsr by extension), `tessera cat FILE.tsr` (CSV to stdout
// with projection, predicate and limit), and the .tsr part of `tessera meta` (tsr_meta_json,
// called by meta.cpp).
#include "command.hpp"

#include <tessera/io/csv.hpp>
#include <tessera/io/tsr.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace tessera_cli {

using ordered_json = nlohmann::ordered_json;

namespace {

ordered_json scalar_json(const tessera::scalar& s) {
  const auto& v = s.get();
  switch (v.index()) {
  case 1:
    return std::get<1>(v);
  case 2:
    return std::get<2>(v);
  case 3:
    return std::get<3>(v);
  case 4: {
    const double d = std::get<4>(v);
    if (std::isfinite(d)) return d;
    return std::isnan(d) ? "NaN" : d > 0 ? "inf" : "-inf";
  }
  case 5:
    return std::get<5>(v);
  default:
    return nullptr;
  }
}

ordered_json kv_json(const tessera::key_value_metadata& kv) {
  ordered_json j = ordered_json::object();
  for (const auto& [k, v] : kv) j[k] = v;
  return j;
}

} // namespace

/// The metadata of a .tsr file as JSON: schema, row groups, per chunk the encoding, streams,
/// sizes and statistics. Throws tessera::exception on a bad file.
ordered_json tsr_meta_json(const std::string& path) {
  auto r = tessera::tsr::reader::open(path);
  if (!r) tessera::throw_error(std::move(r.error()));
  const auto& m = r->metadata();
  ordered_json j;
  j["format"] = "tsr";
  j["version"] = std::to_string(m.version_major) + "." + std::to_string(m.version_minor);
  j["file_size"] = m.file_size;
  j["footer_offset"] = m.footer_offset;
  j["footer_size"] = m.footer_size;
  j["num_rows"] = m.num_rows;
  ordered_json fields = ordered_json::array();
  for (const auto& f : m.schema.fields()) {
    ordered_json jf;
    jf["name"] = f.name;
    jf["type"] = tessera::to_string(f.type);
    jf["nullable"] = f.nullable;
    if (!f.metadata.empty()) jf["metadata"] = kv_json(f.metadata);
    fields.push_back(std::move(jf));
  }
  j["schema"] = {{"fields", std::move(fields)}, {"metadata", kv_json(m.schema.metadata())}};
  ordered_json groups = ordered_json::array();
  for (const auto& rg : m.row_groups) {
    ordered_json jg;
    jg["num_rows"] = rg.num_rows;
    jg["first_row"] = rg.first_row;
    ordered_json cols = ordered_json::array();
    for (std::size_t c = 0; c < rg.columns.size(); ++c) {
      const auto& ch = rg.columns[c];
      ordered_json jc;
      jc["column"] = m.schema[c].name;
      jc["encoding"] = std::string(tessera::tsr::to_string(ch.encoding));
      jc["stored_bytes"] = ch.stored_bytes();
      if (ch.data_bytes != 0) jc["string_bytes"] = ch.data_bytes;
      jc["statistics"] = {{"null_count", ch.stats.null_count},
                          {"nan_count", ch.stats.nan_count},
                          {"distinct_estimate", ch.stats.distinct_estimate},
                          {"min", scalar_json(ch.stats.min)},
                          {"max", scalar_json(ch.stats.max)}};
      ordered_json streams = ordered_json::array();
      for (const auto& s : ch.streams) {
        ordered_json js;
        js["role"] = std::string(tessera::tsr::to_string(s.role));
        js["encoding"] = std::string(tessera::tsr::to_string(s.encoding));
        js["compression"] = std::string(tessera::tsr::to_string(s.codec));
        if (s.codec == tessera::tsr::compression::zstd) js["level"] = s.level;
        js["count"] = s.count;
        js["offset"] = s.offset;
        js["stored_size"] = s.stored_size;
        js["decoded_size"] = s.decoded_size;
        char sum[17];
        std::snprintf(sum, sizeof sum, "%016llx", static_cast<unsigned long long>(s.checksum));
        js["xxh3"] = sum;
        streams.push_back(std::move(js));
      }
      jc["streams"] = std::move(streams);
      cols.push_back(std::move(jc));
    }
    jg["columns"] = std::move(cols);
    groups.push_back(std::move(jg));
  }
  j["row_groups"] = std::move(groups);
  return j;
}

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}
bool has_ext(const std::string& path, std::initializer_list<const char*> exts) {
  const std::string l = lower(path);
  for (const char* e : exts) {
    const std::string x(e);
    if (l.size() >= x.size() && l.compare(l.size() - x.size(), x.size(), x) == 0) return true;
  }
  return false;
}
bool is_tsr(const std::string& p) {
  return has_ext(p, {".tsr"});
}
bool is_csv(const std::string& p) {
  return has_ext(p, {".csv", ".tsv", ".txt", ".psv"});
}

char one_char(const std::string& flag, const std::string& v) {
  if (v == "\\t" || v == "tab" || v == "TAB") return '\t';
  if (v == "none") return '\0';
  if (v.size() != 1)
    throw std::invalid_argument(flag + ": expects one character (or tab, none), got '" + v + "'");
  return v[0];
}

struct convert_args {
  std::string in, out;
  std::string delimiter, quote;
  std::optional<std::size_t> header_lines;
  std::vector<std::string> nulls;
  bool no_infer = false;
  std::string compression = "zstd";
  int level = 1;
  std::size_t row_group_rows = tessera::tsr::write_options{}.row_group_rows;
  std::string where;
  std::string columns;
};

std::vector<std::string> split_columns(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, ','))
    if (!part.empty()) out.push_back(part);
  return out;
}

tessera::tsr::read_options tsr_read_options(const std::string& columns, const std::string& where,
                                            std::optional<std::uint64_t> limit) {
  tessera::tsr::read_options ro;
  ro.columns = split_columns(columns);
  if (!where.empty()) {
    auto w = tessera::tsr::parse_where(where);
    if (!w) tessera::throw_error(std::move(w.error()));
    ro.where = std::move(*w);
  }
  if (limit) ro.limit = *limit;
  return ro;
}

int run_convert(const convert_args& a) {
  if (!(is_tsr(a.in) || is_csv(a.in)) || !(is_tsr(a.out) || is_csv(a.out)) ||
      (is_csv(a.in) && is_csv(a.out))) {
    std::cerr << "tessera: convert: converts CSV (.csv .tsv .txt .psv) <-> .tsr (or .tsr -> "
                 ".tsr), chosen by extension\n";
    return exit_usage;
  }
  tessera::csv::read_options co;
  tessera::csv::write_options cw;
  try {
    if (!a.delimiter.empty()) co.delimiter = cw.delimiter = one_char("--delimiter", a.delimiter);
    if (!a.quote.empty()) co.quote = cw.quote = one_char("--quote", a.quote);
  } catch (const std::invalid_argument& e) {
    std::cerr << "tessera: convert: " << e.what() << '\n';
    return exit_usage;
  }
  if (has_ext(a.out, {".tsv"}) && a.delimiter.empty()) cw.delimiter = '\t';
  co.header_lines = a.header_lines;
  if (!a.nulls.empty()) co.null_values = a.nulls;
  co.infer_types = !a.no_infer;

  tessera::table t;
  if (is_csv(a.in)) {
    auto r = tessera::csv::try_read(a.in, co);
    if (!r) tessera::throw_error(std::move(r.error()));
    t = std::move(r->table);
  } else {
    t = tessera::tsr::read_table(a.in, tsr_read_options(a.columns, a.where, std::nullopt));
  }
  if (is_tsr(a.out)) {
    tessera::tsr::write_options wo;
    wo.codec =
        a.compression == "none" ? tessera::tsr::compression::none : tessera::tsr::compression::zstd;
    wo.level = a.level;
    wo.row_group_rows = a.row_group_rows;
    tessera::tsr::write_table(a.out, t, wo);
  } else {
    if (!a.nulls.empty()) cw.null_token = a.nulls.front();
    if (auto ok = tessera::csv::try_write(t, a.out, cw); !ok)
      tessera::throw_error(std::move(ok.error()));
  }
  return exit_ok;
}

struct cat_args {
  std::string file, columns, where;
  std::optional<std::uint64_t> limit;
  std::string delimiter;
  bool no_header = false;
};

int run_cat(const cat_args& a) {
  if (!is_tsr(a.file)) {
    std::cerr << "tessera: cat: expects a .tsr file\n";
    return exit_usage;
  }
  const auto t = tessera::tsr::read_table(a.file, tsr_read_options(a.columns, a.where, a.limit));
  tessera::csv::write_options cw;
  cw.line_end = "\n";
  cw.header = !a.no_header;
  if (!a.delimiter.empty()) cw.delimiter = one_char("--delimiter", a.delimiter);
  // Write in slices so the text never holds the whole table twice.
  constexpr std::size_t slice = 65536;
  for (std::size_t first = 0; first < t.num_rows() || first == 0; first += slice) {
    std::string out;
    tessera::csv::write(t.slice(first, std::min(slice, t.num_rows() - first)), out, cw);
    std::cout << out;
    cw.header = false;
    if (t.num_rows() == 0) break;
  }
  std::cout.flush();
  return std::cout ? exit_ok : exit_failure;
}

void add_tsr_commands(command_table& table, const global_options& /*options*/) {
  auto c = std::make_shared<convert_args>();
  CLI::App* conv =
      table.add("convert", "Convert between CSV and tessera's .tsr format (by extension)",
                [c] { return run_convert(*c); });
  conv->add_option("input", c->in, "Input file (.csv .tsv .txt .psv or .tsr)")->required();
  conv->add_option("output", c->out, "Output file (.tsr, or CSV)")->required();
  conv->add_option("--delimiter", c->delimiter, "CSV delimiter (default: sniffed / ',')");
  conv->add_option("--quote", c->quote, "CSV quote character (default: sniffed / '\"')");
  conv->add_option("--header-lines", c->header_lines, "CSV header records (default: sniffed)");
  conv->add_option("--null", c->nulls, "CSV token read as null (repeatable; the first is written)");
  conv->add_flag("--no-infer", c->no_infer, "Read every CSV column as text");
  conv->add_option("--compression", c->compression, "zstd (default) or none")
      ->check(CLI::IsMember({"zstd", "none"}));
  conv->add_option("--level", c->level, "zstd level (default 1)");
  conv->add_option("--row-group-rows", c->row_group_rows, "Rows per row group (default 131072)");
  conv->add_option("--columns", c->columns, "From .tsr: only these columns (a,b,c)");
  conv->add_option("--where", c->where, "From .tsr: only rows matching (a > 5 and b = 'x')");

  auto k = std::make_shared<cat_args>();
  CLI::App* cat = table.add("cat", "Print a .tsr file as CSV (projection, predicate, limit)",
                            [k] { return run_cat(*k); });
  cat->add_option("file", k->file, "The .tsr file")->required();
  cat->add_option("--columns", k->columns, "Only these columns, in this order (a,b,c)");
  cat->add_option("--where", k->where,
                  "Only rows matching a conjunction: a > 5 and s = 'x' (= != < <= > >=)");
  cat->add_option("--limit", k->limit, "At most this many rows");
  cat->add_option("--delimiter", k->delimiter, "Output delimiter (default ',')");
  cat->add_flag("--no-header", k->no_header, "Omit the header line");
}

const register_commands registered(&add_tsr_commands);

} // namespace
} // namespace tessera_cli
