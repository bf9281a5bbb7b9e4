//! Search benchmarks (figures for a report; nothing here asserts a timing).
//!
//! `cargo bench --bench search` runs, in this order:
//!
//! 1. shipped data: the engine alone next to SQLite FTS5 on the same schemes and queries
//!    (`fts5.rs`): per query, median time and number of results of each; p50/p99 over
//!    2 000 queries of the rotation for each, and their ratio;
//! 2. a *realistic* generated corpus (`realistic.rs`, 100 000 schemes: local editions of
//!    the shipped schemes, vocabulary growing with the corpus): generation, then the engine
//!    first (`Engine::in_ram` build time, p50/p99, peak memory, criterion benches), then the
//!    tantivy index alone, then FTS5's build and p50/p99, with the peak memory of each step;
//! 3. the *pessimistic* generated corpus (`pessimistic.rs`, every scheme mixes words of all
//!    the shipped ones, so common words match most documents): the same engine figures;
//! 4. criterion benches: `shipped/<kind>/<query>` and `fts5/<kind>/<query>` (same ids, same
//!    run), `<corpus>-100k/<kind> xN` and `plan`, the index build (`build/...`, flat
//!    sampling) on the shipped data and 2 000-scheme corpora, and `analyzer/stem`.
//!
//! Memory: each step resets the process's peak (`/proc/self/clear_refs`) and prints the
//! peak (`VmHWM`) and resident (`VmRSS`) sizes; the generated data set alone is the
//! resident size after generation.
//!
//! `BENCH_CORPUS=<n>` sets the generated corpus size (default 100 000; 20 000 takes about a
//! fifth of the time), `BENCH_CORPORA=realistic` (or `pessimistic`) runs one corpus only.
//! Outside `cargo bench` (e.g. `cargo test --benches`), the same code runs on a small
//! corpus and criterion runs each bench once, so that a test run stays quick.

/// The server's allocator (`src/main.rs`), so that figures match what it does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod corpus;
mod fts5;
mod measure;
mod pessimistic;
mod realistic;
mod rotation;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode};
use referentiel_jeunesse::data::{self, Dataset};
use referentiel_jeunesse::search::analyzer::stem;
use referentiel_jeunesse::search::index::build_in_ram;
use referentiel_jeunesse::search::query::plan;
use referentiel_jeunesse::search::{Engine, SearchRequest};

use fts5::Fts5;
use measure::{
    loadavg, memory_line, per_query, reset_peak, rotation_loop, timed, Latency, Searcher,
};
use rotation::{label, request, run, Kind, TODAY};

use crate::rotation::ROTATION;

/// How big the run is: `cargo bench` or a quick check.
struct Size {
    full: bool,
    corpus: usize,
    loops: usize,
}

fn fts_run(db: &Fts5, i: usize) -> usize {
    let (hits, total) = db.search(&ROTATION[i]).expect("fts5 search");
    black_box(&hits);
    total
}

fn ratio_line(title: &str, engine: Latency, fts: Latency) {
    println!(
        "{title}: engine ÷ FTS5 = {:.2} at p50 ({:.3} / {:.3} ms), {:.2} at p99 ({:.3} / {:.3} ms)",
        engine.p50 / fts.p50,
        engine.p50,
        fts.p50,
        engine.p99 / fts.p99,
        engine.p99,
        fts.p99
    );
}

/// Step 1: the shipped data, engine and FTS5 side by side.
fn shipped_step(c: &mut Criterion, size: &Size, shipped: &Dataset) -> Engine {
    let (engine, _) = timed("shipped index build (Engine::in_ram)", || {
        Engine::in_ram(shipped.clone()).expect("shipped engine")
    });
    let (db, _) = timed("shipped FTS5 build", || Fts5::build(shipped).expect("fts5"));
    let requests: Vec<SearchRequest> = ROTATION.iter().map(request).collect();
    let mut eng = |i: usize| run(&engine, &requests[i]);
    let mut fts = |i: usize| fts_run(&db, i);
    per_query(
        "shipped",
        if size.full { 101 } else { 5 },
        &mut [("engine", &mut eng as Searcher), ("FTS5", &mut fts)],
    );
    let e = rotation_loop("shipped engine", size.loops, &mut eng);
    let f = rotation_loop("shipped FTS5", size.loops, &mut fts);
    ratio_line("shipped", e, f);

    let mut g = c.benchmark_group("shipped");
    for (q, req) in ROTATION.iter().zip(&requests) {
        g.bench_with_input(BenchmarkId::new(q.kind.label(), label(q)), req, |b, r| {
            b.iter(|| run(&engine, r))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("fts5");
    for (i, q) in ROTATION.iter().enumerate() {
        g.bench_with_input(BenchmarkId::new(q.kind.label(), label(q)), &i, |b, &i| {
            b.iter(|| fts_run(&db, i))
        });
    }
    g.finish();
    engine
}

/// Criterion: each kind of query on a big engine, and query analysis alone.
fn corpus_benches(c: &mut Criterion, tag: &str, engine: &Engine) {
    let mut g = c.benchmark_group(tag);
    g.measurement_time(Duration::from_secs(4));
    for kind in Kind::ALL {
        let reqs: Vec<SearchRequest> = ROTATION
            .iter()
            .filter(|q| q.kind == kind)
            .map(request)
            .collect();
        // One iteration = every query of that kind, once.
        g.bench_function(format!("{} x{}", kind.label(), reqs.len()), |b| {
            b.iter(|| reqs.iter().map(|r| run(engine, r)).sum::<usize>())
        });
    }
    // Query analysis alone (words, synonyms, typos, prefixes against the vocabulary),
    // before any tantivy work: one iteration = the whole rotation, once.
    g.bench_function(format!("plan x{}", ROTATION.len()), |b| {
        b.iter(|| {
            ROTATION
                .iter()
                .map(|q| {
                    plan(q.text, engine.vocabulary(), &engine.data.synonyms)
                        .slots
                        .len()
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

/// Steps 2 and 3: one generated corpus, from generation to queries; FTS5 too if asked.
fn corpus_step(
    c: &mut Criterion,
    size: &Size,
    shipped: &Dataset,
    name: &str,
    generate: fn(&Dataset, usize) -> Dataset,
    with_fts: bool,
) {
    let tag = format!("{name}-{}k", size.corpus / 1000);
    println!("\n== {tag}: {name} corpus of {} schemes", size.corpus);
    if !reset_peak() {
        println!("(peak memory cannot be reset here: peaks below include earlier steps)");
    }
    memory_line("before generation");
    let (data, _) = timed("generation", || generate(shipped, size.corpus));
    let (_, data_rss) = memory_line("with the generated data set");
    // The engine first, so that its peak is not one the allocator kept from another step.
    reset_peak();
    let (engine, build) = timed(&format!("{tag} Engine::in_ram"), || {
        Engine::in_ram(data).expect("generated engine")
    });
    let (build_peak, after_build) = memory_line("engine build");
    let requests: Vec<SearchRequest> = ROTATION.iter().map(request).collect();
    let mut eng = |i: usize| run(&engine, &requests[i]);
    per_query(
        &tag,
        if size.full { 11 } else { 3 },
        &mut [("engine", &mut eng as Searcher)],
    );
    let e = rotation_loop(&format!("{tag} engine"), size.loops, &mut eng);
    let (query_peak, _) = memory_line("engine build and queries");
    corpus_benches(c, &tag, &engine);
    let data = engine.data.clone();
    drop(engine);
    reset_peak();
    let ((index, _), index_time) = timed(
        &format!("{tag} tantivy index alone (index::build_in_ram)"),
        || build_in_ram(&data).expect("index"),
    );
    let (index_peak, _) = memory_line("tantivy index build");
    drop(index);
    println!(
        "{tag} engine ({} docs): build {:.2} s (index alone {:.2} s), p50 {:.3} ms, p99 {:.3} ms; \
         peak {:.0} MiB (index alone {:.0} MiB), {:.0} MiB resident after build, data set {:.0} MiB",
        data.schemes.len(),
        build.as_secs_f64(),
        index_time.as_secs_f64(),
        e.p50,
        e.p99,
        build_peak.max(query_peak),
        index_peak,
        after_build,
        data_rss
    );
    if with_fts {
        reset_peak();
        let (db, _) = timed(&format!("{tag} FTS5 build"), || {
            Fts5::build(&data).expect("fts5")
        });
        let mut fts = |i: usize| fts_run(&db, i);
        let f = rotation_loop(&format!("{tag} FTS5"), size.loops, &mut fts);
        let (peak, _) = memory_line("FTS5 build and queries");
        println!(
            "{tag} FTS5: p50 {:.3} ms, p99 {:.3} ms, peak {peak:.0} MiB ({:.0} MiB above the data set; \
             the allocator may keep pages of the engine's step)",
            f.p50,
            f.p99,
            peak - data_rss
        );
    }
    println!("load average {}", loadavg());
}

/// Criterion: index builds on small corpora, and the stemmer.
fn build_benches(c: &mut Criterion, size: &Size, shipped: &Dataset) {
    let n = if size.full { 2_000 } else { 200 };
    let mids = [
        ("realistic", realistic::generate(shipped, n)),
        ("pessimistic", pessimistic::generate(shipped, n)),
    ];
    let mut g = c.benchmark_group("build");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(1));
    g.bench_function("shipped Engine::in_ram", |b| {
        b.iter(|| Engine::in_ram(shipped.clone()).expect("engine").num_docs())
    });
    g.bench_function("shipped FTS5", |b| {
        b.iter(|| Fts5::build(shipped).expect("fts5"))
    });
    for (name, mid) in &mids {
        g.bench_function(format!("{name}-{n} index::build_in_ram"), |b| {
            b.iter(|| build_in_ram(mid).expect("index").0)
        });
        // Index + reader + vocabulary + per-scheme word sets.
        g.bench_function(format!("{name}-{n} Engine::in_ram"), |b| {
            b.iter_batched(
                || mid.clone(),
                |d| Engine::in_ram(d).expect("engine").num_docs(),
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();

    // The stemmer of one word, called per word at build (word sets) and per query word.
    let mut g = c.benchmark_group("analyzer");
    g.bench_function("stem(\"vacances\")", |b| {
        b.iter(|| stem(black_box("vacances")))
    });
    g.finish();
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let size = Size {
        full,
        corpus: std::env::var("BENCH_CORPUS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(if full { 100_000 } else { 2_000 }),
        loops: if full { 2_000 } else { 100 },
    };
    let corpora = std::env::var("BENCH_CORPORA").unwrap_or_else(|_| "realistic,pessimistic".into());

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let shipped = data::load(&root, TODAY).expect("shipped data");
    println!(
        "shipped data: {} schemes, {} communes; load average {}",
        shipped.schemes.len(),
        shipped.communes.len(),
        loadavg()
    );
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
        .configure_from_args();

    let small = shipped_step(&mut c, &size, &shipped);
    if corpora.contains("realistic") {
        corpus_step(
            &mut c,
            &size,
            &shipped,
            "realistic",
            realistic::generate,
            true,
        );
    }
    if corpora.contains("pessimistic") {
        corpus_step(
            &mut c,
            &size,
            &shipped,
            "pessimistic",
            pessimistic::generate,
            false,
        );
    }
    drop(small);
    build_benches(&mut c, &size, &shipped);
    c.final_summary();
    memory_line("at end");
    println!("load average {}", loadavg());
}
