// The JSON that `tessera meta FILE.parquet` prints and `tessera.parquet_metadata` returns (as
// Python objects): one description of a Parquet footer shared by the command-line tool and the
// Python module.
#pragma once

#include <tessera/io/parquet.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tessera_examples {

using json = nlohmann::ordered_json;

inline json text(std::string_view s) {
  return json(std::string(s));
}

template <class T>
inline void put(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

inline json logical_json(const tessera::parquet::logical_type& t) {
  using kind = tessera::parquet::logical_type::kind;
  json j;
  j["type"] = text(tessera::parquet::to_string(t.type));
  switch (t.type) {
  case kind::decimal:
    j["scale"] = t.scale;
    j["precision"] = t.precision;
    break;
  case kind::time:
  case kind::timestamp:
    j["unit"] = text(tessera::parquet::to_string(t.unit));
    j["is_adjusted_to_utc"] = t.adjusted_to_utc;
    break;
  case kind::integer:
    j["bit_width"] = t.bit_width;
    j["is_signed"] = t.is_signed;
    break;
  case kind::other:
    j["union_field_id"] = t.other_id;
    break;
  default:
    break;
  }
  return j;
}

/// The schema tree as nested JSON, starting at element `i` (advanced past the subtree).
inline json schema_json(const tessera::parquet::file_metadata& m, std::size_t& i, int depth) {
  const auto& e = m.schema[i++];
  json j;
  j["name"] = text(e.name);
  if (e.repetition_type) j["repetition"] = text(tessera::parquet::to_string(*e.repetition_type));
  if (e.type) j["physical_type"] = text(tessera::parquet::to_string(*e.type));
  put(j, "type_length", e.type_length);
  if (e.converted) j["converted_type"] = text(tessera::parquet::to_string(*e.converted));
  if (e.logical.type != tessera::parquet::logical_type::kind::none)
    j["logical_type"] = logical_json(e.logical);
  put(j, "scale", e.scale);
  put(j, "precision", e.precision);
  put(j, "field_id", e.field_id);
  if (e.num_children > 0) {
    json children = json::array();
    for (std::int32_t c = 0; c < e.num_children && i < m.schema.size() && depth < 256; ++c)
      children.push_back(schema_json(m, i, depth + 1));
    j["children"] = std::move(children);
  }
  return j;
}

inline json stat_value(std::string_view bytes, const tessera::parquet::schema_element& leaf) {
  auto v = tessera::parquet::decode_statistic(bytes, leaf);
  if (!v) return json{{"error", v.error().message()}};
  return json(tessera::parquet::format_statistic(*v, leaf));
}

inline json stats_json(const tessera::parquet::statistics& s,
                       const tessera::parquet::schema_element& leaf) {
  json j = json::object();
  if (s.min_value) j["min"] = stat_value(*s.min_value, leaf);
  if (s.max_value) j["max"] = stat_value(*s.max_value, leaf);
  if (s.min) j["min_deprecated"] = stat_value(*s.min, leaf);
  if (s.max) j["max_deprecated"] = stat_value(*s.max, leaf);
  put(j, "null_count", s.null_count);
  put(j, "distinct_count", s.distinct_count);
  put(j, "nan_count", s.nan_count);
  put(j, "is_min_value_exact", s.is_min_value_exact);
  put(j, "is_max_value_exact", s.is_max_value_exact);
  return j;
}

inline json key_values(std::span<const tessera::parquet::key_value> kvs) {
  json j = json::object();
  for (const auto& kv : kvs) j[std::string(kv.key)] = kv.value ? text(*kv.value) : json(nullptr);
  return j;
}

inline json crypto_json(const tessera::parquet::encryption_info& c) {
  return json{{"algorithm", text(c.algorithm)},
              {"aad_prefix_stored", c.has_aad_prefix},
              {"supply_aad_prefix", c.supply_aad_prefix},
              {"key_metadata_bytes", c.key_metadata_size}};
}

/// `tessera meta FILE.parquet`: the footer of a Parquet file (schema tree, row groups, column
/// chunks with decoded statistics, key/value metadata) as JSON. Throws tessera::exception.
inline json parquet_json(const std::string& path) {
  auto f = tessera::parquet::try_read_footer(path);
  if (!f) tessera::throw_error(std::move(f).error());
  json j;
  j["file"] = path;
  j["format"] = "parquet";
  j["file_size"] = f->info.file_size;
  j["footer_length"] = f->info.footer_length;
  j["encrypted_footer"] = f->info.encrypted_footer;
  if (!f->metadata) {
    if (f->crypto) j["encryption"] = crypto_json(*f->crypto);
    j["note"] = "the footer is encrypted; schema and row groups need the footer key";
    return j;
  }
  const auto& m = *f->metadata;
  j["version"] = m.version;
  j["num_rows"] = m.num_rows;
  j["created_by"] = m.created_by ? text(*m.created_by) : json(nullptr);
  if (m.encryption) j["encryption"] = crypto_json(*m.encryption);
  std::size_t i = 0;
  if (!m.schema.empty()) j["schema"] = schema_json(m, i, 0);
  if (!m.key_value_metadata.empty()) j["key_value_metadata"] = key_values(m.key_value_metadata);
  json groups = json::array();
  for (const auto& g : m.row_groups) {
    json jg;
    jg["num_rows"] = g.num_rows;
    jg["total_byte_size"] = g.total_byte_size;
    put(jg, "total_compressed_size", g.total_compressed_size);
    put(jg, "file_offset", g.file_offset);
    put(jg, "ordinal", g.ordinal);
    if (!g.sorting_columns.empty()) {
      json sc = json::array();
      for (const auto& s : g.sorting_columns)
        sc.push_back({{"column", s.column_idx},
                      {"descending", s.descending},
                      {"nulls_first", s.nulls_first}});
      jg["sorting_columns"] = std::move(sc);
    }
    json cols = json::array();
    for (std::size_t c = 0; c < g.columns.size() && c < m.columns.size(); ++c) {
      const auto& chunk = g.columns[c];
      const auto& desc = m.columns[c];
      const auto& leaf = m.schema[desc.schema_index];
      json jc;
      std::string dotted;
      for (const auto& p : desc.path) {
        if (!dotted.empty()) dotted += '.';
        dotted += p;
      }
      jc["path"] = dotted;
      if (chunk.file_path) jc["file_path"] = text(*chunk.file_path);
      jc["file_offset"] = chunk.file_offset;
      if (chunk.encrypted) jc["encrypted"] = true;
      if (const auto& md = chunk.meta_data) {
        jc["type"] = text(tessera::parquet::to_string(md->type));
        jc["codec"] = text(tessera::parquet::to_string(md->codec));
        json enc = json::array();
        for (auto e : md->encodings) enc.push_back(text(tessera::parquet::to_string(e)));
        jc["encodings"] = std::move(enc);
        jc["num_values"] = md->num_values;
        jc["total_compressed_size"] = md->total_compressed_size;
        jc["total_uncompressed_size"] = md->total_uncompressed_size;
        jc["data_page_offset"] = md->data_page_offset;
        put(jc, "dictionary_page_offset", md->dictionary_page_offset);
        put(jc, "index_page_offset", md->index_page_offset);
        if (md->stats) jc["statistics"] = stats_json(*md->stats, leaf);
        if (!md->encoding_stats.empty()) {
          json es = json::array();
          for (const auto& s : md->encoding_stats)
            es.push_back({{"page_type", text(tessera::parquet::to_string(s.page))},
                          {"encoding", text(tessera::parquet::to_string(s.enc))},
                          {"count", s.count}});
          jc["encoding_stats"] = std::move(es);
        }
        put(jc, "bloom_filter_offset", md->bloom_filter_offset);
        put(jc, "bloom_filter_length", md->bloom_filter_length);
        if (!md->key_value_metadata.empty())
          jc["key_value_metadata"] = key_values(md->key_value_metadata);
      }
      put(jc, "offset_index_offset", chunk.offset_index_offset);
      put(jc, "offset_index_length", chunk.offset_index_length);
      put(jc, "column_index_offset", chunk.column_index_offset);
      put(jc, "column_index_length", chunk.column_index_length);
      cols.push_back(std::move(jc));
    }
    jg["columns"] = std::move(cols);
    groups.push_back(std::move(jg));
  }
  j["row_groups"] = std::move(groups);
  return j;
}

} // namespace tessera_examples
