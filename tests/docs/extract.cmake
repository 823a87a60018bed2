# Turns the C++ blocks of one guide (INPUT, a docs/*.md file shown as NAME) into one program
# (OUTPUT) that compiles and runs every block, so a guide that drifts from the API or from the
# documented results fails its test.
#
#   ```cpp          a block of statements: becomes the body of a function that main() calls,
#                   in the order of the guide; EXPECT(condition) checks a documented result
#   ```cpp global   declarations at namespace scope (helpers, types), in the order of the guide
#
# `#include` lines of any block move to the top of the program. `#line` directives make compiler
# errors and failed EXPECTs point at the guide's own lines.

file(READ ${INPUT} text)
# CMake lists split on ';' and treat brackets and backslashes specially: hide them while the text
# is a list of lines.
string(REPLACE "\\" "@BS@" text "${text}")
string(REPLACE ";" "@SC@" text "${text}")
string(REPLACE "[" "@LB@" text "${text}")
string(REPLACE "]" "@RB@" text "${text}")
string(REPLACE "\n" ";" lines "${text}")

set(includes "")
set(globals "")
set(functions "")
set(calls "")
set(state none) # none | body | global
set(line_no 0)
set(blocks 0)
foreach(line IN LISTS lines)
  math(EXPR line_no "${line_no} + 1")
  if(state STREQUAL "none")
    if(line MATCHES "^```cpp global[ ]*$")
      set(state global)
      math(EXPR first "${line_no} + 1")
      string(APPEND globals "#line ${first} \"${NAME}\"\n")
    elseif(line MATCHES "^```cpp[ ]*$")
      set(state body)
      math(EXPR blocks "${blocks} + 1")
      math(EXPR first "${line_no} + 1")
      string(APPEND functions "static void docs_block_${blocks}() {\n#line ${first} \"${NAME}\"\n")
      string(APPEND calls "  failures += docs_run(docs_block_${blocks}, ${first});\n")
    elseif(line MATCHES "^```cpp")
      message(FATAL_ERROR "${NAME}:${line_no}: unknown C++ block kind '${line}' (use ```cpp or ```cpp global)")
    endif()
    continue()
  endif()
  if(line MATCHES "^```[ ]*$")
    if(state STREQUAL "body")
      string(APPEND functions "}\n\n")
    else()
      string(APPEND globals "\n")
    endif()
    set(state none)
    continue()
  endif()
  if(line MATCHES "^#include ")
    list(FIND includes "${line}" seen)
    if(seen EQUAL -1)
      list(APPEND includes "${line}")
    endif()
    set(line "") # keep the line numbering
  endif()
  if(state STREQUAL "body")
    string(APPEND functions "${line}\n")
  else()
    string(APPEND globals "${line}\n")
  endif()
endforeach()
if(NOT state STREQUAL "none")
  message(FATAL_ERROR "${NAME}: a ```cpp block is not closed")
endif()
if(blocks EQUAL 0)
  message(FATAL_ERROR "${NAME}: no ```cpp block to run")
endif()

string(REPLACE ";" "\n" include_text "${includes}")
set(program "// Generated from ${NAME} by tests/docs/extract.cmake; edit the guide, not this file.
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
${include_text}

// EXPECT(condition): a result the guide promises. A false condition fails the guide's test.
[[noreturn]] inline void docs_expect_failed(const char* condition, const char* file, int line) {
  throw std::logic_error(std::string(file) + \":\" + std::to_string(line) +
                         \": EXPECT(\" + condition + \") does not hold\");
}
#define EXPECT(...) ((__VA_ARGS__) ? void(0) : docs_expect_failed(#__VA_ARGS__, __FILE__, __LINE__))

static int docs_run(void (*block)(), int line) {
  try {
    block();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, \"${NAME}:%d: the block failed: %s\\n\", line, e.what());
  } catch (...) {
    std::fprintf(stderr, \"${NAME}:%d: the block failed with an unknown exception\\n\", line);
  }
  return 1;
}

${globals}
${functions}
#line 1 \"${NAME} (generated main)\"
int main() {
  int failures = 0;
${calls}  if (failures != 0) {
    std::fprintf(stderr, \"${NAME}: %d of ${blocks} blocks failed\\n\", failures);
    return 1;
  }
  std::printf(\"${NAME}: ${blocks} blocks ran, every EXPECT held\\n\");
  return 0;
}
")
string(REPLACE "@SC@" ";" program "${program}")
string(REPLACE "@LB@" "[" program "${program}")
string(REPLACE "@RB@" "]" program "${program}")
string(REPLACE "@BS@" "\\" program "${program}")
file(WRITE ${OUTPUT} "${program}")
