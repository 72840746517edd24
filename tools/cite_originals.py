#!/usr/bin/env python3
"""Run from the repository root: python3 tools/cite_originals.py

Rewrite the `source` of the rows of data/*.csv and tests/known/*.csv that cite a copy (or
another page that is not an original) to the original, and change nothing else:
1. tools/source_map.csv (old_url,place_id,new_url,how_checked), reviewed by hand: the rows
   of that place (or of every place, where place_id is empty) that cite old_url cite new_url;
   a place_id written `place_id|name|start` picks out that one row of the place;
2. otherwise a mirror's URL that names the language edition and the title unambiguously is
   rewritten to that Wikipedia article (the rules below).
Running it twice changes nothing the second time."""
import base64, csv, glob, io, re, sys
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
    # Issue #19, second pass: more mirrors whose URL names the article.
    (re.compile(r'^https?://(?:www\.)?enwikipedia\.net/wiki/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:www\.)?wikimili\.com/([a-z]{2})/([^/?#]+)$'), lambda m: (m[1], m[2])),
    # Static HTML dumps: /a/b/c/Title.html, sometimes with a 4-hex suffix added by the dump.
    (re.compile(r'^https?://wikipedia2007\.classicistranieri\.com/(?:[^/]+/){3}([^/?#]+?)(?:_[0-9a-f]{4})?\.html$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:wikipedia\.)?classicistranieri\.com/([a-z]{2})/(?:articles/)?(?:[^/]+/){3}([^/?#]+?)(?:_[0-9a-f]{4})?\.html$'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://the-uncensored-wiki\.com:\d+/(?:articles/)?(?:[^/]+/){3}([^/?#]+?)(?:_[0-9a-f]{4})?\.html$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://the-uncensored-wiki\.com:\d+/\d{4}-wikipedia_([a-z]{2})_[^/]+/A/(?:html/(?:[^/]+/){4})?([^/?#]+?)\.html$'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://(?:ebook\.worldlibrary\.net|gutenberg\.us)/articles/eng/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:www\.)?self\.gutenberg\.org/articles/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:chaos\.)?owiki\.org/wiki/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://kampuspedia\.com/([a-z]{2})/([^/?#]+)$'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://wiki-org\.ru/wiki/([^/?#]+)$'), lambda m: ('ru', m[1])),
    # frwiki.wiki and wikiital.com translate the French and Italian editions: the title is theirs.
    (re.compile(r'^https?://[a-z]{2}\.frwiki\.wiki/wiki/([^/?#]+)$'), lambda m: ('fr', m[1])),
    (re.compile(r'^https?://[a-z]{2}\.wikiital\.com/wiki/([^/?#]+)$'), lambda m: ('it', m[1])),
    # perceptio*.com translate the Russian edition, de.zxc.wiki the German one.
    (re.compile(r'^https?://perceptio[a-z]{1,2}\.com/([^/?#]+)$'), lambda m: ('ru', m[1])),
    (re.compile(r'^https?://de\.zxc\.wiki/wiki/([^/?#]+)$'), lambda m: ('de', m[1])),
    (re.compile(r'^https?://hmong\.ru/ru/([^/?#]+)$'), lambda m: ('ru', m[1])),
    (re.compile(r'^https?://(?:www\.)?encycloreader\.org/r/wikipedia\.php\?q=([^&#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:www\.)?wiki(?:-data|data)\.de-de\.nina\.az/([^/?#]+)\.html$'), lambda m: ('de', m[1])),
    (re.compile(r'^https?://(?:www\.)?wiki3\.en-us\.nina\.az/([^/?#]+)\.html$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://[0-9.]+/piglix/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://([a-z]{2})(?:\.m)?\.wiki\.x\.io/wiki/([^/?#]+)$'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://world\.wikisort\.org/[^/]+/([a-z]{2})/[^/]+/([^/?#]+)$'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://familypedia\.fandom\.com/wiki/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:dokumen123\.com|db0nus869y26v\.cloudfront\.net|profilpelajar\.com|profilbaru\.com|infokontak\.com|datadosen\.com)/([a-z]{2})/([^/?#]+)$'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://[a-z0-9-]+\.ipns\.dweb\.link/wiki/([^/?#]+?)\.html$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://[a-z0-9]+\.ipfs\.dweb\.link/wiki/([^/?#]+?)\.html$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://every(?:thing|fhing)\.explained\.today/([^/?#]+?)/?$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://encyclopedia\.kids\.net\.au/page/[a-z]{2}/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:askwikinow\.com|wiki\.studentb\.eu|review\.clateway\.com/wiki)/view_html\.php\?lang=([a-z]+)&q=([^&#]+)'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://(?:wiki\.kidzsearch\.com|wiki\.riteme\.site|wikivisually\.com|en-wiki\.4mirror\.workers\.dev|wiki\.gravy\.cc|en-wiki\.fonk\.bid|iw\.mgwiki\.top|wikiclassic\.com|en-m-wikipedia-org\.zproxy\.org|(?:www\.)?upcscavenger\.com)/wiki/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:www\.)?wikizero\.(?:net|org)/wiki/([a-z]{2})/([^/?#]+)$'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://cesko\.wiki/([^/?#]+)$'), lambda m: ('cs', m[1])),
    (re.compile(r'^https?://[a-z]\.global\.ssl\.fastly\.net/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://de\.wikial\.top/wiki/([^/?#]+)$'), lambda m: ('de', m[1])),
    (re.compile(r'^https?://handwiki\.org/wiki/(?:Place:)?([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://infinitelexicon\.(?:com|pages\.dev)/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://wiki\.sarg\.dev/index\.php/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://wiki\.phantis\.com/index\.php/([^/?#]+)$'), lambda m: ('en', m[1])),
    # xcv.wiki and qaz.wiki: the first two letters name the edition translated.
    (re.compile(r'^https?://([a-z]{2})[a-z]{2}\.xcv\.wiki/wiki/([^/?#]+)$'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://([a-z]{2})[a-z]{2}\.qaz\.wiki/wiki/([^/?#]+)$'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://[a-z]{2}\.qaz\.wiki/wiki/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:www\.)?howlingpixel\.com/i-en/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:www\.)?knowpia\.com/knowpedia/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:maps\.|www\.)?thefullwiki\.org/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://route\.wiki/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://de\.wiki\.li/([^/?#]+)$'), lambda m: ('de', m[1])),
    (re.compile(r'^https?://jewiki\.net/wiki/([^/?#]+)$'), lambda m: ('de', m[1])),
    (re.compile(r'^https?://wikipedia\.qwika\.com/([a-z]{2})2[a-z]{2}/([^/?#]+)$'), lambda m: (m[1], m[2])),
    (re.compile(r'^https?://worldwizzy\.com/library/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:wiki\.niidae\.com|(?:www\.)?netipedia\.com|friendlywiki\.com/article)/index\.php\?(?:[^#]*&)?title=([^&#]+)'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://l\.global\.ssl\.fastly\.net/search/\?(?:[^#]*&)?title=([^&#]+)'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://wikide\.org/[a-z]{2}/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://(?:www\.)?worddisk\.com/wiki/([^/?#]+)$'), lambda m: ('en', m[1])),
    (re.compile(r'^https?://hmong\.in\.th/wiki/([^/?#]+)$'), lambda m: ('en', m[1])),
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
    # Proxies that put the article's URL in the path (/https/de.wikipedia.org/wiki/X, /http://...).
    m = re.search(r'/(https?)(?::/|/)/?([a-z\-]+(?:\.m)?\.wikipedia\.org/wiki/[^?#]+)$', u)
    if m and canon(f'https://{m[2]}'):
        return canon(f'https://{m[2]}')
    # rt.http3.lol carries it base64-encoded.
    m = re.search(r'^https?://rt\.http3\.lol/index\.php\?q=([A-Za-z0-9+/=_-]+)$', u)
    if m:
        try:
            c = canon(base64.urlsafe_b64decode(m[1] + '=' * (-len(m[1]) % 4)).decode())
        except ValueError:
            c = None
        if c:
            return c
    m = re.search(r'/content/wikisource_([a-z]{2})_[^/]+/A/([^?#]+)$', u)
    if m:
        return f'https://{m[1]}.wikisource.org/wiki/{m[2]}'
    m = re.match(r'^https?://([a-z]{2})\.m\.wikisource\.org/wiki/(.+)$', u)
    if m:
        return f'https://{m[1]}.wikisource.org/wiki/{m[2]}'
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

MAP = {}
with open('tools/source_map.csv', encoding='utf-8', newline='') as f:
    for m in csv.DictReader(f):
        MAP[(m['old_url'], m['place_id'])] = m['new_url']


def rewrite(url, place_id, name=None, start=None):
    return (MAP.get((url, f'{place_id}|{name}|{start}')) or MAP.get((url, place_id))
            or MAP.get((url, '')) or original(url))


URL = re.compile(r'https?://[^\s,;)"\]]+')


def rewrite_note(note):
    """A note that names a mirror ("coordinates from <mirror URL>") names what it copies."""
    def one(m):
        u = m[0].rstrip('.')
        new = original(u) or (original(u.rstrip('/')) if u.endswith('/') else None)
        return new + m[0][len(u):] if new else m[0]
    return URL.sub(one, note)


changed = {}
for path in sorted([p for p in glob.glob('data/*.csv') if not p.endswith('/links.csv')] + glob.glob('tests/known/*.csv')):
    text = open(path, encoding='utf-8', newline='').read()
    lines = text.split('\n')
    header = next(csv.reader([lines[0].lstrip('\ufeff')]))
    si, pi = header.index('source'), header.index('place_id')
    nmi = header.index('name') if 'name' in header else None
    sti = header.index('start') if 'start' in header else None
    ni = header.index('note') if 'note' in header else None
    out = [lines[0]]
    for line in lines[1:]:
        if not line.strip():
            out.append(line); continue
        row = next(csv.reader([line]))
        cell = lambda i: row[i] if i is not None and i < len(row) else None
        new = rewrite(row[si], row[pi], cell(nmi), cell(sti)) if si < len(row) else None
        note = rewrite_note(row[ni]) if ni is not None and ni < len(row) else None
        if (new and new != row[si]) or (note is not None and note != row[ni]):
            if new and new != row[si]:
                host = urlparse(row[si]).netloc
                changed[host] = changed.get(host, 0) + 1
                row[si] = new
            if note is not None and note != row[ni]:
                changed['(notes)'] = changed.get('(notes)', 0) + 1
                row[ni] = note
            buf = io.StringIO()
            csv.writer(buf, lineterminator='').writerow(row)
            out.append(buf.getvalue())
        else:
            out.append(line)
    open(path, 'w', encoding='utf-8', newline='').write('\n'.join(out))
for h, n in sorted(changed.items(), key=lambda x: -x[1]):
    print(n, h)
print('total', sum(changed.values()))
