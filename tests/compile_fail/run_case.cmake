# Compiles one compile_fail case and checks the outcome:
#
#   cmake -DCOMPILER=<c++> -DSTD=<17|20> -DCASE=<file.cpp> -DINCLUDES=<dir|dir...> -P run_case.cmake
#
# The case file declares, in comment lines at its top:
#   // expect: <regex>     the compiler's output must match (several lines: any one may match,
#                         since GCC and clang word the same error differently)
#   // expect: compiles    the control program: must compile without a diagnostic
#   // view: <dir name>    which generated header to use: `all` (default) or a service view
# Only -fsyntax-only: the point is what the compiler accepts, not the program.

foreach(var COMPILER STD CASE INCLUDES)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_case.cmake: -D${var}=... is required")
  endif()
endforeach()

file(STRINGS "${CASE}" directives REGEX "^// (expect|view):")
set(patterns "")
set(view all)
set(must_compile FALSE)
foreach(line IN LISTS directives)
  if(line MATCHES "^// expect: compiles$")
    set(must_compile TRUE)
  elseif(line MATCHES "^// expect: (.+)$")
    list(APPEND patterns "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^// view: ([a-z_]+)$")
    set(view "${CMAKE_MATCH_1}")
  endif()
endforeach()
if(NOT must_compile AND patterns STREQUAL "")
  message(FATAL_ERROR "${CASE}: no '// expect:' line")
endif()

string(REPLACE "|" ";" include_dirs "${INCLUDES}")
set(flags -std=c++${STD} -fsyntax-only -Wall -Wextra -Wpedantic -Werror)
foreach(dir IN LISTS include_dirs)
  string(REPLACE "@VIEW@" "${view}" dir "${dir}")
  list(APPEND flags "-I${dir}")
endforeach()

execute_process(COMMAND "${COMPILER}" ${flags} "${CASE}"
                RESULT_VARIABLE exit_code OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
set(output "${out}${err}")

if(must_compile)
  if(NOT exit_code EQUAL 0 OR NOT output STREQUAL "")
    message(FATAL_ERROR "${CASE} must compile cleanly with ${COMPILER} -std=c++${STD}:\n${output}")
  endif()
  return()
endif()
if(exit_code EQUAL 0)
  message(FATAL_ERROR "${CASE} compiled with ${COMPILER} -std=c++${STD}, but must not")
endif()
foreach(pattern IN LISTS patterns)
  if(output MATCHES "${pattern}")
    message(STATUS "${CASE}: rejected as expected (${pattern})")
    return()
  endif()
endforeach()
message(FATAL_ERROR "${CASE} failed to compile with ${COMPILER} -std=c++${STD}, but the output "
                    "matches none of the expected messages:\n  ${patterns}\n--- output ---\n${output}")
