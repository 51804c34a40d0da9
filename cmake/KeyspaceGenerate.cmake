# keyspace_generate(<target> SCHEMA <file> [SERVICE <name>] [OUTPUT_DIR <dir>] [DOCS <dir>]
#                   [ACL <file> [ACL_OPTIONS <option>...]])
#
# Creates the static library <target> holding the C++ that `keyspace generate` emits for SCHEMA,
# linked PUBLIC to Keyspace::runtime. Code includes it as "<schema name>/keyspace.hpp", where
# <schema name> is the schema's top-level `name:`.
#
#   SCHEMA      the keyspace YAML; a relative path is taken from CMAKE_CURRENT_SOURCE_DIR.
#   SERVICE     generate the view of one service (only what that service may touch).
#   OUTPUT_DIR  where the generated files go; default ${CMAKE_CURRENT_BINARY_DIR}/<target>_keyspace.
#               It becomes the library's PUBLIC include directory.
#   DOCS        also write the keyspace documentation (`keyspace docs`: index.md, one
#               <namespace>.md per namespace, types.md and a self-contained index.html) into this
#               directory, as part of building <target>; relative to CMAKE_CURRENT_BINARY_DIR.
#               The documentation always covers the whole schema, also with SERVICE.
#   ACL         also write the Redis ACL users of every service (`keyspace acl`, an aclfile for
#               redis-server; docs/acl.md) to this file, relative to CMAKE_CURRENT_BINARY_DIR.
#   ACL_OPTIONS further `keyspace acl` options, e.g. `--environment prod` or `--redis-version 6.2`.
#
# The code is regenerated when the schema or the generator binary changes (templates are
# compiled into the generator, so a template change is a generator change). Works in the build
# tree of keyspace (add_subdirectory) and after find_package(Keyspace): in both cases the
# generator is the executable target Keyspace::keyspace.

include_guard(GLOBAL)

# The generated paths depend on the schema's top-level `name:`. With an installed generator
# (find_package), `keyspace generate --print-outputs` says them at configure time; in keyspace's
# own build tree the generator does not exist yet, and the name is read from the file.
function(_keyspace_generated_paths target schema schema_arg output_dir header_var source_var)
  if(TARGET Keyspace::keyspace)
    get_target_property(imported Keyspace::keyspace IMPORTED)
    if(imported)
      get_target_property(generator Keyspace::keyspace IMPORTED_LOCATION)
      if(NOT generator)
        get_target_property(configurations Keyspace::keyspace IMPORTED_CONFIGURATIONS)
        list(GET configurations 0 configuration)
        get_target_property(generator Keyspace::keyspace IMPORTED_LOCATION_${configuration})
      endif()
      execute_process(COMMAND "${generator}" generate "${schema_arg}" -o "${output_dir}" --print-outputs
        WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
        RESULT_VARIABLE status OUTPUT_VARIABLE outputs ERROR_VARIABLE errors)
      if(NOT status EQUAL 0)
        message(FATAL_ERROR "keyspace_generate(${target}): ${schema_arg} does not check:\n${errors}")
      endif()
      string(REGEX MATCH "[^\n]*/keyspace\\.hpp" header "${outputs}")
      string(REGEX MATCH "[^\n]*/keyspace\\.cpp" source "${outputs}")
      set(${header_var} "${header}" PARENT_SCOPE)
      set(${source_var} "${source}" PARENT_SCOPE)
      return()
    endif()
  endif()
  _keyspace_schema_name(${target} "${schema}" schema_name)
  set(${header_var} "${output_dir}/${schema_name}/keyspace.hpp" PARENT_SCOPE)
  set(${source_var} "${output_dir}/${schema_name}/keyspace.cpp" PARENT_SCOPE)
endfunction()

# Reads the top-level `name:` of a schema: the generated paths in keyspace's own build tree.
function(_keyspace_schema_name target schema out_var)
  file(STRINGS "${schema}" name_lines REGEX "^name:")
  set(name "")
  foreach(line IN LISTS name_lines)
    if(line MATCHES "^name:[ \t]*[\"']?([a-z][a-z0-9_]*)[\"']?[ \t]*(#.*)?$")
      set(name "${CMAKE_MATCH_1}")
      break()
    endif()
  endforeach()
  if(name STREQUAL "")
    message(FATAL_ERROR
      "keyspace_generate(${target}): ${schema} has no top-level `name:` in lower_snake case "
      "(a line like `name: shop`); it decides where the generated files go.")
  endif()
  set(${out_var} "${name}" PARENT_SCOPE)
endfunction()

function(keyspace_generate target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "SCHEMA;SERVICE;OUTPUT_DIR;DOCS;ACL" "ACL_OPTIONS")
  if(arg_UNPARSED_ARGUMENTS)
    list(JOIN arg_UNPARSED_ARGUMENTS " " unknown)
    message(FATAL_ERROR "keyspace_generate(${target}): unknown arguments: ${unknown}\n"
      "usage: keyspace_generate(<target> SCHEMA <file> [SERVICE <name>] [OUTPUT_DIR <dir>] [DOCS <dir>] "
      "[ACL <file> [ACL_OPTIONS <option>...]])")
  endif()
  if(arg_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR
      "keyspace_generate(${target}): ${arg_KEYWORDS_MISSING_VALUES} needs a value")
  endif()
  if(NOT arg_SCHEMA)
    message(FATAL_ERROR "keyspace_generate(${target}): SCHEMA <file> is required")
  endif()
  if(TARGET ${target})
    message(FATAL_ERROR "keyspace_generate(${target}): a target named ${target} already exists")
  endif()
  if(NOT TARGET Keyspace::keyspace OR NOT TARGET Keyspace::runtime)
    message(FATAL_ERROR "keyspace_generate(${target}): the targets Keyspace::keyspace and "
      "Keyspace::runtime are not defined here; call find_package(Keyspace) or "
      "add_subdirectory(<keyspace source dir>) first")
  endif()

  get_filename_component(schema "${arg_SCHEMA}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${schema}" OR IS_DIRECTORY "${schema}")
    message(FATAL_ERROR "keyspace_generate(${target}): schema file ${schema} does not exist")
  endif()
  # The schema name is read at configure time, so editing the schema must re-run CMake.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${schema}")
  # The generator runs in the source directory with the schema's path relative to it, so the
  # banners of the outputs name the schema the same way in every build directory.
  file(RELATIVE_PATH schema_arg "${CMAKE_CURRENT_SOURCE_DIR}" "${schema}")

  if(arg_OUTPUT_DIR)
    get_filename_component(output_dir "${arg_OUTPUT_DIR}" ABSOLUTE
      BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  else()
    set(output_dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_keyspace")
  endif()
  _keyspace_generated_paths(${target} "${schema}" "${schema_arg}" "${output_dir}" header source)
  get_filename_component(schema_name "${header}" DIRECTORY)
  get_filename_component(schema_name "${schema_name}" NAME)
  # The generator rewrites a file only when its content changes, so the generated files may keep
  # old timestamps; the stamp records that generation ran.
  set(stamp "${CMAKE_CURRENT_BINARY_DIR}/${target}_keyspace.stamp")

  set(service_args "")
  set(view "")
  if(arg_SERVICE)
    set(service_args --service "${arg_SERVICE}")
    set(view " (view of service ${arg_SERVICE})")
  endif()

  # The namespace pages' names are known only to the generator; the fixed names are declared.
  set(docs_command "")
  set(docs_byproducts "")
  if(arg_DOCS)
    get_filename_component(docs_dir "${arg_DOCS}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
    set(docs_command COMMAND Keyspace::keyspace docs "${schema_arg}" -o "${docs_dir}")
    set(docs_byproducts "${docs_dir}/index.md" "${docs_dir}/types.md" "${docs_dir}/index.html")
  endif()

  set(acl_command "")
  set(acl_byproducts "")
  if(arg_ACL)
    get_filename_component(acl_file "${arg_ACL}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
    set(acl_command COMMAND Keyspace::keyspace acl "${schema_arg}" --output "${acl_file}" ${arg_ACL_OPTIONS})
    set(acl_byproducts "${acl_file}")
  elseif(arg_ACL_OPTIONS)
    message(FATAL_ERROR "keyspace_generate(${target}): ACL_OPTIONS without ACL <file>")
  endif()

  add_custom_command(
    OUTPUT "${stamp}"
    BYPRODUCTS "${header}" "${source}" ${docs_byproducts} ${acl_byproducts}
    COMMAND Keyspace::keyspace generate "${schema_arg}" -o "${output_dir}" ${service_args}
    ${docs_command}
    ${acl_command}
    COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
    DEPENDS "${schema}" Keyspace::keyspace
    WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
    COMMENT "Generating keyspace ${schema_name}${view} for ${target}"
    VERBATIM)

  add_library(${target} STATIC "${source}" "${header}" "${stamp}")
  target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${output_dir}>")
  target_link_libraries(${target} PUBLIC Keyspace::runtime)
  target_compile_features(${target} PUBLIC cxx_std_17)
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()
