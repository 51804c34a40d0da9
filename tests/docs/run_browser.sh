#!/usr/bin/env bash
# usage: run_browser.sh DOCS_DIR WORK_DIR
# Opens DOCS_DIR/index.html (the shop example's documentation) in headless Chromium, types into
# its search box and checks in the live DOM which key rows and namespace sections stay visible.
# Typing is real: key events sent through the DevTools protocol over --remote-debugging-pipe
# (NUL-terminated JSON on fds 3 and 4), so bash and Chromium are all it needs. Also checks the
# `?q=` link form with --dump-dom, and keeps a screenshot (docs-screenshot.png), the DOM and
# Chromium's log in WORK_DIR.
set -euo pipefail

docs="$(cd "$1" && pwd)"
work="$2"
chromium="${KEYSPACE_CHROMIUM:-$(command -v chromium || true)}"
if [[ -z "$chromium" ]]; then
  echo "run_browser.sh: chromium not found; scripts/setup installs it (Debian package chromium)" >&2
  exit 1
fi
rm -rf "$work"
mkdir -p "$work"
page="file://$docs/index.html"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# No network, no first-run work, a throwaway profile; every run is bounded.
browser() {
  timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" "$@" 2>>"$work/chromium.log"
}

mkfifo "$work/to_browser" "$work/from_browser"
browser --remote-debugging-pipe about:blank 3<"$work/to_browser" 4>"$work/from_browser" &
browser_pid=$!
exec 5>"$work/to_browser" 6<"$work/from_browser"
trap 'kill "$browser_pid" 2>/dev/null || true' EXIT

# call METHOD PARAMS_JSON [SESSION]: sends one DevTools command and sets `reply` to its answer
# (events that arrive in between are skipped).
last_id=0
reply=""
call() {
  last_id=$((last_id + 1))
  local session="" message
  [[ -n "${3:-}" ]] && session=",\"sessionId\":\"$3\""
  printf '{"id":%d,"method":"%s","params":%s%s}\0' "$last_id" "$1" "$2" "$session" >&5
  while IFS= read -r -d '' message <&6; do
    if [[ "$message" == "{\"id\":$last_id,"* ]]; then
      reply="$message"
      return
    fi
  done
  echo "run_browser.sh: Chromium closed the DevTools pipe (see $work/chromium.log)" >&2
  exit 1
}

field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" <<<"$reply"; }

# evaluate SESSION EXPRESSION: sets `value` to the expression's string value.
evaluate() {
  local expression="${2//\"/\\\"}"
  call Runtime.evaluate "{\"expression\":\"$expression\",\"returnByValue\":true}" "$1"
  value="$(field value)"
}

# What the page shows: "<visible row ids>|<visible section ids>|<match count text>".
state='["tr.key-row", "section.namespace"].map(s => Array.from(document.querySelectorAll(s + ":not([hidden])")).map(e => e.id).join(" ")).join("|") + "|" + document.getElementById("match-count").textContent'

# type_search TEXT EXPECTED_ROWS EXPECTED_SECTIONS EXPECTED_COUNT: opens the page in a new tab,
# types TEXT into the search box key by key and compares what the page then shows.
type_search() {
  local session target key i
  call Target.createTarget "{\"url\":\"$page\"}"
  target="$(field targetId)"
  call Target.attachToTarget "{\"targetId\":\"$target\",\"flatten\":true}"
  session="$(field sessionId)"
  for i in $(seq 100); do
    evaluate "$session" 'String(document.readyState === "complete" && document.getElementById("search") !== null)'
    [[ "$value" == true ]] && break
    sleep 0.1
  done
  evaluate "$session" 'document.getElementById("search").focus(), "focused"'
  for ((i = 0; i < ${#1}; i++)); do
    key="${1:i:1}"
    call Input.dispatchKeyEvent "{\"type\":\"keyDown\",\"key\":\"$key\",\"text\":\"$key\"}" "$session"
    call Input.dispatchKeyEvent "{\"type\":\"keyUp\",\"key\":\"$key\"}" "$session"
  done
  evaluate "$session" 'document.getElementById("search").value'
  [[ "$value" == "$1" ]] || fail "typed '$1', the search box holds '$value'"
  evaluate "$session" "$state"
  [[ "$value" == "$2|$3|$4" ]] || fail "typing '$1': the page shows [$value], expected [$2|$3|$4]"
  call Target.closeTarget "{\"targetId\":\"$target\"}"
}

all_rows="key-profile-user key-profile-role_by_email key-profile-preferences key-profile-recently_viewed key-profile-nearby"
all_rows+=" key-auth-session key-auth-revoked_token key-auth-online key-auth-login_attempts key-auth-api_calls"
all_rows+=" key-catalog-product key-catalog-bestsellers key-catalog-price_changes"
all_rows+=" key-cart-open key-cart-checkout_started key-cart-items key-cart-wishlist"
all_rows+=" key-checkout-order_lock key-checkout-order_events key-mail-order_emails"
all_rows+=" key-stats-page_views key-stats-unique_visitors key-stats-views_by_role key-stats-total_orders"
gateway_rows="key-profile-user key-profile-role_by_email key-profile-preferences key-profile-recently_viewed key-profile-nearby"
gateway_rows+=" key-auth-session key-auth-revoked_token key-auth-online key-auth-login_attempts key-auth-api_calls"
gateway_rows+=" key-catalog-product key-catalog-bestsellers key-catalog-price_changes"
gateway_rows+=" key-stats-page_views key-stats-unique_visitors key-stats-views_by_role key-stats-total_orders"
type_search "" "$all_rows" "ns-profile ns-auth ns-catalog ns-cart ns-checkout ns-mail ns-stats" "24 of 24 keys"
type_search "page_views" "key-stats-page_views" "ns-stats" "1 of 24 keys"
type_search "cart:checkout" "key-cart-checkout_started" "ns-cart" "1 of 24 keys"
type_search "gateway" "$gateway_rows" "ns-profile ns-auth ns-catalog ns-stats" "17 of 24 keys"
type_search "STATS orders" "key-stats-total_orders" "ns-stats" "1 of 24 keys"
type_search "no-such-key" "" "" "0 of 24 keys"
call Browser.close '{}'
wait "$browser_pid" || true

# A link with ?q= opens the page searched.
browser --dump-dom "$page?q=page_views" >"$work/dom.html"
grep -q '<tr class="key-row" id="key-stats-page_views" data-search="[^"]*">' "$work/dom.html" ||
  fail "?q=page_views: the page_views row is hidden"
[[ "$(grep -c '<tr class="key-row" [^>]*hidden=""' "$work/dom.html")" == 23 ]] ||
  fail "?q=page_views: expected the 23 other rows hidden"

# Self-contained: nothing is loaded from anywhere else.
if grep -Eq '<(link|img|iframe)[ >]|<script [^>]*src=|(src|href)="(https?:)?//' "$docs/index.html"; then
  fail "index.html refers to external assets"
fi

browser --screenshot="$work/docs-screenshot.png" --window-size=1280,900 "$page?q=gateway" >/dev/null
[[ -s "$work/docs-screenshot.png" ]] || fail "no screenshot written"

if ((failures > 0)); then
  echo "$failures check(s) failed; the DOM and chromium.log are in $work" >&2
  exit 1
fi
echo "docs.browser: all checks passed; screenshot: $work/docs-screenshot.png"
