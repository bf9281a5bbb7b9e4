//! The realistic generated corpus: what a national référentiel of `n` schemes looks like.
//! Most schemes are local editions of a shipped one (« Aide au permis – Ville de
//! Bréville ») whose texts keep their own subject, with local words mixed in: place names,
//! carriers and project names from a vocabulary that grows with the corpus (Heaps' law,
//! ≈ 40·n^0.6 made-up words and n/4 made-up places). So « permis » matches the permis
//! schemes and their neighbours, not most of the corpus, and the term dictionary grows
//! like a real one. A local edition keeps two of its base's sources at most (the shipped
//! schemes cite 6.7 on average, 44 % of their size).

use std::collections::HashMap;

use referentiel_jeunesse::data::Dataset;
use referentiel_jeunesse::scheme::{AgeRange, Scheme, Slug};

use crate::corpus::{
    self, capitalized, invented_word, invented_words, sentences, surface_words, Communes, Rng,
};

/// What one shipped scheme lends to its local editions.
struct Base<'a> {
    scheme: &'a Scheme,
    sentences: Vec<String>,
    /// Indices of the shipped schemes that share a theme with this one.
    neighbours: Vec<usize>,
}

struct Lexicon<'a> {
    bases: Vec<Base<'a>>,
    /// Words of each shipped scheme's texts, by scheme index.
    words: Vec<Vec<String>>,
    /// Made-up words: project names, local jargon, surnames; a Zipf-like long tail.
    invented: Vec<String>,
    /// Shipped commune names, then made-up ones (a national corpus names ~35 000 communes).
    places: Vec<String>,
    communes: Communes,
}

/// Share of words replaced in a base text (one in twelve).
const REPLACED: u64 = 8;

impl<'a> Lexicon<'a> {
    fn new(shipped: &'a Dataset, n: usize, rng: &mut Rng) -> Lexicon<'a> {
        let mut by_theme: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, s) in shipped.schemes.iter().enumerate() {
            for t in &s.thematiques {
                by_theme.entry(t.as_str()).or_default().push(i);
            }
        }
        let bases = shipped
            .schemes
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut neighbours: Vec<usize> = s
                    .thematiques
                    .iter()
                    .flat_map(|t| by_theme[t.as_str()].iter().copied())
                    .filter(|&j| j != i)
                    .collect();
                neighbours.sort_unstable();
                neighbours.dedup();
                Base {
                    scheme: s,
                    sentences: sentences(&s.resume)
                        .chain(sentences(&s.description))
                        .collect(),
                    neighbours,
                }
            })
            .collect();
        let words = shipped
            .schemes
            .iter()
            .map(|s| {
                let mut w: Vec<String> = [&*s.nom, &s.resume, &s.description]
                    .into_iter()
                    .chain(s.avantages.iter().map(|t| &**t))
                    .chain(s.conditions.iter().map(|t| &**t))
                    .flat_map(|t| surface_words(t).collect::<Vec<_>>())
                    .collect();
                w.sort();
                w.dedup();
                w
            })
            .collect();
        let communes = Communes::of(shipped);
        let vocabulary = (40.0 * (n.max(1) as f64).powf(0.6)) as usize;
        let invented = invented_words(rng, vocabulary.max(50));
        let mut places = communes.names.clone();
        while places.len() < n / 4 {
            places.push(place_name(rng));
        }
        Lexicon {
            bases,
            words,
            invented,
            places,
            communes,
        }
    }

    fn local_word(&self, rng: &mut Rng) -> String {
        self.invented[rng.skewed(self.invented.len())].clone()
    }

    /// A word for a replaced one: a local word, a place, or a word of a neighbour scheme.
    fn replacement(&self, rng: &mut Rng, base: &Base, place: &str) -> String {
        match rng.below(10) {
            0..=3 => self.local_word(rng),
            4..=5 => place.to_owned(),
            _ => match base.neighbours.as_slice() {
                [] => self.local_word(rng),
                ns => {
                    let neighbour = *rng.pick(ns);
                    rng.pick(&self.words[neighbour]).clone()
                }
            },
        }
    }

    /// A sentence with about one word in twelve replaced by a local one.
    fn mutate(&self, rng: &mut Rng, sentence: &str, base: &Base, place: &str) -> String {
        sentence
            .split(' ')
            .map(|w| {
                if rng.chance(REPLACED) {
                    self.replacement(rng, base, place)
                } else {
                    w.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn name(&self, rng: &mut Rng, base: &Scheme, place: &str) -> String {
        match rng.below(10) {
            // A local edition: « Sac Ados Liévin », « Aide au permis – Bréville ».
            0..=5 => format!("{} {place}", base.nom),
            // A local brand on the base's subject: « Bourse Lonmari ».
            6..=8 => {
                let first = base.nom.split(' ').next().unwrap_or("Projet");
                format!("{first} {}", capitalized(&self.local_word(rng)))
            }
            // The national scheme itself, repeated by another carrier.
            _ => base.nom.clone(),
        }
    }

    fn carrier(&self, rng: &mut Rng, base: &Scheme, place: &str) -> String {
        match rng.below(6) {
            0 => format!("Ville de {place}"),
            1 => format!("Communauté de communes de {place}"),
            2 => format!("Association {}", capitalized(&self.local_word(rng))),
            3 => format!(
                "Centre social {} de {place}",
                capitalized(&self.local_word(rng))
            ),
            _ => base.porteur.clone(),
        }
    }
}

fn place_name(rng: &mut Rng) -> String {
    let a = capitalized(&invented_word(rng, 2, 3));
    match rng.below(10) {
        0 => format!("Saint-{a}"),
        1 => format!("{a}-sur-{}", capitalized(&invented_word(rng, 2, 3))),
        2 => format!("{a}-le-{}", capitalized(&invented_word(rng, 1, 2))),
        _ => a,
    }
}

/// Keeps a random subset (at least one) of `items`, in order, sometimes with an item of a
/// neighbour's list.
fn subset<T: Clone>(rng: &mut Rng, items: &[T], extra: Option<&[T]>) -> Vec<T> {
    let mut out: Vec<T> = items.iter().filter(|_| rng.chance(80)).cloned().collect();
    if out.is_empty() {
        if let Some(first) = items.first() {
            out.push(first.clone());
        }
    }
    if let Some(extra) = extra.filter(|e| !e.is_empty() && rng.chance(30)) {
        out.push(rng.pick(extra).clone());
    }
    out
}

fn ages(rng: &mut Rng, base: &AgeRange) -> AgeRange {
    if !rng.chance(30) {
        return *base;
    }
    let shift =
        |a: Option<u8>, rng: &mut Rng| a.map(|v| v.saturating_add(rng.below(3) as u8).max(1) - 1);
    let min = shift(base.min, rng);
    let max = shift(base.max, rng);
    AgeRange::new(min, max).unwrap_or(*base)
}

/// A data set of `n` schemes: local editions of the shipped ones (see the module comment).
pub fn generate(shipped: &Dataset, n: usize) -> Dataset {
    let mut rng = Rng(0x5EED_0062_2027);
    let lex = Lexicon::new(shipped, n, &mut rng);
    let mut schemes = Vec::with_capacity(n);
    for i in 0..n {
        let bi = rng.below(lex.bases.len());
        let base = &lex.bases[bi];
        let b = base.scheme;
        let place = lex.places[rng.below(lex.places.len())].clone();
        let neighbour = base
            .neighbours
            .first()
            .map(|_| lex.bases[*rng.pick(&base.neighbours)].scheme);
        let mut s = b.clone();
        s.id = Slug::parse(&format!("gen-{i:06}")).expect("slug");
        s.nom = lex.name(&mut rng, b, &place);
        s.alias = if rng.chance(10) {
            vec![referentiel_jeunesse::text::words(&s.nom).concat()]
        } else {
            Vec::new()
        };
        s.resume = lex.mutate(&mut rng, &b.resume, base, &place);
        let mut description = Vec::with_capacity(base.sentences.len() + 1);
        for t in &base.sentences {
            if rng.chance(85) {
                description.push(lex.mutate(&mut rng, t, base, &place));
            }
        }
        if let Some(nb) = neighbour.filter(|_| rng.chance(40)) {
            if let Some(t) = sentences(&nb.description).next() {
                description.push(lex.mutate(&mut rng, &t, base, &place));
            }
        }
        if description.is_empty() {
            description.push(s.resume.clone());
        }
        s.description = description.join(" ");
        s.mots_cles = subset(
            &mut rng,
            &b.mots_cles,
            neighbour.map(|nb| nb.mots_cles.as_slice()),
        );
        if rng.chance(20) {
            s.mots_cles.push(place.to_lowercase().into());
        }
        s.avantages = subset(&mut rng, &b.avantages, None);
        s.conditions = subset(&mut rng, &b.conditions, None);
        s.demarches = subset(&mut rng, &b.demarches, None);
        s.porteur = lex.carrier(&mut rng, b, &place);
        s.ages = ages(&mut rng, &b.ages);
        s.territoire = lex.communes.territory(&mut rng, [5, 5, 20, 70]);
        // A local edition cites its own page or two, not the national evidence set.
        s.sources.truncate(2);
        schemes.push(s);
    }
    corpus::dataset(shipped, schemes, format!("realistic-{n}-corpus-seed-5eed"))
}
