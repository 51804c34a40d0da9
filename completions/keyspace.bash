# bash completion for keyspace: subcommands, their options, the values of closed options, and
# schema files (*.yaml, *.yml) or directories where a path goes. Installed to
# share/bash-completion/completions/keyspace; tests/cli/completions_test.sh checks it against
# `keyspace <command> --help`.

_keyspace_options() {
  case "$1" in
    check) echo "--help --format --color --werror" ;;
    generate) echo "--help --output --service --print-outputs --diagnostics-format --color --werror" ;;
    docs) echo "--help --output --diagnostics-format --color --werror" ;;
    export) echo "--help --format --diagnostics-format --color --werror" ;;
    fmt) echo "--help --check" ;;
    diff) echo "--help --against --format --allow" ;;
    acl) echo "--help --service --environment --format --redis-version --key-prefix --nopass --output --diagnostics-format --color --werror" ;;
    audit) echo "--help --redis --environment --budget --count --samples --rate --timeout --key-prefix --format --diagnostics-format --color --werror" ;;
    init) echo "--help --name" ;;
  esac
}

_keyspace_format_values() {
  case "$1" in
    check) echo "text json github sarif" ;;
    export) echo "json" ;;
    diff) echo "markdown json" ;;
    acl) echo "acl-file commands json" ;;
    audit) echo "text json markdown prometheus" ;;
  esac
}

_keyspace() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
  local commands="check generate docs export fmt diff acl audit init"
  if ((COMP_CWORD == 1)); then
    mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
    return
  fi
  local command="${COMP_WORDS[1]}"
  case "$prev" in
    --format) mapfile -t COMPREPLY < <(compgen -W "$(_keyspace_format_values "$command")" -- "$cur"); return ;;
    --diagnostics-format) mapfile -t COMPREPLY < <(compgen -W "text json github sarif" -- "$cur"); return ;;
    --color) mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur"); return ;;
    -o | --output) mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return ;;
    --service | --environment | --against | --allow | --redis-version | --redis | --budget | --count | --samples | --rate | --timeout | --key-prefix | --name) return ;;
  esac
  if [[ "$cur" == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_keyspace_options "$command")" -- "$cur")
  elif [[ "$command" == init ]]; then
    mapfile -t COMPREPLY < <(compgen -d -- "$cur")
  else
    mapfile -t COMPREPLY < <(compgen -f -X '!*.@(yaml|yml)' -- "$cur"; compgen -d -- "$cur")
  fi
}

complete -o filenames -F _keyspace keyspace
