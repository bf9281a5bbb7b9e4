//! The glossary (`glossaire.json`): administrative words explained in plain words, validated
//! (at least one term, every term and variant once) and found in a text as folded words.

use std::ops::Range;

use serde::Deserialize;

use super::problem::Collector;
use super::raw::RawSource;
use super::{validate, LoadError, Reader};
use crate::scheme::Source;

const FILE: &str = "glossaire.json";

/// Longest definition, in characters: an explanation, not an article.
const MAX_DEFINITION_CHARS: usize = 320;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlossary {
    termes: Vec<RawTerm>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    terme: String,
    #[serde(default)]
    variantes: Vec<String>,
    definition: String,
    source: Option<RawSource>,
}

/// One way a term is written, as folded words. A form written in capitals (« RIB », « CAF »)
/// only matches words that start with a capital, so « ars » or « caf » inside a sentence do not.
#[derive(Debug, Clone)]
struct Form {
    words: Vec<String>,
    capital: bool,
}

/// An administrative word with its plain explanation.
#[derive(Debug, Clone)]
pub struct Term {
    pub terme: String,
    pub definition: String,
    pub source: Option<std::sync::Arc<Source>>,
    forms: Vec<Form>,
}

/// Every term of `glossaire.json`, in file order.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    pub terms: Vec<Term>,
}

/// A word of a text: its folded form, its byte range and whether it starts with a capital.
struct Word {
    folded: String,
    span: Range<usize>,
    capital: bool,
}

/// Whether `s` is written in capitals (« RIB », « AAH »): an acronym.
pub fn is_capitals(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

/// Splits `text` into alphanumeric words with their byte ranges; apostrophes, hyphens,
/// spaces and punctuation separate words, as in the search.
fn words(text: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut current: Option<Word> = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            let w = current.get_or_insert_with(|| Word {
                folded: String::new(),
                span: i..i,
                capital: c.is_uppercase(),
            });
            w.folded
                .push_str(&crate::text::fold(c.encode_utf8(&mut [0; 4])));
            w.span.end = i + c.len_utf8();
        } else if let Some(w) = current.take() {
            out.push(w);
        }
    }
    out.extend(current);
    out
}

impl Glossary {
    /// The terms found in `text`, with the byte range of each match, in reading order and
    /// without overlap; at each word the longest form wins (« justificatif de domicile »
    /// before « justificatif »).
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, &Term)> {
        let words = words(text);
        let mut found = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let best = self
                .terms
                .iter()
                .flat_map(|t| t.forms.iter().map(move |f| (t, f)))
                .filter(|(_, f)| {
                    words.len() - i >= f.words.len()
                        && f.words.iter().zip(&words[i..]).all(|(a, w)| *a == w.folded)
                        && (!f.capital || words[i].capital)
                })
                .max_by_key(|(_, f)| f.words.len());
            match best {
                Some((t, f)) => {
                    let end = words[i + f.words.len() - 1].span.end;
                    found.push((words[i].span.start..end, t));
                    i += f.words.len();
                }
                None => i += 1,
            }
        }
        found
    }
}

/// Reads and validates `glossaire.json` (optional): at least one term, each with words and a
/// definition, no form (term or variant, folded) twice, sources like a scheme's.
pub(super) fn load(r: &mut Reader, lists: &validate::Lists) -> Result<Glossary, LoadError> {
    let Some(raw) = r.json::<RawGlossary>(FILE, false)? else {
        return Ok(Glossary::default());
    };
    let mut c = Collector {
        problems: &mut r.problems,
        file: FILE.to_owned(),
        scheme: None,
    };
    if raw.termes.is_empty() {
        c.error("termes", "le glossaire est vide : au moins un terme");
    }
    let mut terms: Vec<Term> = Vec::new();
    for (i, t) in raw.termes.into_iter().enumerate() {
        let field = |name: &str| format!("termes[{i}].{name}");
        let mut forms = Vec::new();
        for (k, written) in std::iter::once(&t.terme).chain(&t.variantes).enumerate() {
            let name = if k == 0 {
                field("terme")
            } else {
                field(&format!("variantes[{}]", k - 1))
            };
            let form = Form {
                words: words(written).into_iter().map(|w| w.folded).collect(),
                capital: is_capitals(written),
            };
            if form.words.is_empty() {
                c.error(&name, "terme vide");
                continue;
            }
            let owner = terms
                .iter()
                .find(|o| o.forms.iter().any(|f| f.words == form.words))
                .map(|o| o.terme.clone())
                .or_else(|| {
                    forms
                        .iter()
                        .any(|f: &Form| f.words == form.words)
                        .then(|| t.terme.clone())
                });
            match owner {
                Some(o) => c.error(
                    &name,
                    format!("« {written} » est en double (déjà dans « {o} »)"),
                ),
                None => forms.push(form),
            }
        }
        let definition = t.definition.trim().to_owned();
        if definition.is_empty() {
            c.error(&field("definition"), "définition vide");
        } else if definition.chars().count() > MAX_DEFINITION_CHARS {
            c.error(
                &field("definition"),
                format!("définition trop longue : {MAX_DEFINITION_CHARS} caractères au plus"),
            );
        }
        let source = t.source.map(|s| {
            let mut sources = validate::sources(&mut c, Some(vec![s]), lists);
            sources.pop()
        });
        terms.push(Term {
            terme: t.terme.trim().to_owned(),
            definition,
            source: source.flatten(),
            forms,
        });
    }
    Ok(Glossary { terms })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(terme: &str, variantes: &[&str]) -> Term {
        let forms = std::iter::once(terme)
            .chain(variantes.iter().copied())
            .map(|w| Form {
                words: words(w).into_iter().map(|w| w.folded).collect(),
                capital: is_capitals(w),
            })
            .collect();
        Term {
            terme: terme.to_owned(),
            definition: "…".to_owned(),
            source: None,
            forms,
        }
    }

    #[test]
    fn finds_folded_forms_longest_first_and_capitals_only_for_acronyms() {
        let g = Glossary {
            terms: vec![
                term("justificatif", &[]),
                term("justificatif de domicile", &[]),
                term("ARS", &[]),
                term("révolus", &["révolu"]),
            ],
        };
        let text =
            "Un Justificatif de domicile, l’ARS, 16 ans révolu ; les arts et le justificatif.";
        let found: Vec<(&str, &str)> = g
            .find(text)
            .into_iter()
            .map(|(r, t)| (&text[r], t.terme.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("Justificatif de domicile", "justificatif de domicile"),
                ("ARS", "ARS"),
                ("révolu", "révolus"),
                ("justificatif", "justificatif"),
            ]
        );
        assert!(g.find("les ars et les caf").is_empty());
    }
}
