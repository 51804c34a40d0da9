# Reads the includes of every generator source and fails when a phase includes a header of a phase
# it may not use (docs/architecture.md). Run as `cmake -DSRC=<generator/src> -P check_layering.cmake`.
#
# A layer may include its own headers and those of the layers listed for it:
#   diag      nothing else
#   load      diag (and emit/resources.hpp: the JSON Schema of the language is an embedded file)
#   model     diag, load (the builder reads the loaded document)
#   lint      diag, model
#   emit      diag, model
#   tools     diag, load, model, pipeline
#   pipeline  diag, load, model, lint
#   cli, main everything
# So emit never includes load or lint, lint never includes emit, and model includes neither.
cmake_minimum_required(VERSION 3.16)
set(layers diag load model lint emit tools pipeline)
set(allowed_diag "")
set(allowed_load diag)
set(allowed_model diag load)
set(allowed_lint diag model)
set(allowed_emit diag model)
set(allowed_tools diag load model pipeline)
set(allowed_pipeline diag load model lint)
set(exceptions_load "emit/resources.hpp")

# The layer of a path below src/: its first folder, `pipeline` for pipeline.{hpp,cpp}, else empty.
function(layer_of path out)
  if(path MATCHES "^([a-z]+)/")
    set(${out} ${CMAKE_MATCH_1} PARENT_SCOPE)
  elseif(path MATCHES "^pipeline\\.(hpp|cpp)$")
    set(${out} pipeline PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

file(GLOB_RECURSE sources RELATIVE ${SRC} ${SRC}/*.cpp ${SRC}/*.hpp)
set(violations "")
set(checked 0)
foreach(source ${sources})
  if(source MATCHES "^(cli/|main\\.cpp)")
    continue()
  endif()
  layer_of(${source} layer)
  if(NOT layer)
    list(APPEND violations "${source}: not in a layer's folder")
    continue()
  endif()
  if(NOT layer IN_LIST layers)
    list(APPEND violations "${source}: '${layer}' is not a known layer (add it to ${CMAKE_CURRENT_LIST_FILE})")
    continue()
  endif()
  math(EXPR checked "${checked} + 1")
  file(STRINGS ${SRC}/${source} includes REGEX "^#include \"")
  foreach(line ${includes})
    string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" header "${line}")
    if(header MATCHES "^keyspace/")
      continue()  # the runtime's headers (none today)
    endif()
    layer_of(${header} target)
    if(NOT target)
      list(APPEND violations "${source}: includes \"${header}\", which is not rooted at a layer's folder")
      continue()
    endif()
    if(target STREQUAL layer OR target IN_LIST allowed_${layer} OR header IN_LIST exceptions_${layer})
      continue()
    endif()
    string(REPLACE ";" ", " may "${allowed_${layer}}")
    list(APPEND violations "${source}: includes \"${header}\", but ${layer} may include only ${layer}, ${may}")
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "layering broken:\n  ${text}")
endif()
message(STATUS "layering holds: ${checked} files of diag, load, model, lint, emit, tools and the pipeline")
