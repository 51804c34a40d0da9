#!/usr/bin/env bash
# The GitHub Action's steps (scripts/github-action, which action.yml runs) against a throwaway git
# repository, and the pre-commit hooks of .pre-commit-hooks.yaml: their definitions validated and
# their commands run.
#   integrations_test.sh KEYSPACE_BINARY SOURCE_DIR WORK_DIR
set -euo pipefail
keyspace="$1" source="$2" work="$3"
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/repo"
cd "$work/repo"
git init -q -b main .
git -c user.name=t -c user.email=t@example.com commit -q --allow-empty -m empty
cp "$source/examples/shop/keyspace.yaml" keyspace.yaml
git add keyspace.yaml
git -c user.name=t -c user.email=t@example.com commit -q -m schema

echo "== the action on an unchanged, clean schema: exit 0"
KEYSPACE="$keyspace" SCHEMA=keyspace.yaml BASE=HEAD GITHUB_STEP_SUMMARY="$work/summary.md" \
  "$source/scripts/github-action" >"$work/clean.log" 2>&1 || { cat "$work/clean.log"; fail "clean run failed"; }
grep -q '::group::keyspace check keyspace.yaml' "$work/clean.log" || fail "no check step"

echo "== a breaking change (a key removed): the report in the summary, exit 1"
python3 - <<'PY'
text = open("keyspace.yaml").read()
start = text.index("      wishlist:")
end = text.index("  checkout:", start)
open("keyspace.yaml", "w").write(text[:start] + text[end:])
PY
set +e
KEYSPACE="$keyspace" SCHEMA=keyspace.yaml BASE=HEAD GITHUB_STEP_SUMMARY="$work/summary.md" \
  "$source/scripts/github-action" >"$work/breaking.log" 2>&1
status=$?
set -e
cat "$work/breaking.log"
((status == 1)) || fail "a breaking change exited $status, not 1"
grep -q 'cart.wishlist' "$work/summary.md" || fail "the summary does not name the removed key"

echo "== a schema error and a formatting change: annotations, exit 1"
printf 'keyspace: 1\nname: broken\nnamespaces: {a: {keys: {k: {key: "a:{x}", value: string, ttl: 1h}}}}\n' >broken.yaml
set +e
KEYSPACE="$keyspace" SCHEMA=broken.yaml "$source/scripts/github-action" >"$work/broken.log" 2>&1
status=$?
set -e
((status == 1)) || fail "a broken schema exited $status"
grep -q '^::error file=broken.yaml,line=' "$work/broken.log" || { cat "$work/broken.log"; fail "no located annotation"; }
grep -q 'not in canonical form' "$work/broken.log" || fail "fmt --check did not report"

echo "== .pre-commit-hooks.yaml: valid definitions, and their commands run"
mkdir -p "$work/bin"
ln -sf "$keyspace" "$work/bin/keyspace"
cp "$source/examples/shop/keyspace.yaml" "$work/hooked.yaml"
PATH="$work/bin:$PATH" python3 - "$source/.pre-commit-hooks.yaml" "$work/hooked.yaml" <<'PY'
import re, shlex, subprocess, sys
hooks = __import__("yaml").safe_load(open(sys.argv[1]))
assert isinstance(hooks, list) and {h["id"] for h in hooks} == {"keyspace-check", "keyspace-fmt"}, hooks
for hook in hooks:
    for field in ("id", "name", "entry", "language", "files"):
        assert isinstance(hook.get(field), str) and hook[field], (hook, field)
    assert hook["language"] == "system", hook
    files = re.compile(hook["files"])
    for path in ("keyspace.yaml", "redis/keyspace.yml"):
        assert files.search(path), (hook["id"], path)
    for path in ("other.yaml", "keyspace.yaml.bak"):
        assert not files.search(path), (hook["id"], path)
    before = open(sys.argv[2]).read()
    done = subprocess.run(shlex.split(hook["entry"]) + [sys.argv[2]], capture_output=True, text=True)
    assert done.returncode == 0, (hook["id"], done.stdout, done.stderr)
    assert open(sys.argv[2]).read() == before, hook["id"] + " changed a formatted schema"
    print(hook["id"], "ok")
PY
echo "integrations: OK"
