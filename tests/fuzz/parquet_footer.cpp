// libFuzzer harness: the Parquet footer reader (Thrift compact protocol, schema tree, statistics
// decoding) on arbitrary bytes, both as a whole file and as a footer framed by valid magic.
#include <tessera/io/parquet.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {
void exercise(std::string_view file) {
  auto f = tessera::parquet::try_parse_footer(file);
  if (!f || !f->metadata) return;
  const auto& m = *f->metadata;
  for (const auto& g : m.row_groups)
    for (std::size_t c = 0; c < g.columns.size(); ++c) {
      const auto& md = g.columns[c].meta_data;
      if (!md || !md->stats) continue;
      const auto& leaf = m.schema[m.columns[c].schema_index];
      for (const auto& v :
           {md->stats->min_value, md->stats->max_value, md->stats->min, md->stats->max})
        if (v)
          if (auto d = tessera::parquet::decode_statistic(*v, leaf))
            (void)tessera::parquet::format_statistic(*d, leaf);
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  exercise(bytes);
  std::string framed = "PAR1";
  framed += bytes;
  for (int i = 0; i < 4; ++i) framed += static_cast<char>((size >> (8 * i)) & 0xff);
  framed += "PAR1";
  exercise(framed);
  return 0;
}
