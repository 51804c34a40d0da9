# `keyspace diff NEW --against REV`: builds a throwaway git repository in WORK whose commit holds
# CASE/old.yaml as sub/keyspace.yaml, puts CASE/new.yaml in its place in the working tree, and
# checks that the report compares the two (old side named `HEAD:sub/keyspace.yaml`), that an
# unknown revision is a usage error (exit 2), and that a file outside any repository is one too.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/repo/sub")

function(run)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${WORK}/repo" RESULT_VARIABLE rc OUTPUT_VARIABLE out
    ERROR_VARIABLE err)
  set(rc "${rc}" PARENT_SCOPE)
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

function(git)
  run(git ${ARGN})
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "git ${ARGN} failed: ${err}")
  endif()
endfunction()

git(init -q)
git(config user.name "keyspace tests")
git(config user.email "tests@keyspace.invalid")
file(COPY_FILE "${CASE}/old.yaml" "${WORK}/repo/sub/keyspace.yaml")
git(add sub/keyspace.yaml)
git(commit -q -m "old schema")
file(COPY_FILE "${CASE}/new.yaml" "${WORK}/repo/sub/keyspace.yaml")

# Run from another directory: the path inside the repository comes from git, not from the cwd.
execute_process(COMMAND "${KEYSPACE}" diff repo/sub/keyspace.yaml --against HEAD WORKING_DIRECTORY "${WORK}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("diff --against HEAD -> ${rc}\n${out}${err}")
if(NOT rc EQUAL 1 OR NOT out MATCHES "`HEAD:sub/keyspace.yaml` → `repo/sub/keyspace.yaml`" OR NOT out MATCHES "KD2001")
  message(FATAL_ERROR "expected exit 1 and a KD2001 finding against HEAD:sub/keyspace.yaml")
endif()

run("${KEYSPACE}" diff sub/keyspace.yaml --against no-such-revision)
message("diff --against no-such-revision -> ${rc}\n${out}${err}")
if(NOT rc EQUAL 2 OR NOT err MATCHES "cannot read 'no-such-revision:sub/keyspace.yaml'")
  message(FATAL_ERROR "expected exit 2 and a clear error for an unknown revision")
endif()

# The build tree may itself sit inside a git checkout, so "outside" is a fresh temporary directory.
execute_process(COMMAND mktemp -d OUTPUT_VARIABLE outside OUTPUT_STRIP_TRAILING_WHITESPACE)
file(COPY_FILE "${CASE}/new.yaml" "${outside}/keyspace.yaml")
execute_process(COMMAND "${KEYSPACE}" diff keyspace.yaml --against HEAD WORKING_DIRECTORY "${outside}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(REMOVE_RECURSE "${outside}")
message("diff outside a repository -> ${rc}\n${out}${err}")
if(NOT rc EQUAL 2 OR NOT err MATCHES "not inside a git repository")
  message(FATAL_ERROR "expected exit 2 outside a git repository")
endif()
