#!/usr/bin/env python3
"""schemas/keyspace.schema.json the way an editor uses it: yaml-language-server (the npm package
scripts/setup installs into a cache folder) driven over stdio with the Language Server Protocol.
Completion at a new key's `kind:` offers the kinds, hover on `ttl` shows its description, an
invalid value is a diagnostic on its line; and, without the server, every description has a
Markdown one with an example, and each key snippet is a key `keyspace check` accepts.

  language_server_test.py KEYSPACE_BINARY SOURCE_DIR WORK_DIR
Exits 77 (skipped) when yaml-language-server is not installed.
"""
import json, os, pathlib, re, shutil, subprocess, sys, time

keyspace, source, work = sys.argv[1], pathlib.Path(sys.argv[2]).resolve(), pathlib.Path(sys.argv[3]).resolve()
schema_path = source / "schemas" / "keyspace.schema.json"
schema = json.loads(schema_path.read_text())
failures = []

def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok: failures.append(what)

# --- the schema itself ------------------------------------------------------------------------
def walk(node, path, out):
    if isinstance(node, dict):
        if isinstance(node.get("description"), str): out.append((path, node))
        for k, v in node.items():
            if k != "defaultSnippets": walk(v, path + "/" + k, out)
    elif isinstance(node, list):
        for i, v in enumerate(node): walk(v, f"{path}/{i}", out)
described = []
walk(schema, "", described)
check(schema.get("$id", "").startswith("urn:keyspace:"), "the schema has an $id")
missing = [p for p, n in described if not n.get("markdownDescription", "").startswith(n["description"])
           or "```yaml\n" not in n.get("markdownDescription", "")]
check(not missing, f"all {len(described)} descriptions have a Markdown description with an example {missing[:3]}")

snippets = schema["definitions"]["key"].get("defaultSnippets", [])
kinds = [s["body"].get("kind") for s in snippets]
check(sorted(kinds) == sorted(["value", "counter", "flag", "hash", "set", "sorted_set", "list", "stream", "hyperloglog", "presence", "geo", "cache",
                               "session", "rate_limit", "lock", "queue", "channel"]), "a key snippet for every kind")
def unplaceholder(value):
    if isinstance(value, dict): return {unplaceholder(k): unplaceholder(v) for k, v in value.items()}
    if isinstance(value, str): return re.sub(r"\$\{\d+:([^}]*)\}", r"\1", value)
    return value
work.mkdir(parents=True, exist_ok=True)
keys = {f"{s['body']['kind']}_key": unplaceholder(s["body"]) for s in snippets}
for name, body in keys.items():  # one namespace, so the templates must not collide: each its own prefix
    if "key" in body: body["key"] = body["key"].replace("ns:", f"ns:{name}:", 1)
    if "channel" in body: body["channel"] = body["channel"].replace("ns:", f"ns:{name}:", 1)
snippet_schema = {"keyspace": 1, "name": "snippets", "services": {"app": {"description": "owner"}},
                  "namespaces": {"ns": {"owner": "app", "keys": keys}}}
(work / "snippets.yaml").write_text(json.dumps(snippet_schema, indent=2))
done = subprocess.run([keyspace, "check", str(work / "snippets.yaml")], capture_output=True, text=True)
check(done.returncode == 0, "every key snippet checks clean: " + done.stdout + done.stderr)

# --- yaml-language-server over stdio -----------------------------------------------------------
cache = pathlib.Path(os.environ.get("XDG_CACHE_HOME", pathlib.Path.home() / ".cache")) / "keyspace" / "npm"
server = shutil.which("yaml-language-server") or str(cache / "node_modules" / ".bin" / "yaml-language-server")
if not os.access(server, os.X_OK):
    print(f"skipped: yaml-language-server is not installed ({server}); scripts/setup installs it with npm")
    sys.exit(77 if not failures else 1)

proc = subprocess.Popen([server, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
ids = iter(range(1, 1000))

def send(message):
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()

def receive():
    length = 0
    while True:
        line = proc.stdout.readline()
        if not line: raise RuntimeError("the server closed its output")
        if line in (b"\r\n", b"\n"): break
        if line.lower().startswith(b"content-length:"): length = int(line.split(b":")[1])
    return json.loads(proc.stdout.read(length))

pending_notifications = []
def request(method, params, timeout=30):
    number = next(ids)
    send({"id": number, "method": method, "params": params})
    deadline = time.time() + timeout
    while time.time() < deadline:
        message = receive()
        if message.get("id") == number and "method" not in message: return message.get("result")
        if "method" in message and "id" in message:  # a request of the server's: answer it
            send({"id": message["id"], "result": [None] * len(message["params"]["items"])
                  if message["method"] == "workspace/configuration" else None})
        elif "method" in message: pending_notifications.append(message)
    raise RuntimeError(f"no answer to {method}")

def diagnostics_for(uri, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for message in pending_notifications:
            if message["method"] == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri \
               and message["params"]["diagnostics"]:
                return message["params"]["diagnostics"]
        pending_notifications.clear()
        message = receive()
        if "method" in message and "id" in message:
            send({"id": message["id"], "result": None})
        elif "method" in message:
            pending_notifications.append(message)
    return []

try:
    root = work.as_uri()
    request("initialize", {"processId": os.getpid(), "rootUri": root, "capabilities": {
        "textDocument": {"completion": {"completionItem": {"snippetSupport": True}},
                         "hover": {"contentFormat": ["markdown", "plaintext"]}}}})
    send({"method": "initialized", "params": {}})
    send({"method": "workspace/didChangeConfiguration", "params": {"settings": {"yaml": {
        "validate": True, "hover": True, "completion": True, "schemaStore": {"enable": False},
        "schemas": {schema_path.as_uri(): "*.yaml"}}}}})
    # The example's modeline names the schema relative to the example; here, by its absolute path.
    text = (source / "examples" / "shop" / "keyspace.yaml").read_text()
    text = re.sub(r"^# yaml-language-server: \$schema=.*$", f"# yaml-language-server: $schema={schema_path}", text,
                  count=1, flags=re.M)
    lines = text.split("\n")
    # A new key after the first key of the first namespace, its kind still to be typed.
    at = next(i for i, l in enumerate(lines) if l.startswith("        kind: value"))
    lines.insert(at + 2, "      fresh:\n        description: new\n        key: profile:fresh:{id}\n"
                         "        params: {id: int64}\n        kind: ")
    edited = "\n".join(lines).split("\n")
    kind_line = next(i for i, l in enumerate(edited) if l == "        kind: ")
    uri = (work / "keyspace.yaml").as_uri()
    send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": "\n".join(edited)}}})
    completion = request("textDocument/completion", {"textDocument": {"uri": uri},
                                                     "position": {"line": kind_line, "character": 14}})
    items = completion["items"] if isinstance(completion, dict) else completion or []
    labels = {i["label"] for i in items}
    check({"cache", "lock", "rate_limit", "channel"} <= labels, f"completion at kind: offers the kinds {sorted(labels)[:8]}")

    ttl_line = next(i for i, l in enumerate(edited) if l.strip().startswith("ttl: 2h"))
    hover = request("textDocument/hover", {"textDocument": {"uri": uri},
                                           "position": {"line": ttl_line, "character": edited[ttl_line].index("ttl") + 1}})
    contents = json.dumps(hover)
    check("Time to live" in contents, "hover on ttl shows its description: " + contents[:120])

    bad = text.replace("encoding: json}", "encoding: yaml}", 1)
    bad_line = next(i for i, l in enumerate(bad.split("\n")) if "encoding: yaml" in l)
    bad_uri = (work / "bad.yaml").as_uri()
    send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": bad_uri, "languageId": "yaml", "version": 1, "text": bad}}})
    found = diagnostics_for(bad_uri)
    lines_hit = {d["range"]["start"]["line"] for d in found}
    check(bad_line in lines_hit, f"an invalid encoding is a diagnostic on line {bad_line + 1}: {found}")
    request("shutdown", None)
    send({"method": "exit"})
finally:
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
sys.exit(1 if failures else 0)
