#!/usr/bin/env python3
"""Count the renamings of the data by the precision of their date (issue #19, "Precision").

A renaming is a (place, date) where one of the place's names ends and another name (one that
does not end then) starts on the same date; a name that only changes kind is no renaming. Its precision is that of the date: day (1940-03-08), month
(1976-03) or year (1940) and coarser. With --list PRECISION, print the renamings of that
precision, file and line of the name that starts, to find those to make precise.

    python3 tools/renaming_precision.py [--list year] [data/*.csv]
"""
import csv, glob, re, sys
from collections import Counter, defaultdict

def precision(d):
    d = d.strip().rstrip('?~%')
    if re.fullmatch(r'-?\d{4}-\d{2}-\d{2}', d):
        return 'day'
    if re.fullmatch(r'-?\d{4}-\d{2}', d):
        return 'month'
    return 'year'

def main(argv):
    listing = None
    if argv[:1] == ['--list']:
        listing, argv = argv[1], argv[2:]
    paths = argv or sorted([p for p in glob.glob('data/*.csv') if not p.endswith('/links.csv')])
    ends, starts = defaultdict(lambda: defaultdict(set)), defaultdict(list)
    for p in paths:
        with open(p, encoding='utf-8') as f:
            for i, r in enumerate(csv.DictReader(f), 2):
                if r['end'] not in ('', '..'):
                    ends[r['place_id']][r['end']].add(r['name'])
                if r['start'] not in ('', '..'):
                    starts[(r['place_id'], r['start'])].append((p, i, r['name']))
    renamings = {k: v for k, v in starts.items()
                 if ends[k[0]].get(k[1]) and any(n not in ends[k[0]][k[1]] for _, _, n in v)}
    count = Counter(precision(d) for (_, d) in renamings)
    print(f"{len(renamings)} renamings: {count['day']} to the day, {count['month']} to the month, "
          f"{count['year']} to the year or coarser")
    if listing:
        for (pid, d), where in sorted(renamings.items()):
            if precision(d) == listing:
                p, i, name = where[0]
                print(f"{p}:{i}: {pid} {d} {name}")

if __name__ == '__main__':
    main(sys.argv[1:])
