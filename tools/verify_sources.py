#!/usr/bin/env python3
"""Run from the repository root. Helps verify the map entries of tools/source_map.csv whose
new source was chosen by title only (how_checked starting "name:"), issue #19.

  python3 tools/verify_sources.py sample [--n 120] [--seed 19]
      a random sample of the unverified "name" entries, stratified by country, each with the
      rows that cited its old URL (names, languages, dates), to look the article up by hand;
  python3 tools/verify_sources.py list [--biggest]
      every unverified "name" entry (with --biggest: places with the most rows first);
  python3 tools/verify_sources.py record RESULTS.csv
      writes the verdicts of RESULTS.csv (old_url,place_id,verdict[,new_url]) into the
      map's how_checked (and new_url where given); then run tools/cite_originals.py;
  python3 tools/verify_sources.py stats
      counts the verdicts recorded in the map: the random sample's ("(sample)") apart from
      those checked afterwards, biggest places first ("(biggest first)"), which are no draw.

The rows of an entry are read from the data as it was before the sources were rewritten
(git revision BASE below), since afterwards they cite the new URL like the place's other rows."""
import csv, collections, io, random, subprocess, sys

MAP = 'tools/source_map.csv'
BASE = '4fcd719'  # main just before the merge that rewrote the sources (#19)

def read_map():
    with open(MAP, encoding='utf-8', newline='') as f:
        return list(csv.DictReader(f))

def write_map(rows):
    with open(MAP, 'w', encoding='utf-8', newline='') as f:
        w = csv.DictWriter(f, fieldnames=['old_url', 'place_id', 'new_url', 'how_checked'], lineterminator='\n')
        w.writeheader()
        w.writerows(rows)

def base_rows():
    names = subprocess.run(['git', 'ls-tree', '--name-only', BASE, 'data/'], capture_output=True,
                           text=True, check=True).stdout.split()
    out = collections.defaultdict(list)
    for n in names:
        if not n.endswith('.csv'):
            continue
        text = subprocess.run(['git', 'show', f'{BASE}:{n}'], capture_output=True, text=True, check=True).stdout
        for r in csv.DictReader(io.StringIO(text)):
            out[(r['source'], r['place_id'])].append(r)
            out[('*', r['place_id'])].append(r)
    return out

def unverified(m):
    return [e for e in m if e['how_checked'].startswith('name:') and 'checked' not in e['how_checked']]

def describe(e, rows):
    rs = rows.get((e['old_url'], e['place_id']), [])
    country = rs[0]['country'] if rs else (rows[('*', e['place_id'])] or [{'country': '?'}])[0]['country']
    names = '; '.join(f"{r['name']} [{r['lang']}] {r['start']}..{r['end']}" for r in rs)
    return country, len(rs), names

def main(argv):
    cmd = argv[1] if len(argv) > 1 else 'stats'
    m = read_map()
    if cmd in ('sample', 'list'):
        rows = base_rows()
        todo = unverified(m)
        if cmd == 'sample':
            n = int(argv[argv.index('--n') + 1]) if '--n' in argv else 120
            seed = int(argv[argv.index('--seed') + 1]) if '--seed' in argv else 19
            by = collections.defaultdict(list)
            for e in todo:
                by[describe(e, rows)[0]].append(e)
            rng = random.Random(seed)
            picked = []
            # proportional allocation by largest remainders (Hamilton): n in all
            quota = {c: n * len(v) / len(todo) for c, v in by.items()}
            alloc = {c: int(q) for c, q in quota.items()}
            for c in sorted(by, key=lambda c: (int(quota[c]) - quota[c], c)):
                if sum(alloc.values()) >= n:
                    break
                alloc[c] += 1
            for c in sorted(by):
                picked += rng.sample(by[c], min(alloc[c], len(by[c])))
            todo = picked
        elif '--biggest' in argv:
            size = collections.Counter(r['place_id'] for k, v in rows.items() if k[0] == '*' for r in v)
            todo.sort(key=lambda e: -size[e['place_id']])
        w = csv.writer(sys.stdout, lineterminator='\n')
        w.writerow(['old_url', 'place_id', 'new_url', 'country', 'rows', 'names'])
        for e in todo:
            w.writerow([e['old_url'], e['place_id'], e['new_url'], *describe(e, rows)])
    elif cmd == 'record':
        with open(argv[2], encoding='utf-8', newline='') as f:
            res = {(r['old_url'], r['place_id']): r for r in csv.DictReader(f)}
        done = 0
        for e in m:
            r = res.get((e['old_url'], e['place_id']))
            if r:
                e['how_checked'] = r['verdict']
                if r.get('new_url'):
                    e['new_url'] = r['new_url']
                done += 1
        write_map(m)
        print(f'{done} of {len(res)} verdicts recorded', file=sys.stderr)
    elif cmd == 'stats':
        # one verdict is a sentence of clauses; its worst finding decides the kind
        kinds = collections.Counter()
        later = collections.Counter()
        fixed = unchecked = fixed_later = 0
        for e in m:
            h = e['how_checked']
            if not h.startswith('name'):
                continue
            if 'checked' not in h:
                unchecked += 1
                continue
            if '(biggest first)' in h:
                # checked after the sample, places with the most rows first: not a random draw
                later[next((k for k in ('title wrong', 'title not found', 'names partly', 'dates not', 'dates partly')
                            if k in h), 'title, names and dates ok')] += 1
                fixed_later += ('replaced' in h or '; fixed' in h)
                continue
            if '(2010 romanization)' in h:
                kinds['checked with the 2010 romanization rows'] += 1
                continue
            if '(sample)' not in h:
                kinds['checked with a sampled entry of the same place'] += 1
                continue
            if 'title wrong' in h:
                k = 'title wrong (another article or a disambiguation)'
            elif 'title not found' in h:
                k = 'title not found among the stored pages'
            elif 'dates not' in h:
                k = 'title and names ok, dates not stated'
            elif 'dates partly' in h:
                k = 'title and names ok, dates partly stated'
            elif 'title ok' in h and 'names ok' in h and 'dates ok' in h:
                k = 'title, names and dates ok'
            else:
                k = 'other: ' + h
            kinds[k] += 1
            fixed += ('replaced' in h or '; fixed' in h)
        n = sum(v for k, v in kinds.items() if not k.startswith('checked with'))
        for k, v in kinds.most_common():
            print(f'{v:5} {k}' + (f'  ({100 * v / n:.0f}% of the sample)' if not k.startswith('checked with') else ''))
        print(f'{n:5} sampled entries checked, {fixed} of them fixed in the map; {unchecked} name entries unchecked')
        if later:
            print('checked after the sample, biggest places first (worst finding of each entry):')
            for k, v in later.most_common():
                print(f'{v:5} {k}')
            print(f'{sum(later.values()):5} entries, {fixed_later} of them fixed in the map')
    else:
        sys.exit(__doc__)

if __name__ == '__main__':
    main(sys.argv)
