#!/usr/bin/env python3
"""Run from the repository root: python3 tools/source_kinds.py [--hosts KIND] [FILES...]

Classify the `source` of every row of data/*.csv (or of FILES) by kind and print the share of
rows of each kind. `--hosts KIND` also lists the hosts of that kind with their row counts
(`--hosts all` for every kind), which is how the table below is reviewed.

The kinds, and which of them count as citing an original (issue #19):
  wikipedia, wikisource, encyclopedia, official, academic, geonames/wikidata  -- originals
  news          a newspaper, news agency or magazine: an original publication, but not
                one of the kinds the sourcing policy asks for
  copy          a page that copies others: a Wikipedia mirror, proxy, offline copy, machine
                translation or content farm -- never a source
  other         anything else: travel guides, blogs, private sites, shops, dictionaries
The host table is the one reviewed for issue #19; a host not in it falls to the patterns
below it, and then to `other`."""
import csv, glob, re, sys
from collections import Counter
from urllib.parse import urlparse

ORIGINAL = ('wikipedia', 'wikisource', 'encyclopedia', 'official', 'academic', 'geonames/wikidata')
KINDS = ORIGINAL + ('news', 'copy', 'other')

# Hosts by kind (a leading "www." is ignored). Reviewed one by one.
HOSTS = {
    'encyclopedia': '''
        memoireduquebec.com polignosi.com kureansiklopedi.com
        britannica.com kids.britannica.com media-2.web.britannica.com media-3.web.britannica.com
        encyclopedia.com encyclopediaofukraine.com brockhaus.de brockhaus.at encyklopedia.pwn.pl treccani.it
        iranicaonline.org encspb.ru enclo.lenobl.ru austria-forum.org zeno.org infoplease.com
        encyklopedie.vseved.cz encyklopedie.ostrava.cz ensiklopediya.gov.az
        encyclopedia2.thefreedictionary.com lenciclopedia.org qomus.info
        ebsco.com
        encyclopedia-loadbalancer-1-1782916326.us-west-2.elb.amazonaws.com
        thecanadianencyclopedia.ca
        okhistory.org ohiohistorycentral.org enciclopedia.cat
        # session 8 (#19): the South African History Online reference, the Tatar Encyclopedia,
        # the Orthodox encyclopedia Drevo, WorldStatesmen's reference lists, Everyculture's
        # "Countries and Their Cultures", Kenya's official yearbook of reference
        sahistory.org.za tatarica.org drevo-info.ru worldstatesmen.org everyculture.com
        archontology.org
        # session 9 (#19): Cuba's EcuRed, the Handbook of Texas, the Encyclopedia of British
        # Columbia, the Mennonite encyclopedia GAMEO, the Texas Almanac, the North Carolina
        # History Project, the Encyclopedia of Korean Local Culture (Academy of Korean Studies)
        ecured.cu tshaonline.org knowbc.com gameo.org texasalmanac.com northcarolinahistory.org
        gongju.grandculture.net jindo.grandculture.net seongnam.grandculture.net
        luise-berlin.de onlinenevada.org
        ''',
    # official also holds legal databases that print the text of an act (advocatekhoj.com: the
    # Lushai Hills District (Change of Name) Act, 1954), as the sourcing policy of issue #19 counts them
    'official': '''
        archives-lyon.fr bac-lac.wayback.archive-it.org iskarbg.bg gokceada.bel.tr yuksekova.bel.tr batman.bel.tr tillo.bel.tr shahrdariparandak.ir shora.sharifieh.com
        sanews.gov.za placenames.nt.gov.au ntlis.nt.gov.au www1.kassel.de lodz.pl kokkola.fi ouka.fi
        savonlinna.fi morbihan.fr provincia.laquila.it dlrcoco.ie cap-haitien.ht primariasingerei.md
        slovensko.sk jesenske.sk intranet.caib.es eisleben.eu connaitrelawallonie.wallonie.be
        api.parliament.uk lccn.loc.gov blogs.loc.gov kovelrada.gov.ua aydin.diyanet.gov.tr
        cityofliterature.jakarta.go.id bandaran-bsb.gov.bn spaceforce.mil e-history.kz e-history.kz.
        lagis-hessen.de dfa.co.za paperspast.natlib.govt.nz victoria.org.mt tatarstan.eu prlib.ru
        visitdaugavpils.lv nla.niedersachsen.de
        city.kitakyushu.lg.jp
        noumea.nc hclib.org juneau.org beta.juneau.org austinlibrary.com
        advocatekhoj.com
        toponymie.gouv.qc.ca fsmlaw.org archive.news.gov.bc.ca
        # session 8 (#19): legal databases and gazettes (Italy's Normattiva, Spain's BOE, Iran's
        # parliament research centre and its law portal, the Oireachtas, the Philippine law
        # library), regional and municipal councils and archives, state airport operators,
        # public bodies of the US, Canada, Japan and Turkey
        normattiva.it consiglio.vda.it boe.es boe.gob.es rc.majlis.ir dastour.ir oireachtas.ie
        lawphil.net archives.lehavre.fr archives-communales-ain.fr aam-loire.fr
        documentacion.diputacionalicante.es va.ajxabia.com kittsee.at matuskovo.sk tesedikovo.sk
        trstice.sk ciernybrod.sk eng.mojmirovce.sk login.taoweb.at nazimiye.bel.tr
        omanairports.co.om minneapolisparks.org queencharlotte.ca dvidshub.net
        city.minamisoma.lg.jp kaa.go.ke jnia.go.tz officedutourisme.gouv.cg
        yearbook.kenyayearbook.co.ke visityerevan.am
        # session 9 (#19): gazettes and legal databases (Denmark's Retsinformation, Kazakhstan's
        # Adilet, Greece's EETAA, Trentino's statute reform site), archives, town halls and
        # municipal or provincial bodies, national agencies
        riformastatuto.tn.it retsinformation.dk dapa.hr wwwapp.eetaa.gr adilet.zan.kz
        visit.veles.gov.mk apps.gov.bc.ca ville.riviere-du-loup.qc.ca ptowilliams.cl
        divinopolis.mg.leg.br moncton.ca ohcamaguey.cu cisga.com.br heritagetrust.on.ca
        city.mikasa.hokkaido.jp cms.city.noboribetsu.lg.jp city.sunagawa.hokkaido.jp
        sultannagadimaporo.com pc.go.kr sanandres.catanduanes.gov.ph tanza.gov.ph
        pitogoisland.gov.ph army.gr pleven.bg infotourism.sliven.bg ottoman.mfa.gov.tr
        en.prievidza.sk navstevnik.topolcany.sk viseudesus.ro cniptpetrosani.ro
        shoah.acs.beniculturali.it xn----9sbaqbobjpwdg6avg5dn7e.xn--80acgfbsl1azdqr.xn--p1ai
        jeonju.go.kr jeju.museum.go.kr english.jinan.gov.cn history.state.gov
        grandcombin.vda.it comune.ayas.ao.it catalogo.beniculturali.it mhv.valencia.es
        ''',
    'academic': '''
        gobiernolocal.org
        princeton.edu pitt.edu apcz.umk.pl archives.lakeheadu.ca usj.udpu.edu.ua en.uut.ac.ir
        eki.ee
        math.ust.hk eeo.aau.at eeo.uni-klu.ac.at magazin.uni-leipzig.de ome-lexikon.uni-oldenburg.de
        link.springer.com homsy-staging.cambridgecore.org dynamic-rsnz.natlib.govt.nz
        library.hungaricana.hu dlib.si 1945.instytutslaski.pl sztetl.org.pl archontology.org old-museum.org
        term.museum-digital.de muzej-velenje.si hpip.org
        taylorfrancis.com
        # session 8 (#19): Springer, MIT's Archnet, Project Runeberg's digitized books, a law
        # journal, the society for Schleswig-Holstein history and its memorial site, the
        # digitized Borovszky county monographs (Arcanum), the Taiwanese dictionary project
        rd.springer.com archnet.org runeberg.org revuegeneraledudroit.eu geschichte-s-h.de
        lernort-neulandhalle.de arcanum.hu tailo.fhl.net
        # session 9 (#19): the House of Austrian History (a federal museum), university
        # projects and libraries (Reno Historical, UNB), town museums, Slovenia's digital library
        hdgoe.at renohistorical.org voi.lib.unb.ca notlmuseum.ca dlib.si
        journal.kci.go.kr
        library.hungaricana.hu doaj.org yambolmuseum.eu museum-pz.com
        istmat.org
        yadvashem.org alt.edu.kz
        ''',
    'geonames/wikidata': 'geonames.org wikidata.org m.wikidata.org',
    'news': '''
        voceapuana.com lavozdegalicia.es thecork.ie vallartadaily.com em.com.br correodelsur.com backoffice.angop.ao angop.ao ilfaroonline.it news.prairiepublic.org dokuzeylul.com e-ptolemeos.gr
        indianexpress.com csmonitor.com scmp.com livemint.com timeslive.co.za thesouthafrican.com
        bssnews.net asiaplustj.info klix.ba en.interfax.com.ua risu.ua cbc.ca latimes.com
        irishtimes.com nzherald.co.nz m.dw.com rferl.org voanews.com jeuneafrique.com mg.co.za
        guyanachronicle.com ct24.ceskatelevize.cz madaplus.info marasexpress.com post.jagran.com
        zeenews.india.com financialexpress.com dailyo.in nationthailand.com english.chosun.com
        donga.com en.vietnamplus.vn voi.id qa.philstar.com inquirer.com stripes.com standard.co.uk
        sussexexpress.co.uk scoop.co.nz thewest.com.au nunatsiaq.com adn.com wfmj.com
        southarkansassun.com berliner-zeitung.de abendblatt.de mallorcazeitung.es farodevigo.es
        diariovasco.com diariodeferrol.com publico.es unionesarda.it lametino.it rss.verbano24.it
        youreporter.it france3-regions.francetvinfo.fr myziar.sme.sk spravy.pravda.sk zivot.pluska.sk
        history.hnonline.sk vary.idnes.cz watson.sk blisty.cz praguemonitor.com felvidek.ma
        dailynewshungary.com portalanalitika.me inserbia.info naslovi.net novibechej.com
        dogruhaber.com.tr akdenizgercek.com.tr alanyadayim.com umoloda.kyiv.ua konkurent.ua
        news.telegraf.com.ua dialog.ua dp.reporter.ua m.for-ua.com euromaidanpress.com
        kutaisipost.ge caucasianknot.org khovar.tj samara-news.ru vestikamaza.ru 63ch.ru sib.fm
        partizansk-vesti.ru politnavigator.net en.europeonline-magazine.eu europeonline-magazine.eu
        belganewsagency.eu pressreader.com nordstjernan.com theyeshivaworld.com themayor.eu
        en.scientificrussia.ru ktnv1.orf.at vtedy.sk diarioelvolcan.com polemicaparaiba.com.br
        puntocomlp.com.ar soubh.uai.com.br markteinblicke.de americanjournal.news
        duol.hu vgorodeperm.ru e1.ru on.kz
        # session 8 (#19)
        khaleejtimes.com gulfnews.com whatson.ae thenationalnews.com emirates247.com menafn.com
        hamshahrionline.ir rasanknews.com france24.com haaretz.com egyptindependent.com
        libyaherald.com dikgazete.com mansetx.com batmanobjektif.com eastcoastdaily.com
        pravasidaily.com maagulf.com urdupoint.com khazen.org woneminute.com pingtungtimes.com.tw
        verafiles.org starproperty.my antaranews.com japanese.beijingreview.com.cn
        dispatchlive.co.za zoutnet.co.za iol.co.za sapeople.com news24.com lusakatimes.com
        standardmedia.co.ke nehandaradio.com zambiareports.com zambianobserver.com
        thevillager.com.na spiegel.de insuedthueringen.de africanaerospace.aero ostro.info
        freeradio.com.ua nord-news.ru armenianclub.com region65.com arbetarbladet.se
        levante-emv.com europapress.es novosti.rs dnevnik.rs hl.rs ma7.sk muzsa.sk herodote.net
        # session 9 (#19)
        edgedavao.net diariogente.com m.notimerica.com diariopresente.mx odia.ig.com.br yna.co.kr
        g1.globo.com baixadafacil.com.br meridiano.mx moreliactiva.com elsoldetampico.com.mx
        elpitazo.net eldesenlace.com eltribunodejujuy.com eluniversalpuebla.com.mx allafrica.com
        kukinews.com uljin21.com kado.net vagabond.bg daily.bia-bg.com newgermanyheraldjournal.com
        intelligencer.ca dunavmost.com actualno.com 168chasa.bg wtvr.com unionleader.com
        news.prairiepublic.org zonazero.cl thespectrum.com ajc.com lodehoyenelpuerto.com
        cambiodemichoacan.com.mx eastbaytimes.com sun-sentinel.com excelsior.com.mx
        global.chinadaily.com.cn lokalavisen.dk civilportal.ro wrdw.com nydailynews.com
        niagaranow.com palmbeachpost.com banderasnews.com casino.org dariknews.bg hellaslife.com
        olympiobima.gr ellinonfos.gr kozan.gr greekherald.com.au infocs.ro infoturda.ro
        dragusanul.ro puchovskenoviny.sk e-svilengrad.com tribtoday.com infoborsa.ro
        escapadas.mexicodesconocido.com.mx broward.us
        urfahaber63.com mucadelegazetesi.com.tr gocekgazete.com rizetakip.com kimlikhaber.com
        haberler.com 4defevereiro.co.ao opais.co.mz
        zakon.kz adyrna.kz rbc.ru
        ''',
    'copy': '''
        memim.com reiseweltatlas.de de-academic.com en-academic.com universal_lexikon.de-academic.com
        universalium.en-academic.com meyers.de-academic.com fr-academic.com enacademic.com
        dewiki.academic.ru enwiki.academic.ru de.academic.ru universal_lexikon.academic.ru
        universalium.academic.ru alchetron.com wikiless.lunar.icu graphsearch.epfl.ch docslib.org
        enwikipedia.net de.knowledgr.com es.knowledger.de wikipedia2007.classicistranieri.com
        wikipedia.classicistranieri.com classicistranieri.com pinocchiopedia.com soft.lk
        kampuspedia.com primidi.com fra.wiki wiki-org.ru de.frwiki.wiki ebook.worldlibrary.net
        gutenberg.us self.gutenberg.org chaos.owiki.org w.owiki.org owiki.org shortpedia.org
        strabon.io perceptiode.com perceptionl.com perceptiocs.com perceptioro.com perceptiosv.com
        perceptioda.com perceptiofi.com perceptioes.com perceptiopt.com de.zxc.wiki encycloreader.org
        hmong.ru hmong.in.th hmong.es wiki-data.de-de.nina.az wiki3.en-us.nina.az
        wikidata.de-de.nina.az ak2.bloat.cat ak.bloat.cat en.m.wiki.x.io en.wiki.x.io pl.m.wiki.x.io
        wiki.golden.com de.wikiup.org clever-geek.imtqy.com world.wikisort.org familypedia.fandom.com
        db0nus869y26v.cloudfront.net nzt-eth.ipns.dweb.link everyfhing.explained.today
        everything.explained.today encyclopedia.kids.net.au worddisk.com askwikinow.com
        wiki.kidzsearch.com rt.http3.lol 5.180.24.3 108.161.137.60 wiki.riteme.site datadosen.com
        world3962.rssing.com wikizero.net wikizero.org fact-index.com reference.com wikivisually.com
        m.global.ssl.fastly.net n.global.ssl.fastly.net l.global.ssl.fastly.net de.wikial.top
        handwiki.org mdsite.deno.dev infinitelexicon.com infinitelexicon.pages.dev rewrapumt.pages.dev
        en-wiki.4mirror.workers.dev wiki.gravy.cc wiki.sarg.dev defr.xcv.wiki dehu.xcv.wiki
        desv.xcv.wiki nl.qaz.wiki pt.qaz.wiki pl.qaz.wiki deit.qaz.wiki howlingpixel.com
        questionai.com knowpia.com de.encyclopaedia.wikia.com encyclopaedia.fandom.com
        bse.info-spravka.ru thefullwiki.org maps.thefullwiki.org en.alegsaonline.com route.wiki
        dumps.wikimedia.your.org es.stringtranslate.com netipedia.com wiki.niidae.com en-wiki.fonk.bid
        de.wiki.li dkwiki.dk wikide.org en-m-wikipedia-org.zproxy.org wiki.1209k.com envf.vvvay.net
        tomorrow.paperai.life marbk-86a.win a.osmarks.net wiki-gateway.eudic.net it.wiki7.org
        de.wiki7.org doc.surf iw.mgwiki.top traditio.wiki movatter.jp kiwix.casplantje.nl iiab.me
        wiki.outremer.quest nl.cultureoeuvre.com wikipedia.bradmurray.com cc.bingj.com
        wikiclassic.com wikipedia.qwika.com rp.liu233w.com mirror.wmcloud.org wiki.studentb.eu
        worldwizzy.com jewiki.net da.wikiital.com de.wikiital.com sv.wikiital.com friendlywiki.com
        wonilvalve.com wikimili.com library.kiwix.org gateway.ipfs.io ipfs.io absoluteastronomy.com
        academickids.com piglix.com wikisum.wiki liquisearch.com en.wikipedia-on-ipfs.org
        blogen.wiki wikiwand.com cryer.org.uk profound-information.com profound-tips.com
        profoundtips.com ed.mdict.net ed.newdu.com slovar-vocab.com findwords.info wordhelp.com
        dokumen123.com 9dok.org scribd.com fanyv88.com cesko.wiki statemaster.com famousfix.com
        upcscavenger.com piguhua.com wiki.phantis.com factsnippet.com dmozlive.com
        metaglossary.com tvmoviesgames.com history.info yearis.com how.co when.com
        profilpelajar.com profilbaru.com infokontak.com tovisorga.com maccql.com inmathi.com
        shecodes.io bulmacabil.com synonyme-du-mot.com lafzuna.com takakoz.com citiestab.com
        thesciencework.com 4information.com quizzclub.com bongdasuty.pages.dev
        nobeliumfive346.sbs eifxekqkqvx.shop zalansite.site attractions.pw ads.massage.live
        russianwomenblog.hotrussianbrides.com city-of-brides.com ibetubet.com
        ''',
}
HOST_KIND = {h: k for k, hs in HOSTS.items() for h in hs.split()}

# Patterns for hosts not in the table, tried in order.
PATTERNS = [
    (r'(^|\.)wikipedia\.(org|com)\.?$', 'wikipedia'),
    (r'(^|\.)wikisource\.org\.?$', 'wikisource'),
    (r'(^|\.)(geonames\.org|wikidata\.org)$', 'geonames/wikidata'),
    (r'\.(gov|gouv|gob|go|govt|gv|mil)(\.[a-z]{2})?$|\.gov\.[a-z]{2}$|\.gc\.ca$', 'official'),
    (r'\.edu(\.[a-z]{2})?$|\.ac\.[a-z]{2}$|(^|\.)uni-[a-z-]+\.de$', 'academic'),
    (r'ipfs|ipns|dweb\.link|uncensored-wiki|classicistranieri|owiki|academic\.(ru|com)$'
     r'|qaz\.wiki|xcv\.wiki|zxc\.wiki|wikiital|nina\.az|(^|\.)perceptio[a-z]+\.com$'
     r'|knowledger?\.|(^|\.)wiki[a-z0-9-]*\.(?!org$)', 'copy'),
]


def kind(url):
    host = urlparse(url.strip()).netloc.lower()
    if host.startswith('www.'):
        host = host[4:]
    if host in HOST_KIND:
        return HOST_KIND[host]
    for rx, k in PATTERNS:
        if re.search(rx, host):
            return k
    return 'other'


def host_of(url):
    h = urlparse(url.strip()).netloc.lower()
    return h[4:] if h.startswith('www.') else h


def main(argv):
    show = None
    if argv[:1] == ['--hosts']:
        show, argv = argv[1], argv[2:]
    paths = argv or sorted([p for p in glob.glob('data/*.csv') if not p.endswith('/links.csv')])
    by_kind, hosts = Counter(), {k: Counter() for k in KINDS}
    total = 0
    for path in paths:
        with open(path, encoding='utf-8', newline='') as f:
            for row in csv.DictReader(f):
                total += 1
                k = kind(row['source'])
                by_kind[k] += 1
                hosts[k][host_of(row['source'])] += 1
    print(f'{"kind":<20}{"rows":>7}{"share":>8}{"hosts":>7}')
    for k in KINDS:
        print(f'{k:<20}{by_kind[k]:>7}{100 * by_kind[k] / max(total, 1):>7.1f}%{len(hosts[k]):>7}')
    orig = sum(by_kind[k] for k in ORIGINAL)
    print(f'{"original":<20}{orig:>7}{100 * orig / max(total, 1):>7.1f}%')
    print(f'{"total":<20}{total:>7}')
    for k in KINDS if show == 'all' else ([show] if show else []):
        print(f'\n{k}:')
        for h, n in hosts[k].most_common():
            print(f'  {n:>5} {h}')


if __name__ == '__main__':
    main(sys.argv[1:])
