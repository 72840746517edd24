#!/usr/bin/env python3
"""List names marked `official` (or in a file without a `kind` column) whose language is
not an official language of the place's country today, beside an official name in such a
language at the same time: likely exonyms (issue #19, "Kinds"). Review each by hand: the
language may have been official then (German in Königsberg before 1945, Polish in Lwów
1919-1939), which this script cannot know.

    python3 tools/review_kinds.py [data/*.csv]
"""
import csv, glob, sys
from collections import defaultdict

# Official languages of today's countries (ISO 639-1), for the countries in data/.
OFFICIAL = {
    'RU': {'ru'}, 'UA': {'uk'}, 'BY': {'be', 'ru'}, 'PL': {'pl'}, 'CZ': {'cs'}, 'SK': {'sk'},
    'HU': {'hu'}, 'RO': {'ro'}, 'BG': {'bg'}, 'RS': {'sr'}, 'HR': {'hr'}, 'SI': {'sl'},
    'BA': {'bs', 'hr', 'sr'}, 'ME': {'sr', 'cnr'}, 'MK': {'mk'}, 'AL': {'sq'}, 'GR': {'el'},
    'TR': {'tr'}, 'DE': {'de'}, 'AT': {'de'}, 'CH': {'de', 'fr', 'it', 'rm'}, 'IT': {'it'},
    'FR': {'fr'}, 'ES': {'es', 'ca', 'gl', 'eu'}, 'PT': {'pt'}, 'BE': {'nl', 'fr', 'de'},
    'NL': {'nl'}, 'LT': {'lt'}, 'LV': {'lv'}, 'EE': {'et'}, 'FI': {'fi', 'sv'}, 'SE': {'sv'},
    'NO': {'no', 'nb', 'nn'}, 'DK': {'da'}, 'MD': {'ro'}, 'GE': {'ka'}, 'AM': {'hy'},
    'AZ': {'az'}, 'KZ': {'kk', 'ru'}, 'KG': {'ky', 'ru'}, 'TJ': {'tg'}, 'UZ': {'uz'},
    'TM': {'tk'}, 'MN': {'mn'}, 'IE': {'ga'}, 'GB': set(), 'MT': {'mt'}, 'IL': {'he'},
    'IR': {'fa'}, 'IQ': {'ar', 'ku'}, 'SY': {'ar'}, 'CN': {'zh'}, 'TW': {'zh'}, 'JP': {'ja'},
    'KR': {'ko'}, 'KP': {'ko'}, 'XK': {'sq', 'sr'},
}

def main(paths):
    rows = defaultdict(list)
    for p in paths:
        with open(p, encoding='utf-8') as f:
            for i, r in enumerate(csv.DictReader(f), 2):
                rows[r['place_id']].append((p, i, r))
    country = {}
    for pid, rs in rows.items():
        for _, _, r in rs:
            if r.get('country'):
                country[pid] = r['country']
    for pid, rs in sorted(rows.items()):
        langs = OFFICIAL.get(country.get(pid, ''))
        if not langs:
            continue
        off = [(p, i, r) for p, i, r in rs if r.get('kind', 'official') in ('', 'official')]
        home = [r for _, _, r in off if r['lang'].split('-')[0] in langs]
        for p, i, r in off:
            lang = r['lang'].split('-')[0]
            if lang == 'en' or lang in langs:
                continue
            beside = [h['name'] for h in home if overlaps(h, r)]
            if beside:
                print(f"{p}:{i}: {pid}: {r['name']} ({r['lang']}, {r['start']}..{r['end']}) "
                      f"beside {'/'.join(sorted(set(beside)))}")

def year(s, default):
    s = s.strip().lstrip('~').rstrip('?~%')
    if s in ('', '..'):
        return default
    try:
        return int(s[:5] if s.startswith('-') else s[:4])
    except ValueError:
        return default

def overlaps(a, b):
    return year(a['start'], -9999) < year(b['end'], 9999) and year(b['start'], -9999) < year(a['end'], 9999)

if __name__ == '__main__':
    main(sys.argv[1:] or sorted([p for p in glob.glob('data/*.csv') if not p.endswith('/links.csv')]))
