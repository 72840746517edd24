#!/usr/bin/env python3
"""Prints the size of every section of gazetteer stores (#17: what makes a store big).

    python3 bench/sections.py STORE...

Reads only the envelope (`src/store/format.rs`): the prelude's footer offset, then the
footer's section table. Section names follow `crates/core/src/store/places.rs` (kind 2,
`.snap`, the one store since session 16), and those of the row indexes that earlier
versions kept (kind 1, `.idx`).
"""
import os
import struct
import sys

NAMES = {
    1: ["stamp", "header", "place starts", "rows", "folded keys", "ids",
        "near: entries", "near: keys", "near: places"],
    2: ["records", "record offsets", "shared strings", "tier folded", "tier bare",
        "tier translit", "tier variant", "near: entries", "near: keys", "near: places"],
}


def main():
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            prelude = f.read(64)
            if prelude[:8] != b"GZSTORE\0":
                print(f"{path}: not a store")
                continue
            version, kind = struct.unpack_from("<II", prelude, 8)
            footer = struct.unpack_from("<Q", prelude, 56)[0]
            f.seek(footer)
            (n,) = struct.unpack("<Q", f.read(8))
            table = [struct.unpack("<QQ", f.read(16)) for _ in range(n)]
        total = os.path.getsize(path)
        print(f"{path}: format {version}, kind {kind}, {total / 1e6:.1f} MB")
        names = NAMES.get(kind, [])
        for i, (_, length) in enumerate(table):
            name = names[i] if i < len(names) else f"section {i}"
            print(f"  {i:2} {name:16} {length / 1e6:9.1f} MB {100 * length / total:5.1f}%")


if __name__ == "__main__":
    main()
