//! Search benchmarks (figures for a report; nothing here asserts a timing).
//!
//! `cargo bench --bench search` runs, in this order:
//!
//! 1. plain timing loops (printed): per-query latency on the shipped data, then a generated
//!    corpus of 100 000 schemes: generation time, `Engine::in_ram` build time, p50/p99 over
//!    2 000 queries of the rotation, and the process's peak memory (`VmHWM`);
//! 2. criterion benches: `shipped/<kind>/<query>`, `generated-100k/<kind>`, the index build
//!    (`build/...`, flat sampling, 10 samples) on the shipped data and on a 2 000-scheme
//!    generated corpus (the 100k build takes minutes: it is timed once, in step 1),
//!    `plan/...` (query analysis alone, over the whole rotation) and `analyzer/stem`.
//!
//! Outside `cargo bench` (e.g. `cargo test --benches`), the same code runs on a small
//! corpus and criterion runs each bench once, so that a test run stays quick.
//!
//! `BENCH_CORPUS=<n>` changes the size of the generated corpus (default 100 000).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode};
use referentiel_jeunesse::data::{self, Dataset};
use referentiel_jeunesse::scheme::{AgeRange, Scheme, Slug, Territory};
use referentiel_jeunesse::search::analyzer::stem;
use referentiel_jeunesse::search::index::build_in_ram;
use referentiel_jeunesse::search::query::plan;
use referentiel_jeunesse::search::{Engine, Filters, SearchRequest, Sort};
use referentiel_jeunesse::text;

/// Arras (INSEE code, EPCI CU d'Arras) and Lens (CA de Lens-Liévin).
const ARRAS: (&str, &str) = ("62041", "200033579");
const LENS: (&str, &str) = ("62498", "246200364");

/// What a query is made of, to group the figures.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Typo,
    Prefix,
    Everyday,
    Name,
    Filtered,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Typo => "typo",
            Kind::Prefix => "prefix",
            Kind::Everyday => "everyday",
            Kind::Name => "name",
            Kind::Filtered => "filtered",
        }
    }

    const ALL: [Kind; 5] = [
        Kind::Typo,
        Kind::Prefix,
        Kind::Everyday,
        Kind::Name,
        Kind::Filtered,
    ];
}

struct Query {
    kind: Kind,
    text: &'static str,
    age: Option<u8>,
    commune: Option<(&'static str, &'static str)>,
}

const fn q(kind: Kind, text: &'static str) -> Query {
    Query {
        kind,
        text,
        age: None,
        commune: None,
    }
}

const fn qf(
    text: &'static str,
    age: Option<u8>,
    commune: Option<(&'static str, &'static str)>,
) -> Query {
    Query {
        kind: Kind::Filtered,
        text,
        age,
        commune,
    }
}

/// Queries as young people type them: typos, words being typed, everyday language.
const ROTATION: &[Query] = &[
    q(Kind::Typo, "servise civik"),
    q(Kind::Typo, "permi de condur"),
    q(Kind::Typo, "erasmuss"),
    q(Kind::Typo, "boursse colege"),
    q(Kind::Typo, "baffa"),
    q(Kind::Prefix, "permi"),
    q(Kind::Prefix, "sac ad"),
    q(Kind::Prefix, "promen"),
    q(Kind::Prefix, "colle"),
    q(Kind::Everyday, "partir en vacances avec mes potes"),
    q(Kind::Everyday, "aide pour le permis"),
    q(Kind::Everyday, "stage 3eme"),
    q(Kind::Everyday, "job d'ete"),
    q(Kind::Everyday, "trouver un taf"),
    q(Kind::Everyday, "j'ai besoin de thune pour mes etudes"),
    q(Kind::Everyday, "parler a quelqu'un ca va pas"),
    q(Kind::Everyday, "faire du sport pas cher"),
    q(Kind::Name, "sac ados"),
    q(Kind::Name, "bafa"),
    q(Kind::Name, "pass culture"),
    q(Kind::Name, "service civique"),
    q(Kind::Name, "mission locale"),
    qf("", Some(17), None),
    qf("permis", Some(18), Some(ARRAS)),
    qf("vacances", Some(16), Some(LENS)),
    qf("job d'ete", None, Some(ARRAS)),
    qf("stage 3eme", Some(14), None),
    qf("", None, Some(LENS)),
];

/// A fixed day, so that runs compare.
const TODAY: time::Date = time::macros::date!(2026 - 12 - 01);

fn request(q: &Query) -> SearchRequest {
    SearchRequest {
        text: q.text.to_owned(),
        filters: Filters {
            age: q.age,
            communes: q
                .commune
                .map(|(insee, epci)| (insee.to_owned(), Some(epci.to_owned())))
                .into_iter()
                .collect(),
            ..Filters::default()
        },
        sort: Sort::Relevance,
        offset: 0,
        limit: 20,
        snippets: true,
        today: TODAY,
    }
}

fn label(q: &Query) -> String {
    let mut s = if q.text.is_empty() {
        "(vide)".to_owned()
    } else {
        q.text.to_owned()
    };
    if let Some(a) = q.age {
        s.push_str(&format!(" age={a}"));
    }
    if let Some((insee, _)) = q.commune {
        s.push_str(&format!(" commune={insee}"));
    }
    s
}

/// Runs a search and keeps what a page would touch.
fn run(engine: &Engine, req: &SearchRequest) -> usize {
    let r = engine.search(req).expect("search");
    black_box(&r.hits);
    black_box(&r.did_you_mean);
    r.total
}

// ---------------------------------------------------------------------------------------
// Fixed-seed PRNG (splitmix64) and corpus generation.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Skewed towards the first items (rank ~ n·u³): a few frequent, many rare.
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64) * u * u * u) as usize % n
    }
}

/// Words and phrases of the shipped data, to recombine.
struct Pools {
    /// Surface words (accents and case kept) of every text of the shipped schemes.
    words: Vec<String>,
    /// Sentences of descriptions and summaries.
    sentences: Vec<String>,
    keywords: Vec<String>,
    avantages: Vec<String>,
    conditions: Vec<String>,
    demarches: Vec<String>,
    /// Words of scheme names.
    name_words: Vec<String>,
    /// Commune names, for local names (« Point info Liévin »).
    places: Vec<String>,
    /// Made-up French-looking words: the long tail of a large corpus's vocabulary.
    invented: Vec<String>,
    communes: Vec<(String, Option<String>)>,
    epci: Vec<String>,
    themes: Vec<Slug>,
    publics: Vec<Slug>,
}

const SYLLABLES: &[&str] = &[
    "ba", "be", "bi", "bou", "ca", "ce", "cha", "che", "co", "da", "de", "di", "don", "fa", "fe",
    "fi", "fon", "ga", "gi", "gre", "la", "le", "li", "lon", "lou", "ma", "me", "mi", "mon", "na",
    "ne", "ni", "no", "pa", "pe", "pi", "pon", "ra", "re", "ri", "ro", "rou", "sa", "se", "si",
    "son", "ta", "te", "ti", "ton", "tre", "va", "ve", "vi", "vil", "ver", "mar", "por", "tan",
    "quet", "ette", "ois", "ard", "ière", "é", "ée", "ent", "age",
];

fn surface_words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
        .filter(|w| w.chars().count() >= 2)
}

fn pools(data: &Dataset, rng: &mut Rng) -> Pools {
    let mut words = Vec::new();
    let mut sentences = Vec::new();
    let mut keywords = Vec::new();
    let mut avantages = Vec::new();
    let mut conditions = Vec::new();
    let mut demarches = Vec::new();
    let mut name_words = Vec::new();
    for s in &data.schemes {
        for t in [&s.resume, &s.description] {
            for sentence in t.split_inclusive(['.', '?', '!']) {
                let sentence = sentence.trim();
                if sentence.len() > 10 {
                    sentences.push(sentence.to_owned());
                }
            }
        }
        let texts = [&s.nom, &s.resume, &s.description, &s.porteur]
            .into_iter()
            .chain(&s.avantages)
            .chain(&s.conditions)
            .chain(&s.demarches)
            .chain(&s.mots_cles);
        for t in texts {
            words.extend(surface_words(t));
        }
        name_words.extend(surface_words(&s.nom));
        keywords.extend(s.mots_cles.iter().cloned());
        avantages.extend(s.avantages.iter().cloned());
        conditions.extend(s.conditions.iter().cloned());
        demarches.extend(s.demarches.iter().cloned());
    }
    words.sort();
    words.dedup();
    name_words.sort();
    name_words.dedup();
    let all_communes: Vec<_> = (0..)
        .map_while(|i: usize| {
            // Communes has no iterator: walk the INSEE codes 62001..62999.
            (i < 1000).then(|| data.communes.commune(&format!("62{:03}", i + 1)))
        })
        .flatten()
        .collect();
    let places = all_communes.iter().map(|c| c.nom.clone()).collect();
    let communes = all_communes
        .iter()
        .map(|c| (c.code.clone(), c.epci.clone()))
        .collect();
    let epci = data
        .communes
        .all_epci()
        .iter()
        .map(|e| e.code.clone())
        .collect();
    let mut invented = Vec::with_capacity(20_000);
    for _ in 0..20_000 {
        let n = 2 + rng.below(3);
        let w: String = (0..n).map(|_| *rng.pick(SYLLABLES)).collect();
        invented.push(w);
    }
    Pools {
        words,
        sentences,
        keywords,
        avantages,
        conditions,
        demarches,
        name_words,
        places,
        invented,
        communes,
        epci,
        themes: data.themes.iter().map(|t| t.slug.clone()).collect(),
        publics: data.publics.iter().map(|t| t.slug.clone()).collect(),
    }
}

impl Pools {
    /// A word of the realistic vocabulary: mostly shipped words, some place names and a
    /// long tail of invented ones.
    fn word(&self, rng: &mut Rng) -> String {
        match rng.below(100) {
            0..=64 => rng.pick(&self.words).clone(),
            65..=74 => rng.pick(&self.places).clone(),
            _ => self.invented[rng.skewed(self.invented.len())].clone(),
        }
    }

    /// A shipped sentence with about one word in six replaced.
    fn sentence(&self, rng: &mut Rng) -> String {
        let base = rng.pick(&self.sentences);
        base.split(' ')
            .map(|w| {
                if rng.chance(16) {
                    self.word(rng)
                } else {
                    w.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn sample(&self, rng: &mut Rng, list: &[String], min: usize, max: usize) -> Vec<String> {
        let n = min + rng.below(max - min + 1);
        (0..n).map(|_| rng.pick(list).clone()).collect()
    }

    fn slugs(&self, rng: &mut Rng, list: &[Slug], max: usize) -> Vec<Slug> {
        let n = 1 + rng.below(max);
        let mut out: Vec<Slug> = (0..n).map(|_| rng.pick(list).clone()).collect();
        out.sort();
        out.dedup();
        out
    }

    fn name(&self, rng: &mut Rng, base: &Scheme) -> String {
        let mut parts: Vec<String> = Vec::new();
        match rng.below(10) {
            // A local edition of a shipped scheme: « Sac Ados Liévin ».
            0..=3 => {
                parts.push(base.nom.clone());
                parts.push(rng.pick(&self.places).clone());
            }
            // Recombined name words: « Pass jeunes sport ».
            4..=7 => {
                for _ in 0..2 + rng.below(3) {
                    parts.push(rng.pick(&self.name_words).clone());
                }
            }
            // A name with a made-up word, like a brand: « Bourse Lonmari ».
            _ => {
                parts.push(rng.pick(&self.name_words).clone());
                let mut w = self.invented[rng.below(self.invented.len())].clone();
                if let Some(first) = w.get(..1) {
                    w = first.to_uppercase() + &w[1..];
                }
                parts.push(w);
            }
        }
        parts.join(" ")
    }

    fn territory(&self, rng: &mut Rng) -> Territory {
        match rng.below(100) {
            0..=9 => Territory::National,
            10..=19 => Territory::Region,
            20..=64 => Territory::Departement,
            _ => {
                let mut communes = Vec::new();
                let mut epci = Vec::new();
                if rng.chance(60) {
                    for _ in 0..1 + rng.below(5) {
                        communes.push(rng.pick(&self.communes).0.clone());
                    }
                }
                if communes.is_empty() || rng.chance(30) {
                    for _ in 0..1 + rng.below(2) {
                        epci.push(rng.pick(&self.epci).clone());
                    }
                }
                communes.sort();
                communes.dedup();
                epci.sort();
                epci.dedup();
                Territory::Local { epci, communes }
            }
        }
    }

    fn ages(&self, rng: &mut Rng) -> AgeRange {
        if rng.chance(15) {
            return AgeRange::default();
        }
        let min = 11 + rng.below(8) as u8;
        let max = if rng.chance(10) {
            None
        } else {
            Some(min + rng.below(14) as u8)
        };
        AgeRange::new(Some(min), max).expect("min <= max")
    }
}

/// A data set of `n` schemes made from the shipped ones: same lists, communes and synonyms;
/// names, texts, ages, themes and territories recombined with a fixed seed.
fn generate(shipped: &Dataset, n: usize) -> Dataset {
    let mut rng = Rng(0x5EED_0062_2026);
    let pools = pools(shipped, &mut rng);
    let mut schemes = Vec::with_capacity(n);
    for i in 0..n {
        let base = rng.pick(&shipped.schemes);
        let mut s = base.clone();
        s.id = Slug::parse(&format!("gen-{i:06}")).expect("slug");
        s.nom = pools.name(&mut rng, base);
        s.alias = if rng.chance(20) {
            vec![text::words(&s.nom).concat()]
        } else {
            Vec::new()
        };
        s.resume = pools.sentence(&mut rng);
        s.description = (0..2 + rng.below(4))
            .map(|_| pools.sentence(&mut rng))
            .collect::<Vec<_>>()
            .join(" ");
        s.mots_cles = pools.sample(&mut rng, &pools.keywords, 2, 10);
        s.avantages = pools.sample(&mut rng, &pools.avantages, 1, 4);
        s.conditions = pools.sample(&mut rng, &pools.conditions, 1, 4);
        s.demarches = pools.sample(&mut rng, &pools.demarches, 1, 3);
        s.thematiques = pools.slugs(&mut rng, &pools.themes, 3);
        s.publics = pools.slugs(&mut rng, &pools.publics, 2);
        s.ages = pools.ages(&mut rng);
        s.territoire = pools.territory(&mut rng);
        schemes.push(s);
    }
    // The index keys schemes by their position in this order.
    schemes.sort_by_cached_key(|s| text::fold(&s.nom));
    Dataset {
        schemes,
        themes: shipped.themes.clone(),
        publics: shipped.publics.clone(),
        synonyms: shipped.synonyms.clone(),
        communes: shipped.communes.clone(),
        places: Vec::new(),
        place_types: shipped.place_types.clone(),
        urgency: shipped.urgency.clone(),
        glossary: shipped.glossary.clone(),
        fingerprint: format!("generated-{n}-corpus-seed-5eed"),
        warnings: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Plain timing loops.

/// `VmHWM` (peak resident memory) and `VmRSS` of this process, in MiB.
fn memory_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// The machine's load average: the figures are only as good as the machine is quiet.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "{name:<44} n={:<5} p50 {:>8.3} ms  p90 {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms  mean {:>8.3} ms",
        times.len(),
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.90)),
        ms(percentile(&times, 0.99)),
        ms(times[times.len() - 1]),
        ms(mean),
    );
}

/// `n` queries taken in turn from the rotation; prints p50/p99 overall and per kind.
fn rotation_loop(title: &str, engine: &Engine, n: usize) {
    let requests: Vec<(Kind, SearchRequest)> =
        ROTATION.iter().map(|q| (q.kind, request(q))).collect();
    for (_, r) in &requests {
        run(engine, r); // warm-up
    }
    let mut all = Vec::with_capacity(n);
    let mut by_kind: Vec<(Kind, Vec<Duration>)> =
        Kind::ALL.iter().map(|k| (*k, Vec::new())).collect();
    for i in 0..n {
        let (kind, req) = &requests[i % requests.len()];
        let start = Instant::now();
        black_box(run(engine, req));
        let t = start.elapsed();
        all.push(t);
        if let Some((_, v)) = by_kind.iter_mut().find(|(k, _)| k == kind) {
            v.push(t);
        }
    }
    summary(&format!("{title} all"), all);
    for (k, v) in by_kind {
        if !v.is_empty() {
            summary(&format!("{title} {}", k.label()), v);
        }
    }
}

/// Per query, on one engine: median of `reps` runs, with the number of results.
fn per_query(title: &str, engine: &Engine, reps: usize) {
    println!("{title}: median of {reps} runs per query (total = number of results)");
    for q in ROTATION {
        let req = request(q);
        let total = run(engine, &req);
        let mut times: Vec<Duration> = (0..reps)
            .map(|_| {
                let start = Instant::now();
                black_box(run(engine, &req));
                start.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "  {:<9} {:<48} {:>8.3} ms  total {total}",
            q.kind.label(),
            label(q),
            ms(times[times.len() / 2]),
        );
    }
}

// ---------------------------------------------------------------------------------------

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let corpus: usize = std::env::var("BENCH_CORPUS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if full { 100_000 } else { 2_000 });
    let loops = if full { 2_000 } else { 100 };

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let shipped = data::load(&root, TODAY).expect("shipped data");
    println!(
        "shipped data: {} schemes, {} communes; load average {}",
        shipped.schemes.len(),
        shipped.communes.len(),
        loadavg()
    );
    let start = Instant::now();
    let small = Engine::in_ram(shipped.clone()).expect("shipped engine");
    println!(
        "shipped index build (Engine::in_ram): {:.1} ms",
        ms(start.elapsed())
    );
    per_query("shipped", &small, if full { 101 } else { 5 });
    rotation_loop("shipped", &small, loops);

    let start = Instant::now();
    let generated = generate(&shipped, corpus);
    println!(
        "\ngenerated corpus: {} schemes in {:.1} s",
        generated.schemes.len(),
        start.elapsed().as_secs_f64()
    );
    let (hwm, rss) = memory_mib();
    println!("memory before build: VmHWM {hwm:.0} MiB, VmRSS {rss:.0} MiB");
    let start = Instant::now();
    let big = Engine::in_ram(generated).expect("generated engine");
    println!(
        "generated index build (Engine::in_ram, {} docs): {:.2} s",
        big.num_docs(),
        start.elapsed().as_secs_f64()
    );
    let (hwm, rss) = memory_mib();
    println!("memory after build: VmHWM {hwm:.0} MiB, VmRSS {rss:.0} MiB");
    let tag = format!("generated-{}k", corpus / 1000);
    per_query(&tag, &big, if full { 11 } else { 3 });
    rotation_loop(&tag, &big, loops);
    let (hwm, rss) = memory_mib();
    println!(
        "memory after queries: VmHWM {hwm:.0} MiB, VmRSS {rss:.0} MiB; load average {}\n",
        loadavg()
    );

    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
        .configure_from_args();

    let mut g = c.benchmark_group("shipped");
    for q in ROTATION {
        let req = request(q);
        g.bench_with_input(BenchmarkId::new(q.kind.label(), label(q)), &req, |b, r| {
            b.iter(|| run(&small, r))
        });
    }
    g.finish();

    let mut g = c.benchmark_group(tag.as_str());
    g.measurement_time(Duration::from_secs(4));
    for kind in Kind::ALL {
        let reqs: Vec<SearchRequest> = ROTATION
            .iter()
            .filter(|q| q.kind == kind)
            .map(request)
            .collect();
        // One iteration = every query of that kind, once.
        g.bench_function(format!("{} x{}", kind.label(), reqs.len()), |b| {
            b.iter(|| reqs.iter().map(|r| run(&big, r)).sum::<usize>())
        });
    }
    g.finish();

    // Query analysis alone (words, synonyms, typos, prefixes against the vocabulary), before
    // any tantivy work: one iteration = the whole rotation, once.
    let mut g = c.benchmark_group("plan");
    for (name, engine) in [("shipped", &small), (tag.as_str(), &big)] {
        g.bench_function(format!("{name} x{}", ROTATION.len()), |b| {
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
    }
    g.finish();
    drop(big);

    // Index build, few samples. The 100k build takes minutes, so criterion measures the
    // build on the shipped data and on a 2 000-scheme corpus, split into the tantivy index
    // alone and the whole engine (index + reader + vocabulary + per-scheme word sets).
    let mid = generate(&shipped, if full { 2_000 } else { 200 });
    let mid_tag = format!("generated-{}", mid.schemes.len());
    let mut g = c.benchmark_group("build");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(1));
    g.bench_function("shipped Engine::in_ram", |b| {
        b.iter(|| Engine::in_ram(shipped.clone()).expect("engine").num_docs())
    });
    g.bench_function(format!("{mid_tag} index::build_in_ram"), |b| {
        b.iter(|| build_in_ram(&mid).expect("index").0)
    });
    g.bench_function(format!("{mid_tag} Engine::in_ram"), |b| {
        b.iter_batched(
            || mid.clone(),
            |d| Engine::in_ram(d).expect("engine").num_docs(),
            BatchSize::PerIteration,
        )
    });
    g.finish();

    // The stemmer of one word, called per word at build (word sets) and per query word.
    let mut g = c.benchmark_group("analyzer");
    g.bench_function("stem(\"vacances\")", |b| {
        b.iter(|| stem(black_box("vacances")))
    });
    g.finish();
    c.final_summary();
    let (hwm, rss) = memory_mib();
    println!(
        "memory at end: VmHWM {hwm:.0} MiB, VmRSS {rss:.0} MiB; load average {}",
        loadavg()
    );
}
