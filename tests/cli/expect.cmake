# Runs EXE with ARGS (a ;-list) and checks its exit code and that stdout+stderr match REGEX.

string(REPLACE ";" " " shown "${ARGS}")
execute_process(COMMAND ${EXE} ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL EXPECTED_RC)
  message(FATAL_ERROR "tessera ${shown}: exit code ${rc}, expected ${EXPECTED_RC}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(NOT "${out}${err}" MATCHES "${REGEX}")
  message(FATAL_ERROR "tessera ${shown}: output does not match '${REGEX}'\nstdout:\n${out}\nstderr:\n${err}")
endif()
message("tessera ${shown}: exit ${rc} as expected")
