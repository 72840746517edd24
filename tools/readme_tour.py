#!/usr/bin/env python3
"""Rewrites the output of every `console` block in README.md with what the binary prints.

The README's tour is checked by tests/it/readme.rs, which runs each block the same way:
in a temporary folder holding `mine.csv`, with the debug binary first on PATH, colour left
to the terminal test (stdout is a pipe) and SOURCE_DATE_EPOCH fixed. After a change to the
data or the output, run `cargo build && python3 tools/readme_tour.py`, then read the diff:
the test proves the README and the binary agree, the diff shows whether the change is right.
"""
import os
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
MINE = (
    "place_id,name,start,end,lang,type,country,lat,lon,source,note\n"
    "my-hometown,Foo,1900,1950,en,village,RU,55.1,37.2,parish register,\n"
    "my-hometown,Bar,1950,,en,village,RU,55.1,37.2,parish register,\n"
)


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    binary = ROOT / "target" / "debug" / "gazetteer"
    if not binary.exists():
        print("build first: cargo build", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        (tmp / "mine.csv").write_text(MINE, encoding="utf-8")
        bindir = tmp / "bin"
        bindir.mkdir()
        (bindir / "gazetteer").symlink_to(binary)
        env = dict(os.environ)
        env["PATH"] = f"{bindir}:{env.get('PATH', '')}"
        env.pop("NO_COLOR", None)
        env["SOURCE_DATE_EPOCH"] = "1796083200"
        changed = 0

        def rerun(match: re.Match) -> str:
            nonlocal changed
            command, old = match.group(1), match.group(2)
            out = subprocess.run(
                ["bash", "-c", command], cwd=tmp, env=env, capture_output=True
            )
            new = out.stdout.decode("utf-8", "replace") + out.stderr.decode("utf-8", "replace")
            if out.returncode != 0:
                new += f"(exit {out.returncode})"
            if new != old:
                changed += 1
            return f"```console\n$ {command}\n{new}```"

        text = re.sub(r"```console\n\$ ([^\n]*)\n(.*?)```", rerun, text, flags=re.S)
    readme.write_text(text, encoding="utf-8")
    print(f"{changed} block(s) changed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
