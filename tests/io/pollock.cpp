// The Pollock CSV-loading benchmark (HPI-Information-Systems/Pollock), "simple" score.
//
// Every polluted file in ../shared/data/csv/pollock/csv is loaded with its parameters
// (parameters/<file>_parameters.json: delimiter, quote and escape characters, header, preamble
// and footnote lines) in permissive mode with ragged rows padded or truncated and fields
// trimmed, written back as RFC 4180 CSV with one header line (what `tessera csv IN --to OUT.csv`
// writes), and compared with the clean file the benchmark gives for it.
//
// The ten measures follow the benchmark's metrics.py: load success; header precision, recall
// and F1 (first loaded row vs the clean file's header cells); record precision, recall and F1
// (rows as the concatenation of their cells, empty cells as "null"); cell precision, recall and
// F1 - each a multiset intersection, averaged over the files and summed (10 is perfect). Cells
// are compared as exact text; the benchmark first normalises cells (numbers, dates, currency,
// case), which can only make more cells equal, so the score here is a lower bound of the
// benchmark's.
//
// Run: build/<dir>/tests/io/tessera_test_io -tc="pollock*" (prints the score and the worst
// files).
#include <tessera/io/csv.hpp>

#include "support/shared_data.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace csv = tessera::csv;

// Sanitizer builds score every 8th file (all 2290 take over a minute there); the score quoted
// is from a plain build.
#if defined(__SANITIZE_ADDRESS__)
#define TESSERA_POLLOCK_STRIDE 8
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TESSERA_POLLOCK_STRIDE 8
#endif
#endif
#ifndef TESSERA_POLLOCK_STRIDE
#define TESSERA_POLLOCK_STRIDE 1
#endif

namespace {

using rows_t = std::vector<std::vector<std::string>>;

/// Parses RFC 4180 text (the clean files and our normalized output) into rows of text.
rows_t rfc_rows(std::string_view text) {
  csv::read_options o;
  o.delimiter = ',';
  o.quote = '"';
  o.escape = '"';
  o.header_lines = 0;
  o.infer_types = false;
  o.null_values.clear();
  o.skip_blank_lines = true;
  o.ragged = csv::ragged_rows::pad_or_truncate;
  rows_t rows;
  if (text.empty()) return rows;
  // Rows may differ in width: read with a generous fixed width, then drop the padding.
  const auto r = csv::parse(text, o);
  const auto& t = r.table;
  rows.resize(t.num_rows());
  for (std::size_t i = 0; i < t.num_rows(); ++i)
    for (std::size_t c = 0; c < t.num_columns(); ++c)
      rows[i].emplace_back(t[c].is_null(i) ? std::string() : std::string(t[c].string_at(i)));
  return rows;
}

struct prf {
  double p = 0, r = 0, f = 0;
};

/// metrics.py: precision = |S ∩ L| / |S|, recall = |S ∩ L| / |L| (as the benchmark names them).
prf measure(const std::vector<std::string>& source, const std::vector<std::string>& loaded) {
  if (source.empty()) return {1, 1, 1};
  std::map<std::string, long> s, l;
  for (const auto& x : source) ++s[x];
  for (const auto& x : loaded) ++l[x];
  long common = 0;
  for (const auto& [k, v] : s)
    if (auto it = l.find(k); it != l.end()) common += std::min(v, it->second);
  if (common == 0) return {0, 0, 0};
  prf m;
  m.p = static_cast<double>(common) / static_cast<double>(source.size());
  m.r = static_cast<double>(common) / static_cast<double>(loaded.size());
  m.f = 2 * m.p * m.r / (m.p + m.r);
  return m;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

char char_param(const nlohmann::json& j, const char* key, char fallback) {
  if (!j.contains(key) || !j[key].is_string()) return fallback;
  const std::string s = j[key].get<std::string>();
  return s.empty() ? fallback : s[0];
}

} // namespace

TEST_CASE("pollock: simple score over every polluted file") {
  const auto dir = tessera_test::shared_data("csv/pollock");
  if (!dir) return;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(*dir / "csv")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 2000);
  if (TESSERA_POLLOCK_STRIDE > 1) {
    std::vector<std::filesystem::path> subset;
    for (std::size_t i = 0; i < files.size(); i += TESSERA_POLLOCK_STRIDE)
      subset.push_back(files[i]);
    files = std::move(subset);
  }

  std::array<double, 10> sums{};
  std::vector<std::pair<double, std::string>> per_file;
  for (const auto& path : files) {
    const std::string name = path.filename().string();
    std::ifstream pj(*dir / "parameters" / (name + "_parameters.json"));
    const nlohmann::json params = nlohmann::json::parse(pj);
    csv::read_options o;
    o.delimiter = char_param(params, "delimiter", ',');
    o.quote = char_param(params, "quotechar", '"');
    const char esc = char_param(params, "escapechar", *o.quote);
    o.escape = esc == '\0' ? *o.quote : esc;
    o.header_lines = params.value("header_lines", std::size_t{1});
    o.preamble_lines = params.value("preamble_lines", std::size_t{0});
    o.footnote_lines = params.value("footnote_lines", std::size_t{0});
    o.errors = csv::error_mode::permissive;
    o.ragged = csv::ragged_rows::pad_or_truncate;
    o.trim = true;
    o.drop_surplus_empty_fields = true;

    std::array<double, 10> m{};
    auto loaded = csv::try_read(path, o);
    if (loaded) {
      const rows_t out = rfc_rows(csv::to_string(loaded->table));
      const rows_t clean = rfc_rows(slurp(*dir / "clean" / name));
      const bool has_header = *o.header_lines > 0;
      std::vector<std::string> src_header, src_cells, src_records, out_header, out_cells,
          out_records;
      const auto record_of = [](const std::vector<std::string>& row) {
        std::string s;
        for (const auto& c : row) s += c.empty() ? "null" : c;
        return s;
      };
      for (std::size_t i = 0; i < clean.size(); ++i) {
        if (i == 0 && has_header) {
          src_header = clean[i];
          continue;
        }
        src_cells.insert(src_cells.end(), clean[i].begin(), clean[i].end());
        if (!clean[i].empty()) src_records.push_back(record_of(clean[i]));
      }
      for (std::size_t i = 0; i < out.size(); ++i) {
        if (i == 0) {
          out_header = out[i];
          continue;
        }
        out_cells.insert(out_cells.end(), out[i].begin(), out[i].end());
        if (!out[i].empty()) out_records.push_back(record_of(out[i]));
      }
      const prf h = measure(src_header, out_header);
      const prf r = measure(src_records, out_records);
      const prf c = measure(src_cells, out_cells);
      m = {1.0, h.p, h.r, h.f, r.p, r.r, r.f, c.p, c.r, c.f};
    }
    double total = 0;
    for (std::size_t k = 0; k < 10; ++k) {
      sums[k] += m[k];
      total += m[k];
    }
    per_file.emplace_back(total, name);
  }
  const auto n = static_cast<double>(files.size());
  double score = 0;
  for (const double s : sums) score += s / n;
  std::sort(per_file.begin(), per_file.end());
  std::string worst;
  for (std::size_t i = 0; i < 12 && i < per_file.size(); ++i)
    worst += "  " + per_file[i].second + " " + std::to_string(per_file[i].first) + "\n";
  MESSAGE("Pollock simple score over "
          << files.size() << " files: " << score << "\n  success " << sums[0] / n
          << ", header P/R/F " << sums[1] / n << " " << sums[2] / n << " " << sums[3] / n
          << ", record P/R/F " << sums[4] / n << " " << sums[5] / n << " " << sums[6] / n
          << ", cell P/R/F " << sums[7] / n << " " << sums[8] / n << " " << sums[9] / n
          << "\nworst files:\n"
          << worst);
  CHECK(score >= 9.9);
}
