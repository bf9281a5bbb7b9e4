//! Any bytes, read as lossy UTF-8, as the query string of a search page:
//! `web::params::search` must accept or refuse it with a message, never panic; and what it
//! accepts must survive a round trip through `query_string`.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use referentiel_jeunesse::data::Dataset;
use referentiel_jeunesse::web::params;

fn data() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
        referentiel_jeunesse::data::load(&dir, referentiel_jeunesse::today()).expect("shipped data")
    })
}

fuzz_target!(|bytes: &[u8]| {
    let s = String::from_utf8_lossy(bytes).into_owned();
    let data = data();
    match params::search(Some(&s), data) {
        Ok(p) => {
            let _ = p.filters();
            let _ = p.offset();
            let again = p.query_string(Some(p.page));
            let q = params::search(Some(&again), data).expect("a query string we wrote parses");
            // Whole-struct equality: every parameter (and the resolved commune) is compared.
            assert_eq!(q, p);
        }
        Err(e) => assert!(!e.message.is_empty()),
    }
});
