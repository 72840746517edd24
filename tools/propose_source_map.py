#!/usr/bin/env python3
"""Run from the repository root: python3 tools/propose_source_map.py > /tmp/proposed.csv

Propose rows for tools/source_map.csv: for every (source, place) of data/*.csv and
tests/known/*.csv whose source is not an original (tools/source_kinds.py) and that the map does
not yet cover, the Wikipedia article that should replace it, and how it was chosen:
  pool      the article on the place that other rows of the same place already cite (in the
            edition the copy copied, else the row's language, else English);
  slug      the article the mirror's URL names (tools/cite_originals.py's rules);
  name      no article is cited for the place: the English Wikipedia title made from the
            place's current English name -- to be looked up before it is accepted.
The output is a proposal to review, not the map: cite_originals.py reads only source_map.csv."""
import csv, glob, re, sys, unicodedata
from collections import Counter, defaultdict
from urllib.parse import unquote, urlparse

sys.path.insert(0, 'tools')
from source_kinds import ORIGINAL, kind  # noqa: E402

ns = {}
exec(open('tools/cite_originals.py', encoding='utf-8').read().split('\nMAP = {}')[0], ns)
original = ns['original']

WP = re.compile(r'^https://([a-z\-]+)\.wikipedia\.org/wiki/(.+)$')
# Copies of one language edition whose URL does not name the article.
EDITION = {'memim.com': 'de', 'reiseweltatlas.de': 'de', 'www.reiseweltatlas.de': 'de',
           'de-academic.com': 'de', 'dewiki.academic.ru': 'de', 'de.academic.ru': 'de',
           'en-academic.com': 'en', 'enacademic.com': 'en', 'enwiki.academic.ru': 'en',
           'fr-academic.com': 'fr', 'de.knowledgr.com': 'de', 'clever-geek.imtqy.com': 'ru'}


# The reviewed titles (issue #19): where the title made from the current English name is not
# the article's (a qualifier, a homonym), and the titles in the edition a copy copied.
# From the reviewer's knowledge of each edition's naming; CHECKED says which were looked up.
TITLES = {
    'au-peterborough': {'en': 'Peterborough,_South_Australia'},
    'az-ganja': {'en': 'Ganja,_Azerbaijan'},
    'am-sevan': {'en': 'Sevan_(city)'},
    'bg-dimitrovgrad': {'en': 'Dimitrovgrad,_Bulgaria'},
    'bg-iskar': {'en': None, 'bg': 'Искър_(град)'},
    'bg-montana': {'en': 'Montana,_Bulgaria'},
    'bg-sopot': {'en': 'Sopot,_Bulgaria'},
    'bg-musala': {'de': 'Mussala'},
    'ca-regina': {'en': 'Regina,_Saskatchewan'},
    'cn-lushun': {'en': 'Lüshunkou_District'},
    'cz-most': {'en': 'Most_(city)'},
    'cz-loket': {'en': 'Loket_(Sokolov_District)'},
    'cz-rovna-sokolov': {'en': 'Rovná_(Sokolov_District)'},
    'cz-jinonice-station': {'en': 'Jinonice_(Prague_Metro)'},
    'cz-nadrazi-holesovice-station': {'en': 'Nádraží_Holešovice_(Prague_Metro)'},
    'cz-roztyly-station': {'en': 'Roztyly_(Prague_Metro)'},
    'de-danziger-strasse-berlin': {'en': None, 'de': 'Danziger_Straße_(Berlin)'},
    'de-dorotheenstrasse-berlin': {'en': None, 'de': 'Dorotheenstraße_(Berlin)'},
    'de-torstrasse-berlin': {'en': None, 'de': 'Torstraße'},
    'de-wilhelmstrasse-berlin': {'en': 'Wilhelmstrasse'},
    'de-frankfurter-allee': {'de': 'Frankfurter_Allee'},
    'es-palma': {'en': 'Palma_de_Mallorca'},
    'es-castellon-de-la-plana': {'en': 'Castellón_de_la_Plana'},
    'gr-alexandroupoli': {'en': 'Alexandroupolis', 'de': 'Alexandroupoli'},
    'gy-georgetown': {'en': 'Georgetown,_Guyana'},
    'hu-otvenhatosok-tere': {'en': None, 'hu': 'Ötvenhatosok_tere'},
    'it-arborea': {'en': 'Arborea,_Sardinia'},
    'kz-aksu': {'en': 'Aksu,_Kazakhstan'},
    'md-bender': {'en': 'Bender,_Moldova'},
    'mk-veles': {'en': 'Veles,_North_Macedonia'},
    'mz-pemba': {'en': 'Pemba,_Mozambique'},
    'mg-boriziny': {'en': 'Port-Bergé'},
    'mg-iharana': {'en': 'Vohemar'},
    'mg-mahavelona': {'en': 'Foulpointe'},
    'pl-nysa': {'en': 'Nysa,_Poland', 'de': 'Nysa'},
    'pl-plac-bankowy-warsaw': {'en': 'Bank_Square,_Warsaw'},
    'rs-vrbas': {'en': 'Vrbas,_Serbia'},
    'rs-jabuka': {'en': 'Jabuka_(Pančevo)', 'de': 'Jabuka_(Pančevo)'},
    'ru-bolshakovo-kaliningrad-oblast': {'en': 'Bolshakovo,_Kaliningrad_Oblast'},
    'ru-engels': {'en': 'Engels,_Saratov_Oblast'},
    'ru-gornozavodsk-sakhalin-oblast': {'en': 'Gornozavodsk,_Sakhalin_Oblast', 'de': 'Gornosawodsk_(Sachalin)'},
    'ru-guryevsk-kaliningrad-oblast': {'en': 'Guryevsk,_Kaliningrad_Oblast', 'de': 'Gurjewsk_(Kaliningrad)'},
    'ru-kropotkin': {'en': 'Kropotkin,_Krasnodar_Krai'},
    'ru-kuybyshev-novosibirsk-oblast': {'en': 'Kuybyshev,_Novosibirsk_Oblast', 'de': 'Kuibyschew_(Nowosibirsk)'},
    'ru-ozyorsk-kaliningrad-oblast': {'en': 'Ozyorsk,_Kaliningrad_Oblast'},
    'ru-pavlovsk': {'en': 'Pavlovsk,_Saint_Petersburg'},
    'ru-pushkin': {'en': 'Pushkin,_Saint_Petersburg'},
    'ru-peterhof': {'en': 'Peterhof,_Saint_Petersburg'},
    'ru-shakhtyorsk-sakhalin-oblast': {'en': 'Shakhtyorsk,_Sakhalin_Oblast', 'de': 'Schachtjorsk'},
    'ru-uglegorsk': {'en': 'Uglegorsk,_Sakhalin_Oblast', 'de': 'Uglegorsk'},
    'ru-zelenodolsk': {'en': 'Zelenodolsk,_Republic_of_Tatarstan', 'de': 'Selenodolsk'},
    'ru-serov': {'en': 'Serov,_Sverdlovsk_Oblast'},
    'ru-liski': {'en': 'Liski,_Voronezh_Oblast'},
    'ru-polessk': {'de': 'Polessk'},
    'ru-poronaysk': {'de': 'Poronaisk'},
    'ru-severo-kurilsk': {'de': 'Sewero-Kurilsk'},
    'ru-kurilsk': {'de': 'Kurilsk'},
    'ru-sharypovo': {'de': 'Scharypowo'},
    'ru-partizansk': {'de': 'Partisansk'},
    'ru-khanty-mansiysk': {'de': 'Chanty-Mansijsk'},
    'sk-namestie-slobody-bratislava': {'en': None, 'sk': 'Námestie_slobody_(Bratislava)'},
    'tj-buston': {'en': 'Buston,_Sughd'},
    'tj-guliston': {'en': 'Guliston,_Tajikistan'},
    'tj-vahdat': {'en': 'Vahdat,_Tajikistan'},
    'tr-izmir': {'en': 'İzmir'},
    'tr-kozan': {'en': 'Kozan,_Adana'},
    'ua-samar': {'en': 'Samar,_Ukraine'},
    'ua-khust': {'de': 'Chust_(Ukraine)'},
    'uz-qarshi': {'en': 'Qarshi'},
    'xk-mitrovica': {'en': 'Mitrovica,_Kosovo'},
    'za-umnambithi': {'en': 'Ladysmith,_KwaZulu-Natal'},
    'zm-zambezi': {'en': 'Zambezi,_Zambia'},
    'pl-inowroclaw': {'de': 'Inowrocław'},
    'pl-leszno': {'de': 'Leszno'},
    'kg-karakol': {'de': 'Karakol'},
    'ge-bolnisi': {'de': 'Bolnissi'},
    'hr-ploce': {'de': 'Ploče'},
    'md-basarabeasca': {'de': 'Basarabeasca'},
    'pl-lidzbark-warminski': {'de': 'Lidzbark_Warmiński'},
    'pl-chojnice': {'de': 'Chojnice'},
    'pl-bielsko-biala': {'de': 'Bielsko-Biała'},
    'pl-gubin': {'de': 'Gubin'},
    'pl-brzeg': {'de': 'Brzeg'},
    'pl-opole': {'de': 'Opole'},
    'pl-jelenia-gora': {'de': 'Jelenia_Góra'},
    'pl-slubice': {'de': 'Słubice'},
    'lt-silute': {'de': 'Šilutė'},
    'by-babruysk': {'de': 'Babrujsk'},
    'es-guadiana': {'en': 'Guadiana,_Badajoz'},
    'la-kaysone-phomvihane': {'en': 'Savannakhet'},
    'za-nqanqarhu': {'en': 'Maclear,_South_Africa'},
    'za-nqweba': {'en': 'Kirkwood,_Eastern_Cape'},
    'za-ntabozuko': {'en': 'Alice,_Eastern_Cape'},
    'ua-sievierodonetsk': {'en': 'Sievierodonetsk'},
    'us-denali': {'en': 'Denali'},
    'cd-mbuji-mayi': {'en': None, 'fr': 'Mbujimayi'},
    'th-bangkok': {'en': 'Bangkok'},
    'us-new-york-city': {'en': 'New_York_City'},
    'nz-whanganui': {'en': 'Whanganui'},
    'ie-bagenalstown': {'en': 'Bagenalstown'},
    'ru-krasnoarmeysk-saratov-oblast': {'en': 'Krasnoarmeysk,_Saratov_Oblast'},
    'ru-krasnogorsk-sakhalin-oblast': {'en': 'Krasnogorsk,_Sakhalin_Oblast'},
    'mn-choibalsan': 'a copy of the English article "Choibalsan (city)": Bayan Tümen until 1941',
    'au-hahndorf': 'a 2024 offline copy of the English article "Hahndorf, South Australia": Ambleside 1917/18-1935',
    'ru-chkalovsk': {'en': 'Chkalovsk,_Nizhny_Novgorod_Oblast'},
    'mn-choibalsan': {'en': 'Choibalsan_(city)'},
    'in-puducherry': {'en': 'Pondicherry'},
    'us-truth-or-consequences': {'en': 'Truth_or_Consequences,_New_Mexico'},
    'us-jim-thorpe': {'en': 'Jim_Thorpe,_Pennsylvania'},
    'us-utqiagvik': {'en': 'Utqiagvik,_Alaska'},
    'au-hahndorf': {'en': 'Hahndorf,_South_Australia'},
    'au-lobethal': {'en': 'Lobethal,_South_Australia'},
    'au-klemzig': {'en': 'Klemzig,_South_Australia'},
    'cz-vinohradska': {'en': None, 'cs': 'Vinohradská'},
}
# What the search tool (corpus pages) found for the title, place by place.
CHECKED = {
    'am-sevan': "theinfolist's copy of the article, Yelenovka until 1935",
    'bg-iskar': 'bg article, "Старото му име е Пелово"',
    'pl-plac-bankowy-warsaw': 'the article, formerly Plac Dzierżyńskiego',
    'tj-buston': 'the article, renamed by the government on 1 February 2016',
    'ua-samar': 'the article, renamed by the Verkhovna Rada on 19 September 2024',
    'xk-mitrovica': 'the article under this title (Titova Mitrovica)',
    'es-guadiana': 'the article, "until 2020 Guadiana del Caudillo"',
    'la-kaysone-phomvihane': 'a copy of it: officially Kaysone Phomvihane since 2005',
    'za-nqanqarhu': 'the article, renamed Nqanqarhu in 2021',
    'by-babruysk': 'reiseweltatlas.de\'s page says it is based on de.wikipedia\'s "Babrujsk"',
    'ru-gornozavodsk-sakhalin-oblast': 'de-academic.com\'s page and de.wiki.li\'s copy titled "Gornosawodsk (Sachalin)": Naihoro until 1947',
    'cd-mbuji-mayi': 'fr article: Bakwanga officially Mbujimayi in 1963 (de.wikipedia says 1966)',
    'mn-choibalsan': 'a copy of the English article "Choibalsan (city)": Bayan Tümen until 1941',
    'au-hahndorf': 'a 2024 offline copy of the English article "Hahndorf, South Australia": Ambleside 1917/18-1935',
    'ru-chkalovsk': 'memim.com\'s page is a translation of de.wikipedia\'s "Tschkalowsk" (Wassiljowo until 1937)',
}


for t in ('adana', 'agri', 'artvin', 'balikesir', 'bilecik', 'bursa', 'mersin', 'mugla', 'rize', 'tunceli'):
    TITLES[f'tr-{t}-province'] = {'en': None}


# News reports of a renaming by established outlets and news agencies: original publications,
# left as they are (tools/source_kinds.py counts them as news, not as originals).
KEEP_NEWS = set('''
    indianexpress.com csmonitor.com scmp.com livemint.com rferl.org cbc.ca voanews.com m.dw.com
    latimes.com irishtimes.com nzherald.co.nz timeslive.co.za mg.co.za jeuneafrique.com
    ct24.ceskatelevize.cz bssnews.net khovar.tj asiaplustj.info en.interfax.com.ua donga.com
    english.chosun.com nunatsiaq.com france3-regions.francetvinfo.fr abendblatt.de
    berliner-zeitung.de inquirer.com adn.com belganewsagency.eu en.vietnamplus.vn
    financialexpress.com nationthailand.com stripes.com standard.co.uk
'''.split())


def slug(s):
    s = unicodedata.normalize('NFKD', s).encode('ascii', 'ignore').decode().lower()
    return re.sub(r'[^a-z0-9]+', '-', s).strip('-')


def main():
    known = set()
    with open('tools/source_map.csv', encoding='utf-8', newline='') as f:
        for m in csv.DictReader(f):
            known.add((m['old_url'], m['place_id']))
    rows, pool, current, names_of = [], defaultdict(Counter), {}, defaultdict(set)
    for path in sorted([p for p in glob.glob('data/*.csv') if not p.endswith('/links.csv')]):
        with open(path, encoding='utf-8', newline='') as f:
            for r in csv.DictReader(f):
                s = original(r['source']) or r['source']
                if kind(s) == 'wikipedia' and WP.match(s):
                    pool[r['place_id']][s] += 1
                if r['lang'] == 'en' and not r['end'] and r.get('kind', 'official') in ('official', ''):
                    current[r['place_id']] = r['name']
                names_of[r['place_id']].add(slug(r['name']))
                rows.append((r['place_id'], r['lang'], r['source']))
    for path in sorted(glob.glob('tests/known/*.csv')):
        with open(path, encoding='utf-8', newline='') as f:
            for r in csv.DictReader(f):
                rows.append((r['place_id'], '', r['source']))
    seen = set()
    w = csv.writer(sys.stdout, lineterminator='\n')
    w.writerow(['old_url', 'place_id', 'new_url', 'how_checked', 'host', 'rows'])
    count = Counter((p, s) for p, _, s in rows)
    for pid, lang, src in rows:
        new = original(src) or src
        if kind(new) in ORIGINAL or (src, pid) in known or (src, '') in known or (src, pid) in seen:
            continue
        seen.add((src, pid))
        host = urlparse(src).netloc.lower()
        if host.removeprefix('www.') in KEEP_NEWS:
            continue
        sl = original(src)
        ed = WP.match(sl)[1] if sl else EDITION.get(host)
        names = names_of[pid]
        arts = [a for a, _ in pool[pid].most_common()]
        # The article on the place: its title is one of the place's names (a redirect from an
        # old name will do), not a list, a council or a larger unit.
        good = [a for a in arts if slug(unquote(WP.match(a)[2]).split(',')[0].split('(')[0]) in names]
        tt = dict(TITLES.get(pid, {}))
        if pid in current and 'en' not in tt:
            tt['en'] = current[pid].replace(' ', '_')
        if pid.endswith('-province') and tt.get('en') is None and pid in current:
            tt['en'] = current[pid].replace(' ', '_') + '_Province'

        def in_ed(e):
            return [a for a in good if WP.match(a)[1] == e]
        other = [(k, v) for k, v in TITLES.get(pid, {}).items() if v and k != 'en']
        if ed and in_ed(ed):
            new, how = in_ed(ed)[0], f"pool: the place's article in the edition the copy copies ({ed})"
        elif ed and tt.get(ed):
            new, how = f'https://{ed}.wikipedia.org/wiki/{tt[ed]}', f"title: the place's article in the edition the copy copies ({ed})"
        elif lang and in_ed(lang):
            new, how = in_ed(lang)[0], f"pool: the place's article in the row's language ({lang})"
        elif in_ed('en'):
            new, how = in_ed('en')[0], "pool: the place's English article, cited by its other rows"
        elif other and not tt.get('en'):
            e, t = other[0]
            new, how = f'https://{e}.wikipedia.org/wiki/{t}', f"title: the place's article ({e})"
        elif tt.get('en'):
            new = f'https://en.wikipedia.org/wiki/{tt["en"]}'
            how = ('title: reviewed English title' if TITLES.get(pid, {}).get('en')
                   else 'name: English title made from the current English name')
        elif good or arts:
            new, how = (good or arts)[0], "pool: the article its other rows cite"
        else:
            new, how = '', 'none: CHECK'
        if pid in CHECKED:
            how += f'; searched: {CHECKED[pid]}'
        w.writerow([src, pid, new, how, host, count[(pid, src)]])


if __name__ == '__main__':
    main()
