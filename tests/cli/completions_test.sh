#!/usr/bin/env bash
# The bash completion (completions/keyspace.bash) against the CLI itself: every subcommand of
# `keyspace --help` is offered, every option of `keyspace <command> --help` is offered for that
# command and nothing else, and closed values complete. The zsh one is checked for syntax (zsh
# when installed) and for naming the same options.
#   completions_test.sh KEYSPACE_BINARY SOURCE_DIR
set -euo pipefail
keyspace="$1" source="$2"
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
# shellcheck source=/dev/null
source "$source/completions/keyspace.bash"

complete_line() {  # the words of a command line, the last one being completed
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  _keyspace
  printf '%s\n' "${COMPREPLY[@]}" | sort
}

commands="$(complete_line keyspace '' | grep -v '^--' | tr '\n' ' ')"
for command in check generate docs export fmt diff acl audit init; do
  [[ " $commands " == *" $command "* ]] || fail "subcommand $command not offered: $commands"
  "$keyspace" --help | grep -qE "^  $command( |$)" || fail "keyspace --help has no $command"
  expected="$("$keyspace" "$command" --help | grep -oE '^\s+(-[a-z],)?--[a-z-]+' | sed 's/^ *//; s/^-[a-z],//' | sort | tr '\n' ' ')"
  offered="$(complete_line keyspace "$command" -- | tr '\n' ' ')"
  [[ "$offered" == "$expected" ]] || fail "$command: completion offers '$offered', --help lists '$expected'"
  for option in $expected; do
    grep -q -- "$option" "$source/completions/_keyspace" || [[ "$option" == --help ]] \
      || fail "zsh completion lacks $command $option"
  done
done
[[ "$(complete_line keyspace check --format s | tr '\n' ' ')" == "sarif " ]] || fail "check --format s"
[[ "$(complete_line keyspace audit --format p | tr '\n' ' ')" == "prometheus " ]] || fail "audit --format p"
[[ "$(complete_line keyspace acl --format c | tr '\n' ' ')" == "commands " ]] || fail "acl --format c"
if command -v zsh >/dev/null 2>&1; then zsh -n "$source/completions/_keyspace" || fail "zsh syntax"; fi
echo "completions: OK"
