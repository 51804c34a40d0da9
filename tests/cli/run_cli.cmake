# Runs the keyspace CLI with ARGS (a ;-list) in WORK and checks the exit code (EXIT), a regular
# expression its output must match (EXPECT) and, optionally, that WORK/out holds no files
# afterwards WORK holds no generated or temporary file (NO_OUTPUT). SETUP is a bash command run
# in WORK first. ENV (a ;-list of NAME=VALUE) is set for the run. STDOUT_FILE / STDERR_FILE name
# files the run's standard output / error must equal byte for byte (exact-output tests of the
# diagnostic formats); KEYSPACE_UPDATE_GOLDEN=1 rewrites them instead.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
if(SETUP)
  execute_process(COMMAND bash -c "${SETUP}" WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "setup failed: ${SETUP}")
  endif()
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env ${ENV} "${KEYSPACE}" ${ARGS} WORKING_DIRECTORY "${WORK}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
message("keyspace ${ARGS} -> ${rc}\n${all}")
if(NOT rc STREQUAL "${EXIT}")
  message(FATAL_ERROR "expected exit code ${EXIT}, got ${rc}")
endif()
if(EXPECT AND NOT all MATCHES "${EXPECT}")
  message(FATAL_ERROR "output does not match '${EXPECT}'")
endif()
if(NO_OUTPUT)
  file(GLOB_RECURSE left "${WORK}/keyspace.*" "${WORK}/*.tmp*")
  if(left)
    message(FATAL_ERROR "a failed run left files behind: ${left}")
  endif()
endif()

# Exact output: compared as files, so that escape codes, tabs and trailing newlines count.
foreach(stream IN ITEMS STDOUT STDERR)
  if(NOT ${stream}_FILE)
    continue()
  endif()
  if(stream STREQUAL "STDOUT")
    set(actual "${out}")
  else()
    set(actual "${err}")
  endif()
  if(DEFINED ENV{KEYSPACE_UPDATE_GOLDEN})
    file(WRITE "${${stream}_FILE}" "${actual}")
    continue()
  endif()
  file(WRITE "${WORK}/actual-${stream}" "${actual}")
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${${stream}_FILE}" "${WORK}/actual-${stream}"
    RESULT_VARIABLE differs)
  if(differs)
    execute_process(COMMAND diff -u "${${stream}_FILE}" "${WORK}/actual-${stream}")
    message(FATAL_ERROR "${stream} differs from ${${stream}_FILE}")
  endif()
endforeach()
