// `tessera meta FILE`: a file's metadata as JSON. Dispatches on the file's extension; each
// format adds one entry to `formats()` below.
#include "command.hpp"

#include "../common/parquet_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

namespace tessera_cli {
/// The .tsr printer, defined in tsr.cpp.
nlohmann::ordered_json tsr_meta_json(const std::string& path);
namespace {

using json = nlohmann::ordered_json;

/// A metadata printer for one file format, chosen by extension.
struct format_entry {
  std::vector<std::string> extensions; ///< lower case, with the dot; ".parquet.encrypted" too
  std::function<json(const std::string&)> describe;
};

const std::vector<format_entry>& formats() {
  static const std::vector<format_entry> table{
      {{".parquet", ".parquet.encrypted", ".parq"}, &tessera_examples::parquet_json},
      {{".tsr"}, &tsr_meta_json},
  };
  return table;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void add_meta_commands(command_table& table, const global_options& /*options*/) {
  auto file = std::make_shared<std::string>();
  CLI::App* sub = table.add("meta", "Print a file's metadata (Parquet footer) as JSON", [file] {
    std::string lower = *file;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const auto& f : formats()) {
      for (const auto& ext : f.extensions) {
        if (ends_with(lower, ext)) {
          std::cout << f.describe(*file).dump(2, ' ', false, json::error_handler_t::replace)
                    << '\n';
          return exit_ok;
        }
      }
    }
    std::cerr << "tessera: meta: cannot tell the format of '" << *file
              << "' from its extension (known: .parquet, .tsr)\n";
    return exit_usage;
  });
  sub->add_option("file", *file, "The file (.parquet)")->required();
}

const register_commands registered(&add_meta_commands);

} // namespace
} // namespace tessera_cli
