//! Where the engine's memory goes at scale: live heap bytes (a counting allocator over
//! mimalloc) after generating a realistic corpus, after building the engine in memory or
//! on disk, and the peak during the build. `cargo run --release --example engine_memory
//! [corpus] [ram|disk]`.

#[path = "../benches/search/corpus.rs"]
#[allow(dead_code)]
mod corpus;
#[path = "../benches/search/measure.rs"]
#[allow(dead_code)]
mod measure;
#[path = "../benches/search/realistic.rs"]
#[allow(dead_code)]
mod realistic;
#[path = "../benches/search/rotation.rs"]
#[allow(dead_code)]
mod rotation;

use std::alloc::{GlobalAlloc, Layout};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use referentiel_jeunesse::data;
use referentiel_jeunesse::search::Engine;

/// mimalloc, counting the bytes live now and at their peak.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static INNER: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { INNER.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { INNER.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { INNER.realloc(p, l, new) };
        if !q.is_null() {
            if new >= l.size() {
                let now = LIVE.fetch_add(new - l.size(), Ordering::Relaxed) + new - l.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(l.size() - new, Ordering::Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mib(b: usize) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

fn line(what: &str) {
    let (rss_peak, rss) = measure::memory_mib();
    eprintln!(
        "{what}: heap live {:.0} MiB, heap peak {:.0} MiB; RSS {rss:.0} MiB, RSS peak {rss_peak:.0} MiB",
        mib(LIVE.load(Ordering::Relaxed)),
        mib(PEAK.load(Ordering::Relaxed)),
    );
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let mut args = std::env::args().skip(1);
    let corpus: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let disk = args.next().as_deref() == Some("disk");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let shipped = data::load(&root, rotation::TODAY).expect("shipped data");
    let data = realistic::generate(&shipped, corpus);
    drop(shipped);
    line("data set");
    if std::env::var("FIELDS").is_ok() {
        macro_rules! field {
            ($name:ident) => {{
                let before = LIVE.load(Ordering::Relaxed);
                let copy: Vec<_> = data.schemes.iter().map(|s| s.$name.clone()).collect();
                let after = LIVE.load(Ordering::Relaxed);
                eprintln!(
                    "{:14} {:8.0} B/scheme (heap)",
                    stringify!($name),
                    (after - before) as f64 / data.schemes.len() as f64
                );
                drop(copy);
            }};
        }
        field!(id);
        field!(nom);
        field!(alias);
        field!(resume);
        field!(description);
        field!(thematiques);
        field!(publics);
        field!(eligibilite);
        field!(territoire);
        field!(porteur);
        field!(avantages);
        field!(conditions);
        field!(demarches);
        field!(lien_demarche);
        field!(contact);
        field!(chiffres_cles);
        field!(calendrier);
        field!(mots_cles);
        field!(sources);
        eprintln!(
            "Scheme struct {} B",
            std::mem::size_of::<referentiel_jeunesse::scheme::Scheme>()
        );
    }
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let t = Instant::now();
    let dir = std::env::temp_dir().join(format!("engine-memory-{}", std::process::id()));
    let engine = if disk {
        Engine::on_disk(data, &dir).expect("engine")
    } else {
        Engine::in_ram(data).expect("engine")
    };
    eprintln!("build {:.2} s", t.elapsed().as_secs_f64());
    line("engine built");
    drop(engine);
    line("engine dropped");
    let _ = std::fs::remove_dir_all(&dir);
}
