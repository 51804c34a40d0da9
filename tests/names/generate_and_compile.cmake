# Generated code compiles whatever names a schema uses, once `keyspace check` accepts them: every
# lower_snake identifier of the C++ templates becomes a parameter of a key of every kind, a key
# name and a namespace name. The names check rejects (KS0202) are left out, and the rest must
# generate and compile.
#   cmake -DKEYSPACE=... -DTEMPLATES=... -DSCHEMA_IN=... -DWORK=... -DCXX=... -DINCLUDE=... -P generate_and_compile.cmake
file(GLOB templates "${TEMPLATES}/*.mustache")
set(names "")
foreach(template IN LISTS templates)
  file(READ "${template}" text)
  string(REGEX REPLACE "{{[^}]*}}" " " text "${text}")
  string(REGEX MATCHALL "[a-z][a-z0-9_]*[a-z0-9]" words "${text}")
  list(APPEND names ${words})
endforeach()
list(REMOVE_DUPLICATES names)
set(keywords
  alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t char32_t class
  compl concept const consteval constexpr constinit const_cast continue co_await co_return co_yield decltype
  default delete do double dynamic_cast else enum explicit export extern false float for friend goto if inline
  int long mutable namespace new noexcept not not_eq nullptr operator or or_eq private protected public register
  reinterpret_cast requires return short signed sizeof static static_assert static_cast struct switch template
  this thread_local throw true try typedef typeid typename union unsigned using virtual void volatile wchar_t
  while xor xor_eq)
# The names the base schema itself declares.
list(REMOVE_ITEM names ${keywords} id user_id sku sid ip order_id queue shop_id board kinds names)
list(FILTER names EXCLUDE REGEX "__")

function(write_schema path)
  set(PARAMS "")
  set(SEGMENTS "")
  set(KEYS "")
  set(NAMESPACES "")
  foreach(name IN LISTS ARGN)
    string(APPEND PARAMS ", ${name}: int64")
    string(APPEND SEGMENTS ":{${name}}")
    string(APPEND KEYS "      ${name}: {key: \"names:${name}:{id}\", params: {id: int64}, value: string}\n")
    string(APPEND NAMESPACES "  ${name}: {keys: {note: {key: \"${name}:note:{id}\", params: {id: int64}, value: string}}}\n")
  endforeach()
  configure_file("${SCHEMA_IN}" "${path}" @ONLY)
endfunction()

file(MAKE_DIRECTORY "${WORK}")
write_schema("${WORK}/probe.yaml" ${names})
execute_process(COMMAND "${KEYSPACE}" check "${WORK}/probe.yaml" OUTPUT_VARIABLE out ERROR_VARIABLE out)
string(REGEX MATCHALL "error\\[KS0202\\]: (parameter|namespace|key) name '[a-z0-9_]+'" refused "${out}")
set(reserved "")
foreach(line IN LISTS refused)
  string(REGEX REPLACE ".*'([a-z0-9_]+)'" "\\1" name "${line}")
  list(APPEND reserved ${name})
endforeach()
list(REMOVE_DUPLICATES reserved)
if(reserved)
  list(REMOVE_ITEM names ${reserved})
endif()
list(LENGTH names count)
message(STATUS "${count} names used; reserved by KS0202: ${reserved}")

write_schema("${WORK}/every_name.yaml" ${names})
execute_process(COMMAND "${KEYSPACE}" generate "${WORK}/every_name.yaml" -o "${WORK}/out"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "keyspace generate failed on names check accepts:\n${out}")
endif()
foreach(std 17 20)
  execute_process(COMMAND "${CXX}" -std=c++${std} -fsyntax-only -fmax-errors=20
                          -I "${WORK}/out" -I "${INCLUDE}" "${WORK}/out/every_name/keyspace.cpp"
                  TIMEOUT 300 RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT status EQUAL 0)
    string(SUBSTRING "${out}" 0 6000 out)
    message(FATAL_ERROR "generated code of names check accepts does not compile as C++${std}:\n${out}")
  endif()
endforeach()
