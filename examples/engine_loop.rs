//! A search loop to profile the engine with perf (not a benchmark: no figure printed
//! but the elapsed time): `cargo build --release --example engine_loop`, then
//! `perf record -g target/release/examples/engine_loop [loops] [corpus]`.
//! `corpus` 0 (default) = the shipped data; otherwise a realistic corpus of that size.

#[path = "../benches/search/corpus.rs"]
#[allow(dead_code)]
mod corpus;
#[path = "../benches/search/realistic.rs"]
#[allow(dead_code)]
mod realistic;
#[path = "../benches/search/rotation.rs"]
#[allow(dead_code)]
mod rotation;

/// The server's allocator (`src/main.rs`), so that figures match what it does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;
use std::time::Instant;

use referentiel_jeunesse::data;
use referentiel_jeunesse::search::{Engine, SearchRequest};

fn main() {
    let mut args = std::env::args().skip(1);
    let loops: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let corpus: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let shipped = data::load(&root, rotation::TODAY).expect("shipped data");
    let data = if corpus == 0 {
        shipped
    } else {
        realistic::generate(&shipped, corpus)
    };
    eprintln!("data set: {}", memory());
    let t = Instant::now();
    let engine = Engine::in_ram(data).expect("engine");
    eprintln!(
        "build {:.2} s, {} segment(s); {}",
        t.elapsed().as_secs_f64(),
        engine
            .index()
            .searchable_segment_ids()
            .map_or(0, |s| s.len()),
        memory()
    );
    let requests: Vec<SearchRequest> = rotation::ROTATION.iter().map(rotation::request).collect();
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..loops {
        for r in &requests {
            n += rotation::run(&engine, r);
        }
    }
    let per = t.elapsed().as_secs_f64() * 1000.0 / (loops * requests.len()) as f64;
    eprintln!("{n} results, {per:.3} ms per search");
}

/// Resident and peak memory of this process (`/proc/self/status`).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}
