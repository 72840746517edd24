#!/usr/bin/env python3
"""Regenerate the "Counts" section of data/README.md from data/*.csv, so the figures there
are never typed by hand (they went stale twice). Prints the section; with --write, replaces
the section in data/README.md in place.

    python3 tools/data_counts.py [--write]

A place counts under the file that first names it (files in name order; `variants.csv` and
`links.csv` only add to places of other files). The world layer (data/world/) is not counted
here: data/world/README.md gives its figures.
"""
import csv, glob, os, re, sys
from collections import Counter

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')

def section():
    files = sorted(glob.glob(os.path.join(ROOT, 'data', '*.csv')))
    first, rows_of, places_of = {}, Counter(), Counter()
    country, kind = {}, {}
    for path in files:
        name = os.path.basename(path)
        with open(path, encoding='utf-8-sig', newline='') as f:
            reader = csv.DictReader(f)
            if 'name' not in (reader.fieldnames or []):
                continue  # links.csv: ids, not names
            for r in reader:
                rows_of[name] += 1
                pid = r['place_id']
                if pid not in first:
                    first[pid] = name
                    places_of[name] += 1
                if r.get('country'):
                    country.setdefault(pid, r['country'])
                if r.get('type'):
                    kind.setdefault(pid, r['type'])
    total_rows = sum(rows_of.values())
    out = ['## Counts', '',
           f'{len(first):,} places and {total_rows:,} name rows, as `python3 tools/data_counts.py` '
           'counts them (it writes this section; `gazetteer check data/` prints the same totals). '
           'A place counts under the file that first names it (`variants.csv` only adds names to '
           'places of other files). The world layer in `data/world/` is counted in its own README.',
           '', '| file | places | rows |', '|---|---:|---:|']
    for name in sorted(rows_of):
        out.append(f'| `{name}` | {places_of[name]:,} | {rows_of[name]:,} |')
    out += ['', "By country (ISO 3166-1 alpha-2; `XK` is Kosovo's user-assigned code):", '']
    out.append(', '.join(f'{c} {n}' for c, n in sorted(Counter(country.values()).items(),
                                                       key=lambda x: (-x[1], x[0]))))
    out += ['', 'By type: ' + ', '.join(f'{t} {n}' for t, n in sorted(Counter(kind.values()).items(),
                                                                     key=lambda x: (-x[1], x[0]))) + '.', '']
    return '\n'.join(out) + '\n'

def main(argv):
    text = section()
    if argv == ['--write']:
        path = os.path.join(ROOT, 'data', 'README.md')
        readme = open(path, encoding='utf-8').read()
        new, n = re.subn(r'## Counts\n.*?(?=\n## |\Z)', lambda _: text.rstrip('\n') + '\n', readme, flags=re.S)
        if n != 1:
            sys.exit('data/README.md has no single "## Counts" section to replace')
        open(path, 'w', encoding='utf-8').write(new)
    elif argv:
        sys.exit(__doc__)
    else:
        sys.stdout.write(text)

if __name__ == '__main__':
    main(sys.argv[1:])
