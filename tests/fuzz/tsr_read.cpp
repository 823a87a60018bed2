// libFuzzer harness: reading a .tsr file (every chunk decoded: checksums, zstd, bit-packing,
// dictionaries, string offsets, validity), with checksum verification off so that mutations
// reach the decoders, and on; plus a projected, filtered, limited read.
#include <tessera/io/tsr.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (bool verify : {false, true}) {
    tessera::tsr::open_options o;
    o.verify_checksums = verify;
    auto r = tessera::tsr::reader::from_memory(data, size, "fuzz", o);
    if (!r) continue;
    if (auto t = r->try_read()) {
      for (const auto& c : t->columns())
        for (std::size_t i = 0; i < c.size() && i < 64; ++i)
          if (is_string_like(c.id()) && c.is_valid(i)) (void)c.string_at(i);
    }
    const auto& m = r->metadata();
    if (m.schema.size() == 0) continue;
    tessera::tsr::read_options ro;
    ro.columns = {m.schema[m.schema.size() - 1].name};
    ro.where = {{m.schema[0].name, tessera::compare_op::gt, tessera::scalar(std::int64_t{0})}};
    ro.limit = 3;
    (void)r->try_read(ro);
  }
  return 0;
}
