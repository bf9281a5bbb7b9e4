//! The small matcher behind « mission locale lens » and « pij arras »: every typed word must
//! fit a word of the place's name, type or commune — the last one as a prefix, one typo from
//! four letters — or the end of the query names a commune that the place serves or that is in
//! its EPCI, and the other words fit the place.

use crate::data::Dataset;
use crate::place::Place;
use crate::places::Proximity;
use crate::scheme::Category;
use crate::search::analyzer::is_stop_word;
use crate::territory::{within_one_edit, Commune, Communes, Resolved};
use crate::text;

/// Words a place type also answers to: acronyms and everyday words.
const KIND_WORDS: &[(&str, &[&str])] = &[
    (
        "info-jeunes",
        &["pij", "bij", "ij", "information", "jeunesse"],
    ),
    ("mission-locale", &["ml", "missions", "locales"]),
    ("maison-des-adolescents", &["mda", "ados", "ado"]),
    (
        "maison-du-departement-solidarite",
        &["mds", "solidarites", "departemental"],
    ),
    ("ecole-de-la-2e-chance", &["e2c", "deuxieme", "seconde"]),
    ("relais-sac-ados", &["sacados", "relai"]),
];

/// Words shorter than this must be typed exactly (no typo).
const TYPO_MIN_CHARS: usize = 4;
/// How many words at the end of a query may name a commune (« boulogne sur mer »).
const COMMUNE_MAX_WORDS: usize = 3;
/// Words of a query looked at; the rest is ignored.
const MAX_WORDS: usize = 12;

/// How one typed word fits a place, cheapest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fit {
    Exact = 0,
    Prefix = 1,
    Typo = 2,
}

/// A commune named at the end of the query, and the meaningful words before it.
#[derive(Debug, Clone)]
struct Named<'a> {
    communes: Vec<&'a Commune>,
    rest: Vec<String>,
}

/// A query for places, parsed once and matched against each place.
#[derive(Debug, Clone)]
pub struct TextQuery<'a> {
    /// Folded words without stop words.
    words: Vec<String>,
    /// Whether the last word is still being typed (it ends the query).
    last_is_prefix: bool,
    named: Option<Named<'a>>,
}

fn meaningful(tokens: &[String]) -> Vec<String> {
    tokens
        .iter()
        .filter(|w| !is_stop_word(w))
        .cloned()
        .collect()
}

/// The commune(s) `tail` designates. Alone in the query it must be exact (a name, postal or
/// INSEE code), so that a scheme search such as « camp » never turns into a commune;
/// after other words it may be forgiving (prefix, one typo).
fn commune_of<'a>(tail: &str, alone: bool, communes: &'a Communes) -> Option<Vec<&'a Commune>> {
    if alone && !tail.bytes().all(|b| b.is_ascii_digit()) {
        return communes.lookup(tail).ok().map(|c| vec![c]);
    }
    match communes.resolve(tail) {
        Resolved::One(c) => Some(vec![c]),
        Resolved::Several(v) => Some(v),
        Resolved::Unresolved(_) => None,
    }
}

impl<'a> TextQuery<'a> {
    /// Parses what was typed; `None` when it holds no meaningful word.
    pub fn parse(q: &str, communes: &'a Communes) -> Option<TextQuery<'a>> {
        let tokens: Vec<String> = text::words(q).into_iter().take(MAX_WORDS).collect();
        let words = meaningful(&tokens);
        if words.is_empty() {
            return None;
        }
        let last_is_prefix = tokens.last() == words.last();
        let named = (1..=COMMUNE_MAX_WORDS.min(tokens.len()))
            .rev()
            .find_map(|k| {
                let (head, tail) = tokens.split_at(tokens.len() - k);
                let rest = meaningful(head);
                let communes = commune_of(&tail.join(" "), rest.is_empty(), communes)?;
                Some(Named { communes, rest })
            });
        Some(TextQuery {
            words,
            last_is_prefix,
            named,
        })
    }

    /// The communes named at the end of the query (empty when none).
    pub fn named_communes(&self) -> &[&'a Commune] {
        self.named.as_ref().map_or(&[], |n| &n.communes[..])
    }

    /// How far `place` is from the query (0 = every word exact); `None` when it does not match.
    pub fn cost(&self, place: &Place, data: &Dataset) -> Option<u32> {
        let own = &place.words;
        let direct = cost_of(&self.words, own, self.last_is_prefix);
        let via_commune = self.named.as_ref().and_then(|n| {
            let near = super::proximity(place, &n.communes, &data.communes) != Proximity::Elsewhere;
            near.then(|| cost_of(&n.rest, own, false)).flatten()
        });
        match (direct, via_commune) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// The folded words a place answers to: its name, its type (label, slug, acronyms) and the
/// name of the commune where it is (computed at load into `Place::words`).
pub fn answer_words(place: &Place, place_types: &[Category], communes: &Communes) -> Vec<String> {
    let kind = place.kind.as_str();
    let mut own = text::words(&place.nom);
    own.extend(text::words(kind));
    if let Some(t) = place_types.iter().find(|t| t.slug.as_str() == kind) {
        own.extend(text::words(&t.libelle));
    }
    if let Some((_, extra)) = KIND_WORDS.iter().find(|(k, _)| *k == kind) {
        own.extend(extra.iter().map(|w| (*w).to_owned()));
    }
    if let Some(c) = communes.commune(&place.adresse.commune) {
        own.extend(text::words(&c.nom));
    }
    own.sort();
    own.dedup();
    own
}

fn fit(word: &str, own: &[String], prefix: bool) -> Option<Fit> {
    let typo_ok = word.chars().count() >= TYPO_MIN_CHARS;
    own.iter()
        .filter_map(|w| {
            if w == word {
                Some(Fit::Exact)
            } else if prefix && w.starts_with(word) {
                Some(Fit::Prefix)
            } else if typo_ok && w.chars().next() == word.chars().next() && within_one_edit(w, word)
            {
                Some(Fit::Typo)
            } else {
                None
            }
        })
        .min()
}

/// The summed cost of `words` against `own`, or `None` when one word fits nothing.
fn cost_of(words: &[String], own: &[String], last_is_prefix: bool) -> Option<u32> {
    words.iter().enumerate().try_fold(0, |sum, (i, w)| {
        let prefix = last_is_prefix && i + 1 == words.len();
        fit(w, own, prefix).map(|f| sum + f as u32)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn a_word_fits_exactly_then_as_prefix_then_with_one_typo() {
        let o = own(&["mission", "locale", "lens"]);
        assert_eq!(fit("lens", &o, false), Some(Fit::Exact));
        assert_eq!(fit("loc", &o, true), Some(Fit::Prefix));
        assert_eq!(fit("loc", &o, false), None, "prefix only for the last word");
        assert_eq!(
            fit("misison", &o, false),
            Some(Fit::Typo),
            "two letters swapped"
        );
        assert_eq!(fit("missions", &o, false), Some(Fit::Typo), "plural");
        assert_eq!(fit("lns", &o, false), None, "no typo under four letters");
        assert_eq!(
            fit("nocale", &o, false),
            None,
            "the first letter must be right"
        );
    }

    #[test]
    fn every_word_must_fit() {
        let o = own(&["mission", "locale", "lens"]);
        let w = |s: &[&str]| own(s);
        assert_eq!(
            cost_of(&w(&["mission", "locale", "lens"]), &o, true),
            Some(0)
        );
        assert_eq!(cost_of(&w(&["mision", "locale", "le"]), &o, true), Some(3));
        assert_eq!(cost_of(&w(&["mission", "arras"]), &o, true), None);
    }
}
