#!/usr/bin/env python3
"""Scale benchmark (issue #4): gazetteer against its peers on the same files, in one run.

    python3 bench/compare.py [PLACES] [QUERIES] [GEN OPTIONS]   (default 1000000 1000000)

GEN OPTIONS go to bench/gen.py (`--homonyms 0.3 --misses 0.1 --variants 0.05` makes data
shaped like #17's held-out data: about 45% of the query rows name a name several places
bore, 10% miss).

1. builds the release binary;
2. generates bench/out/places.csv and queries.csv (bench/gen.py) unless they exist
   with the requested sizes;
3. installs DuckDB (PyPI `duckdb`) into bench/out/venv;
4. times, with /usr/bin/time -v (wall time, peak resident memory):
   - `gazetteer resolve` over all queries (first run, which writes the resolve cache; then
     with the cache; then with --no-cache)  vs  DuckDB doing the same resolution as a SQL
     join (case-insensitive name equality, then the name whose [start, end) holds the date),
     reading both CSVs (cold) and against a table it persisted once (warm);
   - `gazetteer lookup` and `at` of one name with --data  vs  `grep -ciF NAME places.csv | cat`
     (into a pipe: into /dev/null, GNU grep stops at the first match), and the same name
     misspelt (a letter dropped: no place, suggestions), three rounds in turn;
   - the size of the stores against the CSV's;
   - `gazetteer at 1958 Volgograd` on the built-in data.
A benchmark, not a test: it prints figures and ratios and never fails on them.
"""
import csv
import os
import re
import shutil
import time
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
EXE = os.path.join(ROOT, "target", "release", "gazetteer")

DUCKDB_SQL = r"""
import duckdb, os, sys
# A .duckdb file as the first argument: join against the table persisted there (warm);
# else read the places CSV (cold).
persisted = sys.argv[1].endswith(".duckdb")
con = duckdb.connect(sys.argv[1] if persisted else ":memory:", read_only=persisted)
day = lambda col: f"TRY_CAST(rpad(regexp_replace(replace({col}, 'X', '0'), '[~?%]', '', 'g'), 10, '-01-01') AS DATE)"
if not persisted:
    con.execute("CREATE TABLE p AS SELECT * FROM read_csv(?, header=true, all_varchar=true)", [sys.argv[1]])
con.execute("CREATE TEMP TABLE q AS SELECT * FROM read_csv(?, header=true, all_varchar=true)", [sys.argv[2]])
con.execute(f'''
COPY (
  WITH m AS (
    SELECT DISTINCT q.id, p.place_id
    FROM q JOIN p ON lower(p.name) = lower(q.name)
  ),
  d AS (SELECT id, {day('date')} AS qday FROM q)
  SELECT q.id, q.name, q.date, m.place_id, n.name AS gz_name
  FROM q
  LEFT JOIN m ON m.id = q.id
  LEFT JOIN d ON d.id = q.id
  LEFT JOIN p n ON n.place_id = m.place_id
    AND ({day('n.start')} IS NULL OR {day('n.start')} <= d.qday)
    AND ({day('n."end"')} IS NULL OR d.qday < {day('n."end"')})
  ORDER BY CAST(q.id AS BIGINT)
) TO '{sys.argv[3]}' (HEADER, DELIMITER ',')
''')
"""


def run(label, cmd, stdout=subprocess.DEVNULL, env=None):
    # Wall time from here (to the microsecond: /usr/bin/time rounds to 10 ms), memory from
    # /usr/bin/time -v.
    started = time.perf_counter()
    res = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=stdout, stderr=subprocess.PIPE, text=True, env=env)
    seconds = time.perf_counter() - started
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr).group(1))
    if res.returncode not in (0, 1):
        print(f"  {label}: exit {res.returncode}\n{res.stderr[-2000:]}")
    print(f"  {label:66} {seconds:8.3f} s {peak_kb / 1024:9.1f} MB")
    return seconds, peak_kb


def count_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return sum(1 for _ in f) - 1


DUCKDB_PERSIST = r"""
import duckdb, sys
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE p AS SELECT * FROM read_csv(?, header=true, all_varchar=true)", [sys.argv[1]])
"""


def main():
    # Before anything else: passed on to gen.py, `--help` printed gen.py's usage, ran the
    # whole benchmark, and left a stamp that made the next run generate the data again.
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        print(__doc__)
        return
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    places = int(args[0]) if len(args) > 0 else 1_000_000
    queries = int(args[1]) if len(args) > 1 else 1_000_000
    gen_options = [a for a in sys.argv[1:] if a not in args[:2]]
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    pfile, qfile = os.path.join(OUT, "places.csv"), os.path.join(OUT, "queries.csv")
    stamp = os.path.join(OUT, "sizes")
    wanted = f"{places} {queries} {' '.join(gen_options)}".strip()
    if not (os.path.exists(stamp) and open(stamp).read() == wanted):
        print(f"generating {places} places and {queries} queries ...")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), str(places), str(queries), OUT] + gen_options, check=True)
        open(stamp, "w").write(wanted)
    venv = os.path.join(OUT, "venv")
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([py, "-m", "pip", "install", "--quiet", "duckdb"], check=True)
    script = os.path.join(OUT, "duckdb_resolve.py")
    open(script, "w").write(DUCKDB_SQL)
    persist = os.path.join(OUT, "duckdb_persist.py")
    open(persist, "w").write(DUCKDB_PERSIST)
    db = os.path.join(OUT, "places.duckdb")

    size_mb = os.path.getsize(pfile) / 1e6
    print(f"data: {count_rows(pfile)} name rows ({size_mb:.0f} MB), {count_rows(qfile)} queries; "
          f"{os.cpu_count()} cores; duckdb {subprocess.run([py, '-c', 'import duckdb; print(duckdb.__version__)'], capture_output=True, text=True).stdout.strip()}")
    with open(qfile, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        next(rows)
        name = next(rows)[1]

    print("resolve (all queries):")
    # The resolve cache of the data is kept here, and made anew by the first run.
    cache = os.path.join(OUT, "cache")
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, GAZETTEER_CACHE_DIR=cache)
    resolve = [EXE, "--no-default-data", "--data", pfile, "resolve", qfile, "--name-column", "name", "--date-column", "date"]
    out = os.path.join(OUT, "gazetteer_out.csv")
    # This VM's speed drifts from minute to minute: the runs are timed in turn, three
    # times each, and the medians compared.
    firsts, creates, g_runs, dw_runs, cold, dc_runs = [], [], [], [], [], []
    dout = os.path.join(OUT, "duckdb_out.csv")
    for _ in range(3):
        shutil.rmtree(cache, ignore_errors=True)
        firsts.append(run("gazetteer resolve (first run: reads the data, writes the store)", resolve, stdout=open(out, "w"), env=env))
        if os.path.exists(db):
            os.remove(db)
        creates.append(run("duckdb CREATE TABLE from the CSV (persisted)", [py, persist, pfile, db]))
    for _ in range(3):
        g_runs.append(run("gazetteer resolve (with the store)", resolve, stdout=open(out, "w"), env=env))
        dw_runs.append(run("duckdb join against the persisted table", [py, script, db, qfile, dout]))
        cold.append(run("gazetteer resolve --no-cache", [EXE, "--no-cache"] + resolve[1:], stdout=open(out, "w")))
        dc_runs.append(run("duckdb join reading both CSVs", [py, script, pfile, qfile, dout]))
    med = lambda runs, i: sorted(r[i] for r in runs)[1]
    for label, g_, d_ in (("warm (store vs persisted table)", g_runs, dw_runs),
                          ("cold (--no-cache vs reading both CSVs)", cold, dc_runs),
                          ("first run vs CREATE TABLE", firsts, creates)):
        g, d = (med(g_, 0), med(g_, 1)), (med(d_, 0), med(d_, 1))
        print(f"  {label}: gazetteer {g[0]:.2f} s, {g[1] / 1024:.0f} MB; duckdb {d[0]:.2f} s, "
              f"{d[1] / 1024:.0f} MB; gazetteer {d[0] / g[0]:.2f}x faster, {g[1] / d[1]:.2f}x the memory")
    sizes = {f: os.path.getsize(os.path.join(cache, f)) for f in os.listdir(cache)}
    print(f"  stores: {', '.join(f'{f[-4:]} {n / 1e6:.0f} MB' for f, n in sorted(sizes.items()))}; "
          f"CSV {os.path.getsize(pfile) / 1e6:.0f} MB; duckdb file {os.path.getsize(db) / 1e6:.0f} MB")

    print(f"single name ({name!r}):")
    grep = run("grep -ciF | cat", ["sh", "-c", 'grep -ciF "$0" "$1" | cat', name, pfile])
    # The store of the data file is made anew by the first run (the one store: resolve
    # reads it too).
    shutil.rmtree(cache, ignore_errors=True)
    # A store holds for one context (the set of inputs, with or without built-in data):
    # the built-in case writes its own on its first run.
    for label, cmd in (("first run, writes the store", ["lookup", name]),
                       ("with the store", ["lookup", name]),
                       ("with the store", ["at", "1950", name]),
                       ("first run with built-in data, writes its store", ["at", "1958", "Volgograd"]),
                       ("with the store and built-in data", ["at", "1958", "Volgograd"])):
        builtin = [] if "built-in" in label else ["--no-default-data"]
        r = run(f"gazetteer --data {' '.join(cmd)} ({label})", [EXE] + builtin + ["--data", pfile] + cmd, env=env)
        print(f"  ratio to grep: {r[0] / grep[0]:.2f}x the time")
    # #17: a misspelt name (a letter dropped: no place, suggestions from the table of near
    # keys) against the hit, warm, three rounds in turn, with and without built-in data.
    misspelt = name[:2] + name[3:]
    for builtin, label in (([], "with built-in data"), (["--no-default-data"], "--data only")):
        hits, misses = [], []
        for _ in range(3):
            hits.append(run(f"gazetteer lookup {name} ({label})",
                            [EXE] + builtin + ["--data", pfile, "lookup", name], env=env))
            misses.append(run(f"gazetteer lookup {misspelt} ({label})",
                              [EXE] + builtin + ["--data", pfile, "lookup", misspelt], env=env))
        h, m = sorted(r[0] for r in hits)[1], sorted(r[0] for r in misses)[1]
        print(f"  misspelt vs hit ({label}, medians of three): {m * 1000:.0f} ms vs "
              f"{h * 1000:.0f} ms, {(m - h) * 1000:.0f} ms more")
    sizes = {f: os.path.getsize(os.path.join(cache, f)) for f in os.listdir(cache)}
    print(f"  stores now: {', '.join(f'{f[-4:]} {n / 1e6:.0f} MB' for f, n in sorted(sizes.items()))}")
    print("built-in data:")
    run("gazetteer at 1958 Volgograd", [EXE, "at", "1958", "Volgograd"])


if __name__ == "__main__":
    main()
