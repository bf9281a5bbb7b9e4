//! The pessimistic generated corpus: every scheme mixes sentences, keywords and words of
//! all the shipped schemes, so the common query words match most documents and every query
//! walks long posting lists. Kept unchanged as the worst case next to the realistic one.

use referentiel_jeunesse::data::Dataset;
use referentiel_jeunesse::scheme::{AgeRange, Scheme, Slug, Territory, Text};
use referentiel_jeunesse::text;

use crate::corpus::{self, capitalized, invented_word, surface_words, Communes, Rng};

/// Words and phrases of the shipped data, to recombine.
struct Pools {
    /// Surface words (accents and case kept) of every text of the shipped schemes.
    words: Vec<String>,
    /// Sentences of descriptions and summaries.
    sentences: Vec<String>,
    keywords: Vec<Text>,
    avantages: Vec<Text>,
    conditions: Vec<Text>,
    demarches: Vec<Text>,
    /// Words of scheme names.
    name_words: Vec<String>,
    /// Commune names, for local names (« Point info Liévin »).
    places: Vec<String>,
    /// Made-up French-looking words: the long tail of a large corpus's vocabulary.
    invented: Vec<String>,
    communes: Communes,
    themes: Vec<Slug>,
    publics: Vec<Slug>,
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
        let texts = [&*s.nom, &s.resume, &s.description, &s.porteur]
            .into_iter()
            .chain(
                [&s.avantages, &s.conditions, &s.demarches, &s.mots_cles]
                    .into_iter()
                    .flat_map(|v| v.iter().map(|t| &**t)),
            );
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
    let communes = Communes::of(data);
    let mut invented = Vec::with_capacity(20_000);
    for _ in 0..20_000 {
        invented.push(invented_word(rng, 2, 4));
    }
    Pools {
        words,
        sentences,
        keywords,
        avantages,
        conditions,
        demarches,
        name_words,
        places: communes.names.clone(),
        invented,
        communes,
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

    fn sample<T: Clone>(&self, rng: &mut Rng, list: &[T], min: usize, max: usize) -> Vec<T> {
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
                let w = &self.invented[rng.below(self.invented.len())];
                parts.push(capitalized(w));
            }
        }
        parts.join(" ")
    }

    fn territory(&self, rng: &mut Rng) -> Territory {
        self.communes.territory(rng, [10, 10, 45, 35])
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
pub fn generate(shipped: &Dataset, n: usize) -> Dataset {
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
    corpus::dataset(shipped, schemes, format!("generated-{n}-corpus-seed-5eed"))
}
