//! Help when it is urgent: searches that signal distress or danger (phrases of `urgence.json`,
//! folded like the search) bring the right national helplines above every result.

use std::collections::HashMap;

use serde::Serialize;

use crate::scheme::Source;
use crate::text;

/// A national helpline, from its official source.
#[derive(Debug, Clone, Serialize)]
pub struct Helpline {
    pub id: String,
    pub nom: String,
    pub numero: String,
    pub description: String,
    /// The families of phrases that bring it up.
    pub familles: Vec<String>,
    pub sources: Vec<std::sync::Arc<Source>>,
}

impl Helpline {
    /// The number for a `tel:` link: digits only.
    pub fn tel(&self) -> String {
        self.numero.chars().filter(char::is_ascii_digit).collect()
    }
}

/// A family of phrases (« harcèlement », « suicide »…), each phrase as folded words.
#[derive(Debug, Clone)]
pub struct Family {
    pub id: String,
    pub phrases: Vec<Vec<String>>,
}

/// Helplines and the phrases that call for them.
#[derive(Debug, Clone, Default)]
pub struct Urgency {
    lines: Vec<Helpline>,
    families: Vec<Family>,
    /// Every phrase by its first word: (family, phrase) positions.
    by_first: HashMap<String, Vec<(usize, usize)>>,
}

/// Whether `phrase` appears as consecutive words of `words`.
fn contains_phrase(words: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase)
}

impl Urgency {
    pub fn new(lines: Vec<Helpline>, families: Vec<Family>) -> Urgency {
        let mut by_first: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (f, family) in families.iter().enumerate() {
            for (p, phrase) in family.phrases.iter().enumerate() {
                if let Some(first) = phrase.first() {
                    by_first.entry(first.clone()).or_default().push((f, p));
                }
            }
        }
        Urgency {
            lines,
            families,
            by_first,
        }
    }

    /// The families a search signals, in file order, each with the length in words of its
    /// longest phrase found in the search: only the phrases starting with one of the
    /// search's words are compared.
    fn signals(&self, query: &str) -> Vec<(&str, usize)> {
        let words = text::words(query);
        let mut longest = vec![0usize; self.families.len()];
        for word in &words {
            for &(f, p) in self.by_first.get(word).into_iter().flatten() {
                let phrase = &self.families[f].phrases[p];
                if contains_phrase(&words, phrase) {
                    longest[f] = longest[f].max(phrase.len());
                }
            }
        }
        self.families
            .iter()
            .zip(longest)
            .filter(|(_, n)| *n > 0)
            .map(|(f, n)| (f.id.as_str(), n))
            .collect()
    }

    /// The families a search signals, in file order.
    pub fn families_of(&self, query: &str) -> Vec<&str> {
        self.signals(query).into_iter().map(|(id, _)| id).collect()
    }

    /// The helplines to show for a search (none for an ordinary one), the most specific
    /// first: a line ranks by the longest phrase of its families found in the search
    /// (« mon copain me frappe » names violence in a couple before « me frappe »), then a
    /// line dedicated to fewer families first (3919 before 119, which also covers minors),
    /// then file order.
    pub fn for_query(&self, query: &str) -> Vec<&Helpline> {
        let signals = self.signals(query);
        let longest = |family: &String| {
            signals
                .iter()
                .find(|(id, _)| *id == family.as_str())
                .map_or(0, |(_, n)| *n)
        };
        let mut ranked: Vec<(usize, &Helpline)> = self
            .lines
            .iter()
            .map(|l| (l.familles.iter().map(longest).max().unwrap_or(0), l))
            .filter(|(n, _)| *n > 0)
            .collect();
        ranked.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(a.1.familles.len().cmp(&b.1.familles.len()))
        });
        ranked.into_iter().map(|(_, l)| l).collect()
    }

    /// Every helpline (the health theme page, the not-found page).
    pub fn all(&self) -> Vec<&Helpline> {
        self.lines.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urgency() -> Urgency {
        let phrase = |s: &str| text::words(s);
        Urgency::new(
            vec![Helpline {
                id: "3114".into(),
                nom: "3114".into(),
                numero: "31 14".into(),
                description: String::new(),
                familles: vec!["suicide".into()],
                sources: Vec::new(),
            }],
            vec![Family {
                id: "suicide".into(),
                phrases: vec![phrase("veux mourir"), phrase("me tuer")],
            }],
        )
    }

    /// Looking phrases up by their first word finds, per family, the longest phrase that a
    /// comparison with every phrase finds, for every phrase of the shipped file said alone,
    /// inside a sentence, cut short, and for ordinary searches.
    #[test]
    fn phrases_by_first_word_are_those_every_phrase_finds() {
        let data = crate::data::shipped();
        let u = &data.urgency;
        let every = |query: &str| -> Vec<(&str, usize)> {
            let words = text::words(query);
            u.families
                .iter()
                .filter_map(|f| {
                    let n = f
                        .phrases
                        .iter()
                        .filter(|p| contains_phrase(&words, p))
                        .map(Vec::len)
                        .max()?;
                    Some((f.id.as_str(), n))
                })
                .collect()
        };
        let mut queries = vec![
            "aide pour le permis".to_owned(),
            "partir en vacances avec mes potes".to_owned(),
        ];
        for f in &u.families {
            for p in &f.phrases {
                let said = p.join(" ");
                queries.push(format!("je crois que {said} depuis hier"));
                queries.push(p[..p.len() - 1].join(" "));
                queries.push(said);
            }
        }
        let mut signalled = 0;
        for q in &queries {
            let expected = every(q);
            assert_eq!(u.signals(q), expected, "« {q} »");
            signalled += usize::from(!expected.is_empty());
        }
        assert!(signalled > 50, "{signalled}");
    }

    #[test]
    fn phrases_match_whole_consecutive_words_folded() {
        let u = urgency();
        assert_eq!(u.for_query("Je VEUX mourir").len(), 1);
        assert_eq!(u.for_query("j'ai envie de me tuer").len(), 1);
        assert!(
            u.for_query("mourir de rire, je veux").is_empty(),
            "not consecutive"
        );
        assert!(u.for_query("tuer le temps").is_empty());
        assert!(u.for_query("vacances").is_empty());
        assert_eq!(u.lines[0].tel(), "3114");
    }
}
