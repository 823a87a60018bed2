# Builds and runs a consumer of tessera in one of three ways (MODE):
#   find_package     install the build into a staging prefix, then find_package(tessera)
#   add_subdirectory add tessera's source tree to the consumer's build
#   copy_include     copy include/ alone and compile with the compiler and -I, no CMake package
foreach(var MODE SOURCE_DIR BUILD_DIR WORK_DIR CXX GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake: ${var} is not set")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(here ${CMAKE_CURRENT_LIST_DIR})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}")
  endif()
  message("${out}")
endfunction()

if(MODE STREQUAL "find_package")
  run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
  run(${CMAKE_COMMAND} -S ${here}/find_package -B ${WORK_DIR}/build -G ${GENERATOR}
      -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_FIND_PACKAGE_PREFER_CONFIG=ON)
  run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
  run(${WORK_DIR}/build/consumer)
elseif(MODE STREQUAL "add_subdirectory")
  run(${CMAKE_COMMAND} -S ${here}/add_subdirectory -B ${WORK_DIR}/build -G ${GENERATOR}
      -DCMAKE_CXX_COMPILER=${CXX} -DTESSERA_SOURCE_DIR=${SOURCE_DIR})
  run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
  run(${WORK_DIR}/build/consumer)
elseif(MODE STREQUAL "copy_include")
  file(COPY ${SOURCE_DIR}/include DESTINATION ${WORK_DIR})
  run(${CXX} -std=c++20 -O1 -pthread -I${WORK_DIR}/include ${here}/consumer.cpp -o ${WORK_DIR}/consumer)
  run(${WORK_DIR}/consumer)
else()
  message(FATAL_ERROR "run.cmake: unknown MODE ${MODE}")
endif()
