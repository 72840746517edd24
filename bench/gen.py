#!/usr/bin/env python3
"""Synthetic data for the benchmarks, in the real schema (issue #4).

    python3 bench/gen.py PLACES QUERIES OUTDIR [SEED]
        [--homonyms SHARE] [--misses SHARE] [--variants SHARE]

writes OUTDIR/places.csv (PLACES places with 1 to 5 names each, about 2.65 on
average, partial dates of every precision; --homonyms of the names, 0.05 by default,
are another place's name) and OUTDIR/queries.csv (QUERIES rows of name,date;
--misses of them, 0.10 by default, name no place; --variants, 0 by default, are
written in another spelling convention, `sh` as `sch`, `v` as `w`, `ts` as `z`, found
by the variant tier). Prints on stderr the share of query rows whose name several
places bore (#17: held-out data had about 45% of those and 10% misses; about
`--homonyms 0.3` gives that). Deterministic for a given seed.
"""
import argparse
import csv
import os
import random
import sys

# Consonant-vowel syllables plus a few endings: enough variety that names rarely collide
# by chance, so that the homonyms are the ones made on purpose.
SYLLABLES = [c + v for c in "bdgkl mnprstvz".replace(" ", "") + "" for v in "aeiou"] + [
    "grad", "sk", "pol", "kent", "dar", "abad", "ov", "in", "sha", "zhi", "tse", "yar",
]
TYPES = ["city", "town", "village", "settlement", "street", "station", "river", "mountain"]
COUNTRIES = ["RU", "UA", "KZ", "BY", "DE", "PL", "CZ", "HU", "RO", "BG", "GE", "AM", "UZ", "TJ"]
NAME_COUNTS = [1, 2, 3, 4, 5]
NAME_WEIGHTS = [20, 30, 25, 15, 10]  # mean 2.65


def word(rng):
    w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(4, 5)))
    return w.capitalize()


def boundary(rng, year):
    """An EDTF date in `year`, at a random precision."""
    r = rng.random()
    if r < 0.40:
        return f"{year:04d}"
    if r < 0.60:
        return f"{year:04d}-{rng.randint(1, 12):02d}"
    if r < 0.90:
        return f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if r < 0.95:
        return f"{year:04d}~"
    return f"{year // 10:03d}X"


def query_date(rng):
    year = rng.randint(1500, 2024)
    r = rng.random()
    if r < 0.5:
        return f"{year:04d}"
    if r < 0.7:
        return f"{year:04d}-{rng.randint(1, 12):02d}"
    return f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def variant(name):
    """The name in another spelling convention that the variant tier makes one."""
    return name.replace("sh", "sch").replace("v", "w").replace("ts", "z")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("places", type=int)
    ap.add_argument("queries", type=int)
    ap.add_argument("outdir")
    ap.add_argument("seed", type=int, nargs="?", default=42)
    ap.add_argument("--homonyms", type=float, default=0.05)
    ap.add_argument("--misses", type=float, default=0.10)
    ap.add_argument("--variants", type=float, default=0.0)
    a = ap.parse_args()
    places, queries, outdir = a.places, a.queries, a.outdir
    rng = random.Random(a.seed)
    bearers = {}
    os.makedirs(outdir, exist_ok=True)
    all_names = []
    with open(os.path.join(outdir, "places.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["place_id", "name", "start", "end", "lang", "type", "country", "lat", "lon", "source", "note"])
        for p in range(places):
            pid = f"p{p}"
            n = rng.choices(NAME_COUNTS, NAME_WEIGHTS)[0]
            kind = rng.choice(TYPES)
            country = rng.choice(COUNTRIES)
            lat = f"{rng.uniform(-60, 70):.4f}"
            lon = f"{rng.uniform(-170, 170):.4f}"
            source = f"https://example.org/{pid}"
            # Boundaries in strictly increasing years, so every period is valid.
            years = sorted(rng.sample(range(1500, 2021), n))
            bounds = [""] + [boundary(rng, y) for y in years[1:]] + [""]
            if rng.random() < 0.6:
                bounds[0] = boundary(rng, years[0])
            for i in range(n):
                if all_names and rng.random() < a.homonyms:
                    name = rng.choice(all_names)  # a homonym of another place's name
                else:
                    name = word(rng)
                all_names.append(name) if len(all_names) < 2_000_000 else None
                key = name.lower()
                if bearers.get(key) not in (None, pid):
                    bearers[key] = "*"
                else:
                    bearers[key] = pid
                w.writerow([pid, name, bounds[i], bounds[i + 1], "en", kind, country, lat, lon, source, ""])
    with open(os.path.join(outdir, "queries.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "date"])
        several = 0
        for q in range(queries):
            if rng.random() < 1 - a.misses and all_names:
                name = rng.choice(all_names)
                several += bearers.get(name.lower()) == "*"
                if a.variants and rng.random() < a.variants:
                    name = variant(name)
                elif rng.random() < 0.3:
                    name = name.lower()
            else:
                name = word(rng) + "q"
            w.writerow([q, name, query_date(rng)])
    print(
        f"gen.py: {several / max(queries, 1):.1%} of the query rows name a name several places bore",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
