//! Times what a miss costs beyond loading: the tiers that find nothing, then the fuzzy
//! suggestions. A benchmark (issue #5), not a test:
//!
//!     cargo run --release --example miss -- bench/out/places.csv Nopunanx Stalingrd ...

use gazetteer::matching::Matcher;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let data = args.next().expect("usage: miss DATA.csv QUERY...");
    let started = Instant::now();
    let mut v = gazetteer::validate::Validator::new();
    gazetteer::source::read_into(&gazetteer::source::Input::File(data.into()), &mut v)
        .expect("readable data");
    let g = v.finish().gazetteer;
    let loaded = started.elapsed();
    let m = Matcher::new(&g);
    println!(
        "loaded {} names in {:.2?}, indexed in {:.2?}",
        g.name_count(),
        loaded,
        started.elapsed() - loaded
    );
    for q in args {
        let t = Instant::now();
        let found = m.find(&g, &q);
        let find = t.elapsed();
        let t = Instant::now();
        let suggestions = m.suggest(&g, &q, 3, &|_| true);
        println!(
            "{q:>24}: {} places in {:.2?}; suggestions {:?} in {:.2?}",
            found.len(),
            find,
            suggestions,
            t.elapsed()
        );
    }
}
