# Runs one diagnostics case: `keyspace check CASE` must fail cleanly (exit code exactly 1, not a
# crash or a hang) and report every expected diagnostic, and nothing else.
#
#   cmake -DKEYSPACE=<keyspace binary> -DCASE=<schema path> [-DEXPECT=<e1>|<e2>...]
#         [-DEXPECT_EXIT=<n>] -P run_case.cmake
#
# Expectations come from -DEXPECT (for cases that cannot carry comments: binary files, missing
# files, directories) or else from the case file's comment lines:
#
#   # expect: 12:14 KS0302        `<CASE>:12:14: error[KS0302]:` must be in the output
#   # expect: 3:3 KS0601 warning  `<CASE>:3:3: warning[KS0601]:` must be in the output
#   # expect: - KS0001            `<CASE>: error[KS0001]:` (a diagnostic without a position)
#   # expect-exit: 1              the exit code (default 1); `expect-exit: 0` with no `expect:`
#                                 line is a clean case: a schema a check once flagged wrongly
#   # expect-other-errors: allow  do not fail on errors that are not expected (default: fail)
#
# Lines and columns are 1-based positions in the case file, comment lines included.

foreach(var KEYSPACE CASE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_case.cmake: -D${var}=... is required")
  endif()
endforeach()

set(expectations "")
set(expected_exit 1)
set(allow_other_errors FALSE)
if(DEFINED EXPECT)
  string(REPLACE "|" ";" expectations "${EXPECT}")
else()
  file(STRINGS "${CASE}" directives REGEX "^# expect[a-z-]*:")
  foreach(line IN LISTS directives)
    if(line MATCHES "^# expect: *(.*[^ ]) *$")
      list(APPEND expectations "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^# expect-exit: *([0-9]+) *$")
      set(expected_exit "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^# expect-other-errors: *allow *$")
      set(allow_other_errors TRUE)
    else()
      message(FATAL_ERROR "${CASE}: malformed directive: '${line}'")
    endif()
  endforeach()
endif()
if(DEFINED EXPECT_EXIT)
  set(expected_exit "${EXPECT_EXIT}")
endif()
if(expectations STREQUAL "" AND NOT expected_exit STREQUAL "0")
  message(FATAL_ERROR "${CASE}: the case declares no '# expect:' line")
endif()

# Each expectation becomes the exact text the tool prints at the start of its diagnostic line.
set(wanted "")
foreach(expectation IN LISTS expectations)
  if(expectation MATCHES "^([0-9]+):([0-9]+) +(KS[0-9][0-9][0-9][0-9])( +warning)?$")
    set(severity error)
    if(CMAKE_MATCH_4)
      set(severity warning)
    endif()
    list(APPEND wanted "${CASE}:${CMAKE_MATCH_1}:${CMAKE_MATCH_2}: ${severity}[${CMAKE_MATCH_3}]:")
  elseif(expectation MATCHES "^- +(KS[0-9][0-9][0-9][0-9])$")
    list(APPEND wanted "${CASE}: error[${CMAKE_MATCH_1}]:")
  else()
    message(FATAL_ERROR "${CASE}: malformed expectation '${expectation}' (want 'LINE:COL KSnnnn [warning]' or '- KSnnnn')")
  endif()
endforeach()

execute_process(
  COMMAND "${KEYSPACE}" check "${CASE}"
  RESULT_VARIABLE exit_code
  OUTPUT_VARIABLE stdout
  ERROR_VARIABLE stderr
  TIMEOUT 60)
set(output "${stdout}${stderr}")

set(problems "")
# A crash shows as a signal name ("Segmentation fault", "Subprocess aborted"), a hang as a
# timeout message: both differ from the expected number.
if(NOT exit_code STREQUAL "${expected_exit}")
  string(APPEND problems "  exit code: expected ${expected_exit}, got '${exit_code}'\n")
endif()

foreach(line IN LISTS wanted)
  string(FIND "${output}" "${line}" at)
  if(at EQUAL -1)
    string(APPEND problems "  missing:    ${line}\n")
  endif()
endforeach()

if(NOT allow_other_errors)
  # Every reported error and warning must be an expected one (notes and the source excerpt are
  # free text).
  string(REGEX MATCHALL "[^\n]*: (error|warning)\\[KS[0-9]+\\]:" reported "${output}")
  foreach(line IN LISTS reported)
    list(FIND wanted "${line}" index)
    if(index EQUAL -1)
      string(APPEND problems "  unexpected: ${line}\n")
    endif()
  endforeach()
endif()

if(NOT problems STREQUAL "")
  message(FATAL_ERROR "diagnostics case ${CASE} failed:\n${problems}"
                      "--- output of `keyspace check` (exit ${exit_code}) ---\n${output}---")
endif()
list(LENGTH wanted count)
message(STATUS "${CASE}: exit ${exit_code}, ${count} expected diagnostic(s) reported")
