#!/usr/bin/env python3
"""Writes the synthetic schemas of the generator and compile-cost benchmarks.

  gen_schemas.py OUT_DIR N [N ...]

For each N: OUT_DIR/synth_<N>.yaml, a keyspace schema of N keys of the value kind spread over
namespaces of 50 keys, each key storing its own small struct (3 fields). For N = 1000 it also
writes OUT_DIR/synth_1000.fbs, the FlatBuffers equivalent: one table per struct, same fields,
so that `keyspace generate` and `flatc --cpp` compile the same amount of declared data.
"""
import pathlib
import sys

KEYS_PER_NAMESPACE = 50


def keyspace_schema(n: int) -> str:
    lines = [
        "# Synthetic benchmark schema, written by bench/gen_schemas.py. Do not edit.",
        "keyspace: 1",
        f"name: synth_{n}",
        "defaults: {ttl: 1h, encoding: json}",
        "types:",
    ]
    for i in range(n):
        lines += [
            f"  Record{i}:",
            "    fields:",
            "      id: int64",
            "      name: string",
            "      note: {type: string, optional: true}",
        ]
    lines.append("namespaces:")
    for i in range(n):
        if i % KEYS_PER_NAMESPACE == 0:
            ns = f"ns{i // KEYS_PER_NAMESPACE}"
            lines += [f"  {ns}:", "    keys:"]
        lines += [
            f"      item{i}:",
            f"        key: {ns}:item{i}:{{id}}",
            "        params: {id: int64}",
            "        kind: value",
            f"        value: Record{i}",
        ]
    return "\n".join(lines) + "\n"


def flatbuffers_schema(n: int) -> str:
    lines = ["// Synthetic benchmark schema, written by bench/gen_schemas.py. Do not edit.",
             f"namespace synth_{n};", ""]
    for i in range(n):
        # A FlatBuffers string field is optional by nature; `note` mirrors the optional field.
        lines.append(f"table Record{i} {{ id: long; name: string; note: string; }}")
    lines += ["", f"root_type Record0;"]
    return "\n".join(lines) + "\n"


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for n in map(int, sys.argv[2:]):
        (out / f"synth_{n}.yaml").write_text(keyspace_schema(n))
        if n == 1000:
            (out / f"synth_{n}.fbs").write_text(flatbuffers_schema(n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
