//! What both generated corpora share: a fixed-seed PRNG, made-up words, the territories of
//! the shipped communes, and the wrapping of generated schemes into a data set.

use referentiel_jeunesse::data::Dataset;
use referentiel_jeunesse::scheme::{Scheme, Territory};
use referentiel_jeunesse::text;

/// splitmix64: fixed seed, same corpus on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Skewed towards the first items (rank ~ n·u³): a few frequent, many rare.
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64) * u * u * u) as usize % n
    }
}

const SYLLABLES: &[&str] = &[
    "ba", "be", "bi", "bou", "ca", "ce", "cha", "che", "co", "da", "de", "di", "don", "fa", "fe",
    "fi", "fon", "ga", "gi", "gre", "la", "le", "li", "lon", "lou", "ma", "me", "mi", "mon", "na",
    "ne", "ni", "no", "pa", "pe", "pi", "pon", "ra", "re", "ri", "ro", "rou", "sa", "se", "si",
    "son", "ta", "te", "ti", "ton", "tre", "va", "ve", "vi", "vil", "ver", "mar", "por", "tan",
    "quet", "ette", "ois", "ard", "ière", "é", "ée", "ent", "age",
];

/// A made-up French-looking word of `min..=max` syllables.
pub fn invented_word(rng: &mut Rng, min: usize, max: usize) -> String {
    let n = min + rng.below(max - min + 1);
    (0..n).map(|_| *rng.pick(SYLLABLES)).collect()
}

/// `n` distinct made-up words (fewer if the syllables run out, which they do not here).
pub fn invented_words(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut seen = std::collections::HashSet::with_capacity(n);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n * 4 {
        if out.len() == n {
            break;
        }
        let w = invented_word(rng, 2, 4);
        if seen.insert(w.clone()) {
            out.push(w);
        }
    }
    out
}

pub fn capitalized(w: &str) -> String {
    let mut chars = w.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Words of a text as written (accents and case kept), without punctuation.
pub fn surface_words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
        .filter(|w| w.chars().count() >= 2)
}

/// Sentences of a text, longer than 10 bytes.
pub fn sentences(t: &str) -> impl Iterator<Item = String> + '_ {
    t.split_inclusive(['.', '?', '!'])
        .map(str::trim)
        .filter(|s| s.len() > 10)
        .map(str::to_owned)
}

/// The shipped communes (name, INSEE code, EPCI): local territories and local names.
pub struct Communes {
    pub names: Vec<String>,
    pub codes: Vec<String>,
    pub epci: Vec<String>,
}

impl Communes {
    pub fn of(data: &Dataset) -> Communes {
        // Communes has no iterator: walk the INSEE codes 62001..62999.
        let all: Vec<_> = (1..1000)
            .filter_map(|i| data.communes.commune(&format!("62{i:03}")))
            .collect();
        Communes {
            names: all.iter().map(|c| c.nom.clone()).collect(),
            codes: all.iter().map(|c| c.code.clone()).collect(),
            epci: data
                .communes
                .all_epci()
                .iter()
                .map(|e| e.code.clone())
                .collect(),
        }
    }

    /// Where a scheme is open: `national`, `region`, `departement` and `local` shares in
    /// percent (they add up to 100); a local one names a few communes and/or EPCI.
    pub fn territory(&self, rng: &mut Rng, shares: [usize; 4]) -> Territory {
        let roll = rng.below(100);
        if roll < shares[0] {
            return Territory::National;
        }
        if roll < shares[0] + shares[1] {
            return Territory::Region;
        }
        if roll < shares[0] + shares[1] + shares[2] {
            return Territory::Departement;
        }
        let mut communes = Vec::new();
        let mut epci = Vec::new();
        if rng.chance(60) {
            for _ in 0..1 + rng.below(5) {
                communes.push(rng.pick(&self.codes).clone());
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

/// The generated schemes with the shipped lists, communes and synonyms, sorted by name
/// (the index keys schemes by their position in this order).
pub fn dataset(shipped: &Dataset, mut schemes: Vec<Scheme>, fingerprint: String) -> Dataset {
    schemes.sort_by_cached_key(|s| text::fold(&s.nom));
    // Equal texts held once, as loading the same schemes from their files does.
    referentiel_jeunesse::data::share(&mut schemes);
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
        fingerprint,
        warnings: Vec::new(),
    }
}
