//! Any bytes, read as lossy UTF-8, as the search text: `Engine::search` (relevance with
//! snippets, then by name with an age filter) and `Engine::suggest` must answer without
//! panicking and without an internal error.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use referentiel_jeunesse::search::{Engine, Filters, SearchRequest, Sort};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
        let data = referentiel_jeunesse::data::load(&dir, referentiel_jeunesse::today())
            .expect("shipped data");
        Engine::in_ram(data).expect("engine")
    })
}

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let engine = engine();

    let req = SearchRequest {
        text: text.clone(),
        filters: Filters::default(),
        sort: Sort::Relevance,
        offset: 0,
        limit: 20,
        snippets: true,
        today: referentiel_jeunesse::today(),
    };
    let results = engine.search(&req).expect("search (relevance)");
    assert!(results.hits.len() <= 20);
    assert!(results.hits.len() <= results.total);

    let req = SearchRequest {
        filters: Filters {
            age: Some(bytes.len() as u8 % 30),
            ..Filters::default()
        },
        sort: Sort::Name,
        offset: bytes.len() % 7,
        limit: 5,
        snippets: false,
        ..req
    };
    engine.search(&req).expect("search (name, age)");

    let suggestions = engine.suggest(&text, 8).expect("suggest");
    assert!(suggestions.len() <= 8);
});
