#!/usr/bin/env python3
"""Run from the repository root: python3 tools/cite_originals.py

Rewrite a mirror's URL to the Wikipedia article it copies, where the URL names the
language edition and the title unambiguously. Only the `source` cell changes."""
import csv, glob, io, re, sys
from urllib.parse import unquote, urlparse, parse_qs

WP = re.compile(r'^https?://([a-z\-]+)(?:\.m)?\.wikipedia\.org/wiki/(.+)$')
def canon(u):
    m = WP.match(u)
    lang = 'en' if m and m.group(1) == 'www' else (m.group(1) if m else None)
    return f'https://{lang}.wikipedia.org/wiki/{m.group(2)}' if m else None

EN_SNAPSHOTS = ('en-wikipedia--on--ipfs-org', 'en.wikipedia-on-ipfs.org', 'QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco')
RULES = [
    (re.compile(r'/(?:content/)?wikipedia_([a-z]{2})_[^/]+/A/([^/?#]+?)(?:\.html)?$'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://wiki-gateway\.eudic\.net/wikipedia_([a-z]{2})/([^/?#]+)\.html$'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://(?:www\.)?piglix\.com/piglix/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:www\.)?wikiwand\.com/([a-z]{2})/(?:articles/)?([^/?#]+)$'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://(?:w\.)?owiki\.org/wiki/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:www\.)?academickids\.com/encyclopedia/index\.php/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:www\.|image\.)?absoluteastronomy\.com/topics/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://cryer\.org\.uk/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://hessslslslsls\.azureedge\.net/wiki/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:www\.)?blogen\.wiki/blog/([a-z]{2})/([^/?#]+)$'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://wikisum\.wiki/wiki/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:www\.)?theinfolist\.com/php/SummaryGet\.php\?FindGo=([^&#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:www\.)?theinfolist\.com/html/ALL/(?:[^/]+/)+([^/?#]+)\.html$'), lambda m: ('en', m[1])),
    # wiki7 serves machine translations of Russian Wikipedia under Russian titles.
    (re.compile(r'^https?://[a-z]{2}\.wiki7\.org/wiki/([^/?#]+)$'), lambda m: ('ru', m[1])),
]

def original(u):
    u = u.strip()
    c = canon(u)
    if c:
        return c if c != u else None
    p = urlparse(u)
    # Proxies and viewers that carry the article's own URL in a parameter or a path.
    for vals in parse_qs(p.query).values():
        for v in vals:
            c = canon(v)
            if c:
                return c
    m = re.search(r'/web/\d+/(https?://.+)$', u)
    if m and canon(m[1]):
        return canon(m[1])
    if 'ipfs' in u and any(s in u for s in EN_SNAPSHOTS):
        m = re.search(r'/wiki/([^/?#]+?)(?:\.html)?$', u)
        if m:
            return f'https://en.wikipedia.org/wiki/{m[1]}'
    for rx, f in RULES:
        m = rx.search(u)
        if m:
            lang, title = f(m)
            return f'https://{lang}.wikipedia.org/wiki/{title}'
    return None

changed = {}
for path in sorted(glob.glob('data/*.csv')):
    text = open(path, encoding='utf-8', newline='').read()
    lines = text.split('\n')
    header = next(csv.reader([lines[0].lstrip('\ufeff')]))
    si = header.index('source')
    out = [lines[0]]
    for line in lines[1:]:
        if not line.strip():
            out.append(line); continue
        row = next(csv.reader([line]))
        new = original(row[si]) if si < len(row) else None
        if new:
            host = urlparse(row[si]).netloc
            changed[host] = changed.get(host, 0) + 1
            row[si] = new
            buf = io.StringIO()
            csv.writer(buf, lineterminator='').writerow(row)
            out.append(buf.getvalue())
        else:
            out.append(line)
    open(path, 'w', encoding='utf-8', newline='').write('\n'.join(out))
for h, n in sorted(changed.items(), key=lambda x: -x[1]):
    print(n, h)
print('total', sum(changed.values()))
