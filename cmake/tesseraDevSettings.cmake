# Settings for tessera's own tests, examples and benchmarks: strict warnings as errors,
# assertions (on unless TESSERA_ASSERTS is OFF), and optional sanitizers. Linked PRIVATE; never installed or exported.
add_library(tessera_dev_settings INTERFACE)
add_library(tessera::dev_settings ALIAS tessera_dev_settings)

target_compile_options(tessera_dev_settings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Werror
  # g++ 12 flags designated initializers that leave members to their defaults (fixed in g++ 13).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-missing-field-initializers>)
option(TESSERA_ASSERTS "Check TESSERA_ASSERT preconditions in tests and examples" ON)
target_compile_definitions(tessera_dev_settings INTERFACE
  TESSERA_ENABLE_ASSERTS=$<IF:$<BOOL:${TESSERA_ASSERTS}>,1,0>)

if(TESSERA_SANITIZE)
  set(tessera_sanitize_flags -fsanitize=${TESSERA_SANITIZE} -fno-omit-frame-pointer)
  if(TESSERA_SANITIZE MATCHES "undefined")
    list(APPEND tessera_sanitize_flags -fno-sanitize-recover=all)
  endif()
  target_compile_options(tessera_dev_settings INTERFACE ${tessera_sanitize_flags})
  target_link_options(tessera_dev_settings INTERFACE ${tessera_sanitize_flags})
endif()
