// libFuzzer harness: opening a .tsr file (header, trailer, footer parsing and validation of every
// offset, length and count), with and without checksum verification, then row-group pruning.
#include <tessera/io/tsr.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (bool verify : {true, false}) {
    tessera::tsr::open_options o;
    o.verify_checksums = verify;
    auto r = tessera::tsr::reader::from_memory(data, size, "fuzz", o);
    if (!r) continue;
    const auto& m = r->metadata();
    if (m.schema.size() == 0) continue;
    for (auto op : {tessera::compare_op::eq, tessera::compare_op::ne, tessera::compare_op::lt,
                    tessera::compare_op::ge}) {
      (void)r->try_prune({{m.schema[0].name, op, tessera::scalar(std::int64_t{1})}});
      (void)r->try_prune({{m.schema[0].name, op, tessera::scalar("m")}});
    }
  }
  return 0;
}
