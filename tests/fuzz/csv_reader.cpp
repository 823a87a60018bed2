// libFuzzer harness: the CSV reader. The first three bytes choose the options (dialect given or
// sniffed, strict or permissive, ragged policy, trimming, comments, encodings, inference); the
// rest is the text. Checked properties:
//  - the parallel split (two threads, chunks of a few bytes) gives what one thread gives: the
//    same table and diagnostics, or the same error;
//  - the one-pass read gives what the general path (one_pass = false) gives;
//  - the tokenizer's SIMD field path gives what its general loop gives;
//  - what the writer writes, the reader reads back equal (same schema, same values).
#include <tessera/io/csv.hpp>

#include "fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

tessera::csv::read_options options_from(const std::uint8_t* flags) {
  using namespace tessera::csv;
  read_options o;
  const std::uint8_t a = flags[0], b = flags[1], c = flags[2];
  static constexpr char delimiters[] = {',', ';', '\t', '|'};
  static constexpr char quotes[] = {'"', '\'', '\0'};
  if (a & 4) o.delimiter = delimiters[a & 3];
  if ((a >> 3) & 3) o.quote = quotes[((a >> 3) & 3) - 1];
  switch ((a >> 5) & 3) {
  case 1:
    o.escape = o.quote.value_or('"');
    break;
  case 2:
    o.escape = '\\';
    break;
  case 3:
    o.escape = '\0';
    break;
  default:
    break;
  }
  if (b & 3) o.header_lines = static_cast<std::size_t>((b & 3) - 1);
  o.errors = (b & 4) ? error_mode::permissive : error_mode::strict;
  o.ragged = static_cast<ragged_rows>((b >> 3) & 3);
  o.trim = (b & 32) != 0;
  o.normalize_line_breaks = (b & 64) != 0;
  o.drop_surplus_empty_fields = (b & 128) != 0;
  o.skip_blank_lines = (c & 1) == 0;
  if (c & 2) o.comment = '#';
  o.infer_types = (c & 4) == 0;
  if (c & 8) o.input_encoding = encoding::latin1;
  if (c & 16) o.inference_rows = 2;
  o.preamble_lines = (c >> 5) & 1;
  o.footnote_lines = (c >> 6) & 1;
  if (c & 128) o.null_values = {"", "NA", "null"};
  o.threads = 1;
  return o;
}

bool same_diagnostics(const tessera::csv::read_result& x, const tessera::csv::read_result& y) {
  if (x.diagnostics.size() != y.diagnostics.size() || x.skipped_records != y.skipped_records)
    return false;
  for (std::size_t i = 0; i < x.diagnostics.size(); ++i) {
    const auto &p = x.diagnostics[i], &q = y.diagnostics[i];
    if (p.line != q.line || p.column != q.column || p.byte_offset != q.byte_offset ||
        p.message != q.message || p.skipped != q.skipped)
      return false;
  }
  return true;
}

/// The tokenizer's SIMD field path gives what its general loop gives (dialect from the flags).
void check_tokenizer_paths(const std::uint8_t* flags, std::string_view text) {
  namespace tk = tessera::detail::csv;
  tk::token_dialect d;
  d.delimiter = (flags[0] & 1) ? ';' : ',';
  d.quote = (flags[0] & 2) ? '\0' : '"';
  d.escape = (flags[0] & 4) ? '\\' : (flags[0] & 8) ? '\0' : d.quote;
  d.comment = (flags[2] & 2) ? '#' : '\0';
  d.skip_blank_lines = (flags[2] & 1) == 0;
  d.repair_quotes = (flags[1] & 4) != 0;
  d.normalize_line_breaks = (flags[1] & 64) != 0;
  const std::size_t stop = (flags[1] & 1) ? text.size() / 2 : text.size();
  tk::token_chunk fast, general;
  tk::tokenizer(text.data(), text.size(), d).run(0, stop, fast);
  d.vector_fields = false;
  tk::tokenizer(text.data(), text.size(), d).run(0, stop, general);
  TESSERA_FUZZ_CHECK(fast.fields.size() == general.fields.size());
  for (std::size_t i = 0; i < fast.fields.size(); ++i) {
    const auto &f = fast.fields[i], &g = general.fields[i];
    TESSERA_FUZZ_CHECK(f.begin == g.begin && f.size == g.size && f.flags == g.flags);
  }
  TESSERA_FUZZ_CHECK(fast.records.size() == general.records.size());
  for (std::size_t i = 0; i < fast.records.size(); ++i) {
    const auto &f = fast.records[i], &g = general.records[i];
    TESSERA_FUZZ_CHECK(f.first_field == g.first_field && f.field_count == g.field_count &&
                       f.flags == g.flags && f.line == g.line && f.byte_offset == g.byte_offset);
  }
  TESSERA_FUZZ_CHECK(fast.lines == general.lines && fast.end == general.end);
  TESSERA_FUZZ_CHECK(fast.failed == general.failed);
  TESSERA_FUZZ_CHECK(fast.problem.message == general.problem.message);
  TESSERA_FUZZ_CHECK(fast.problem.byte_offset == general.problem.byte_offset);
  TESSERA_FUZZ_CHECK(fast.repairs.size() == general.repairs.size());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 3, size - 3);
  check_tokenizer_paths(data, text);
  const tessera::csv::read_options o = options_from(data);
  auto one = tessera::csv::try_parse(text, o);

  tessera::csv::read_options par = o;
  par.threads = 2;
  par.chunk_bytes = 1 + data[0] % 16;
  auto two = tessera::csv::try_parse(text, par);
  TESSERA_FUZZ_CHECK(one.has_value() == two.has_value());
  if (!one) {
    TESSERA_FUZZ_CHECK(one.error().code() == two.error().code());
    TESSERA_FUZZ_CHECK(one.error().to_string() == two.error().to_string());
    tessera::csv::read_options general = o;
    general.one_pass = false;
    auto g = tessera::csv::try_parse(text, general);
    TESSERA_FUZZ_CHECK(!g && g.error().to_string() == one.error().to_string());
    return 0;
  }
  TESSERA_FUZZ_CHECK(one->table.equals(two->table));
  TESSERA_FUZZ_CHECK(same_diagnostics(*one, *two));
  for (const int threads : {1, 2}) {
    tessera::csv::read_options general = threads == 1 ? o : par;
    general.one_pass = false;
    auto g = tessera::csv::try_parse(text, general);
    TESSERA_FUZZ_CHECK(g.has_value());
    TESSERA_FUZZ_CHECK(one->table.equals(g->table));
    TESSERA_FUZZ_CHECK(same_diagnostics(*one, *g));
  }

  // Round trip through the writer, the schema given (inference may read "1" as a number).
  const tessera::table& t = one->table;
  tessera::csv::write_options w;
  w.line_end = (data[1] & 1) ? "\n" : "\r\n";
  w.quote_all = (data[2] & 1) != 0;
  const std::string written = tessera::csv::to_string(t, w);
  tessera::csv::read_options back;
  back.delimiter = w.delimiter;
  back.quote = w.quote;
  back.escape = w.quote;
  back.header_lines = 1;
  back.schema = t.schema();
  back.threads = 1;
  back.skip_blank_lines = false; // a one-column table writes a null as an empty line
  auto again = tessera::csv::try_parse(written, back);
  // Strings may hold NUL bytes; where they make a third of the first 256 bytes, the reader takes
  // the text for UTF-16 (a heuristic that sees only the start, so the first read can differ).
  if (!again && again.error().code() == tessera::errc::unsupported &&
      written.substr(0, 256).find('\0') != std::string::npos)
    return 0;
  if (!again) std::fprintf(stderr, "%s\n", again.error().to_string().c_str());
  TESSERA_FUZZ_CHECK(again.has_value());
  if (t.num_columns() == 0) return 0;
  TESSERA_FUZZ_CHECK(again->table.equals(t));
  return 0;
}
