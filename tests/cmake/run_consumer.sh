#!/usr/bin/env bash
# Builds one of the out-of-tree consumer projects of this directory against keyspace and runs it
# against a real redis-server on a free loopback port.
#
#   run_consumer.sh MODE KEY=VALUE...
#   MODE             find_package: install the main build to a temporary prefix, then
#                    find_package(Keyspace) from there; add_subdirectory: build keyspace from
#                    source inside the consumer's build; deb: `cpack -G DEB` of the main build,
#                    dpkg -i into this machine, find_package without a prefix, then dpkg -r
#                    (exits 77, skipped, without root or when a keyspace package is installed).
#   source=DIR       the consumer project (this directory's find_package/ or add_subdirectory/)
#   work=DIR         scratch directory, wiped first
#   keyspace_source=DIR, keyspace_build=DIR   the keyspace tree under test and its build
#   cxx=PATH         C++ compiler of the main build
#   cxx_flags=FLAGS  extra compile and link flags (the sanitizer flags of a sanitized build)
#   sanitize=ON|OFF  KEYSPACE_SANITIZE of the main build; add_subdirectory passes it on
set -euo pipefail

mode="$1"
shift
source="" work="" keyspace_source="" keyspace_build="" cxx="" cxx_flags="" sanitize=OFF
for arg in "$@"; do
  case "$arg" in
    source=*|work=*|keyspace_source=*|keyspace_build=*|cxx=*|cxx_flags=*|sanitize=*)
      printf -v "${arg%%=*}" '%s' "${arg#*=}" ;;
    *) echo "run_consumer.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
for required in source work keyspace_source keyspace_build; do
  if [[ -z "${!required}" ]]; then
    echo "run_consumer.sh: $required=... is required" >&2
    exit 2
  fi
done

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
consumer_build="$work/build"

configure_args=(-S "$source" -B "$consumer_build" -DCMAKE_BUILD_TYPE=Release
                -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if command -v ninja >/dev/null 2>&1; then
  configure_args+=(-G Ninja)
fi
if [[ -n "$cxx" ]]; then
  configure_args+=("-DCMAKE_CXX_COMPILER=$cxx")
fi
if [[ -n "$cxx_flags" ]]; then
  configure_args+=("-DCMAKE_CXX_FLAGS=$cxx_flags" "-DCMAKE_EXE_LINKER_FLAGS=$cxx_flags")
fi

case "$mode" in
  find_package)
    prefix="$work/prefix"
    step "installing $keyspace_build to $prefix"
    cmake --install "$keyspace_build" --prefix "$prefix"
    for installed in bin/keyspace include/keyspace/client.hpp \
                     lib/cmake/Keyspace/KeyspaceConfig.cmake \
                     lib/cmake/Keyspace/KeyspaceConfigVersion.cmake \
                     lib/cmake/Keyspace/KeyspaceGenerate.cmake \
                     share/bash-completion/completions/keyspace share/zsh/vendor-completions/_keyspace; do
      [[ -e "$prefix/$installed" ]] || fail "the install has no $installed"
    done
    configure_args+=("-DCMAKE_PREFIX_PATH=$prefix")
    ;;
  add_subdirectory)
    configure_args+=("-DKEYSPACE_SOURCE_DIR=$keyspace_source" "-DKEYSPACE_SANITIZE=$sanitize")
    ;;
  deb)
    if ((EUID != 0)); then echo "consumer.deb: skipped, dpkg -i needs root"; exit 77; fi
    if dpkg-query -W -f='${Status}' keyspace 2>/dev/null | grep -q "install ok installed"; then
      echo "consumer.deb: skipped, a keyspace package is installed on this machine already"; exit 77
    fi
    step "cpack -G DEB of $keyspace_build"
    (cd "$keyspace_build" && cpack -G DEB -B "$work/package") || fail "cpack failed"
    deb="$(ls "$work"/package/keyspace_*.deb)"
    dpkg-deb -I "$deb" | grep -E '^ (Package|Version|Depends):'
    step "dpkg -i $deb"
    trap 'dpkg -r keyspace >/dev/null 2>&1 || true' EXIT
    dpkg -i "$deb" || fail "dpkg -i failed"
    for installed in /usr/bin/keyspace /usr/include/keyspace/client.hpp /usr/share/keyspace/keyspace.schema.json \
                     /usr/share/bash-completion/completions/keyspace; do
      [[ -e "$installed" ]] || fail "the package has no $installed"
    done
    pkg-config --exists keyspace || fail "pkg-config does not find the package's keyspace.pc"
    ;;
  *)
    echo "run_consumer.sh: MODE is find_package or add_subdirectory, not '$mode'" >&2
    exit 2
    ;;
esac

step "configuring the consumer: cmake ${configure_args[*]}"
cmake "${configure_args[@]}"
step "building the consumer"
cmake --build "$consumer_build" -j 2

case "$mode" in
  deb)
    keyspace_dir="$(sed -n 's/^Keyspace_DIR:PATH=//p' "$consumer_build/CMakeCache.txt")"
    [[ "$keyspace_dir" == /usr/lib/* ]] || fail "find_package(Keyspace) found $keyspace_dir, not the package's"
    ;;
  find_package)
    keyspace_dir="$(sed -n 's/^Keyspace_DIR:PATH=//p' "$consumer_build/CMakeCache.txt")"
    [[ "$keyspace_dir" == "$prefix/"* ]] \
      || fail "find_package(Keyspace) found $keyspace_dir, not the install in $prefix"
    for page in index.md types.md index.html; do
      [[ -s "$consumer_build/keyspace-docs/$page" ]] \
        || fail "keyspace_generate(... DOCS keyspace-docs) did not build $page"
    done
    ;;
  add_subdirectory)
    step "checking that keyspace's own tests and examples stay out of the consumer's build"
    for dir in tests examples; do
      [[ ! -e "$consumer_build/keyspace-build/$dir" ]] \
        || fail "keyspace's $dir/ was configured inside the consumer's build"
    done
    listing="$(cd "$consumer_build" && ctest -N)"
    echo "$listing"
    grep -q '^Total Tests: 0$' <<<"$listing" || fail "the consumer's build registers keyspace tests"
    ;;
esac

redis_pid=""
stop_redis() {
  if [[ -n "$redis_pid" ]]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
    redis_pid=""
  fi
}
trap 'stop_redis; if [[ "$mode" == deb ]]; then dpkg -r keyspace >/dev/null 2>&1 || true; fi' EXIT

# Starts redis-server on a free loopback port; sets redis_pid and redis_port. A port another
# process takes first makes our server exit, and we try the next one.
start_redis() {
  local attempt tick
  for attempt in $(seq 1 20); do
    redis_port=$((20000 + (RANDOM * 2 + attempt) % 40000))
    if (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null; then
      continue  # something listens there already
    fi
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
      --daemonize no --dir "$work" >"$work/redis.log" 2>&1 &
    redis_pid=$!
    for tick in $(seq 1 100); do
      if ! kill -0 "$redis_pid" 2>/dev/null; then
        wait "$redis_pid" 2>/dev/null || true
        redis_pid=""
        break
      fi
      if redis-cli -p "$redis_port" info server 2>/dev/null | tr -d '\r' \
          | grep -qx "process_id:$redis_pid"; then
        return 0
      fi
      sleep 0.1
    done
    stop_redis
  done
  cat "$work/redis.log" >&2 || true
  fail "could not start redis-server on a free loopback port"
}

step "starting redis-server"
start_redis
echo "redis-server $redis_pid listens on 127.0.0.1:$redis_port"

run_consumer() {
  local output
  output="$("$1" "$redis_port")" || fail "$1 exited with $?: $output"
  echo "$output"
  [[ "$output" == "OK" ]] || fail "$1 printed '$output', expected OK"
}

step "running the consumer"
run_consumer "$consumer_build/consumer"

if [[ "$mode" == find_package ]]; then
  # Without CMake: the installed keyspace.pc, and a schema `keyspace init` wrote.
  step "building the consumer with pkg-config --cflags --libs keyspace"
  pc_dir="$(dirname "$(find "$prefix" -name keyspace.pc | head -1)")"
  [[ -n "$pc_dir" ]] || fail "the install has no keyspace.pc"
  flags="$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs keyspace)" || fail "pkg-config cannot use keyspace.pc"
  echo "pkg-config: $flags"
  plain="$work/pkg-config"
  "$prefix/bin/keyspace" generate "$source/../common/consumer.yaml" -o "$plain/generated" >/dev/null
  # shellcheck disable=SC2086  # the flags are words
  "${cxx:-c++}" -std=c++17 -O1 $cxx_flags -I "$plain/generated" "$source/../common/consumer.cpp" \
    "$plain/generated/consumer/keyspace.cpp" -o "$plain/consumer" $flags || fail "the pkg-config build failed"
  run_consumer "$plain/consumer"

  step "keyspace init: the starter schema checks clean and its generated code compiles"
  mkdir -p "$work/starter"
  "$prefix/bin/keyspace" init "$work/starter" || fail "keyspace init failed"
  "$prefix/bin/keyspace" check "$work/starter/keyspace.yaml" --werror || fail "the starter schema does not check clean"
  "$prefix/bin/keyspace" generate "$work/starter/keyspace.yaml" -o "$work/starter/generated" >/dev/null
  # shellcheck disable=SC2086
  "${cxx:-c++}" -std=c++17 $cxx_flags -Wall -Wextra -Werror -I "$work/starter/generated" \
    -c "$work/starter/generated/starter/keyspace.cpp" -o "$work/starter/keyspace.o" $(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags keyspace) \
    || fail "the starter schema's generated code does not compile"
fi
echo "consumer.$mode: OK"
