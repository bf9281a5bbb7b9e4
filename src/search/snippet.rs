//! Excerpts of a result's description with the matched words in `<mark>`, HTML-escaped:
//! the window of `SNIPPET_CHARS` bytes whose matched words weigh most (tantivy's
//! `SnippetGenerator` rule), picked from tokens stemmed once when the engine was built.

use std::collections::BTreeMap;

use super::analyzer;
use super::lexicon::{Lexicon, Token};
use super::query::Plan;
use super::ranking::SNIPPET_CHARS;
use crate::text;

/// Stems of every word a plan may match (typos, synonyms and completions included), with
/// their tier weight: the highlighter's terms.
pub(super) fn terms(plan: &Plan) -> BTreeMap<String, f32> {
    let mut out = BTreeMap::new();
    for (word, weight) in plan.words() {
        if let Some(stem) = analyzer::stem(word) {
            let e = out.entry(stem).or_insert(0.0f32);
            *e = e.max(weight);
        }
    }
    out
}

/// A plan's stems as the lexicon's numbers, with their weights (stems no description
/// has are left out: they cannot be marked).
pub(super) struct Highlighter {
    terms: Vec<(u32, f32)>,
}

impl Highlighter {
    pub(super) fn new(plan: &Plan, lexicon: &Lexicon) -> Highlighter {
        Highlighter {
            terms: terms(plan)
                .into_iter()
                .filter_map(|(stem, w)| lexicon.id(&stem).map(|id| (id, w)))
                .collect(),
        }
    }

    fn weight(&self, stem: u32) -> Option<f32> {
        self.terms.iter().find(|(s, _)| *s == stem).map(|(_, w)| *w)
    }

    /// The excerpt of a normalised description (`tokens` are its words) as HTML: escaped,
    /// matches in `<mark>`, apostrophes typographic; `None` when no word of the plan occurs.
    pub(super) fn html(&self, text: &str, tokens: &[Token]) -> Option<String> {
        if self.terms.is_empty() {
            return None;
        }
        // Offsets come from the engine's own tables; one that does not fall on a character
        // of this text would be a bug, answered by no excerpt rather than a panic.
        let fits = |o: u32| text.is_char_boundary(o as usize);
        if !tokens
            .iter()
            .all(|t| t.from <= t.to && fits(t.from) && fits(t.to))
        {
            return None;
        }
        // Fragments: a new one starts at the token that would take the current one past
        // the budget; the best is the first of the highest score.
        let mut best: Option<Fragment> = None;
        let (mut start, mut stop, mut score) = (0usize, 0usize, 0.0f32);
        let mut marks: Vec<(usize, usize)> = Vec::new();
        let mut keep = |score: f32, start, stop, marks: &mut Vec<(usize, usize)>| {
            if score > 0.0 && best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, start, stop, std::mem::take(marks)));
            }
            marks.clear();
        };
        for t in tokens {
            let (from, to) = (t.from as usize, t.to as usize);
            if to - start > SNIPPET_CHARS {
                keep(score, start, stop, &mut marks);
                (start, score) = (from, 0.0);
            }
            stop = to;
            if let Some(w) = self.weight(t.stem) {
                score += w;
                marks.push((from, to));
            }
        }
        keep(score, start, stop, &mut marks);
        let (_, start, stop, marks) = best?;
        let mut html = String::with_capacity(stop - start + 16 * marks.len());
        let mut at = start;
        for (from, to) in marks {
            escape(&text[at..from], &mut html);
            html.push_str("<mark>");
            escape(&text[from..to], &mut html);
            html.push_str("</mark>");
            at = to;
        }
        escape(&text[at..stop], &mut html);
        Some(html)
    }
}

/// A window of a description: its score, byte range and matched words.
type Fragment = (f32, usize, usize, Vec<(usize, usize)>);

/// HTML-escapes `s` into `out`, the straight apostrophe becoming the typographic one.
fn escape(s: &str, out: &mut String) {
    text::escape_html_into(s, "’", out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::lexicon;
    use crate::search::query::{Alt, Slot};

    fn plan_of(words: &[&str]) -> Plan {
        Plan {
            slots: words
                .iter()
                .map(|w| Slot {
                    typed: (*w).to_owned(),
                    alts: vec![(Alt::Word((*w).to_owned()), 1.0)],
                    ..Slot::default()
                })
                .collect(),
            ..Plan::default()
        }
    }

    fn excerpt(words: &[&str], description: &str) -> Option<String> {
        let (lexicon, text, tokens) = lexicon::of_one_description(description);
        Highlighter::new(&plan_of(words), &lexicon).html(&text, &tokens)
    }

    #[test]
    fn hostile_text_is_escaped_and_only_matches_are_marked() {
        assert_eq!(
            excerpt(
                &["vacances"],
                "<script>alert(1)</script> Des <b>vacances</b> & \"plus\" encore"
            )
            .as_deref(),
            // The excerpt runs from the first word to the last one that fits.
            Some(
                "&lt;script&gt;alert(1)&lt;/script&gt; Des &lt;b&gt;<mark>vacances</mark>\
                 &lt;/b&gt; &amp; &quot;plus&quot; encore"
            )
        );
    }

    #[test]
    fn stems_are_marked_with_their_accents_and_apostrophes_are_typographic() {
        assert_eq!(
            excerpt(&["activite"], "L'été, des activités sportives.").as_deref(),
            Some("L’été, des <mark>activités</mark> sportives")
        );
    }

    #[test]
    fn offsets_outside_the_text_give_no_excerpt() {
        let (lexicon, text, mut tokens) = lexicon::of_one_description("Des vacances été");
        let h = Highlighter::new(&plan_of(&["vacances"]), &lexicon);
        assert!(h.html(&text, &tokens).is_some());
        tokens[1].to = text.len() as u32 + 3;
        assert_eq!(h.html(&text, &tokens), None);
        // Inside « é » (two bytes): not a character boundary.
        tokens[1].to = text.find('é').expect("é") as u32 + 1;
        assert_eq!(h.html(&text, &tokens), None);
    }

    #[test]
    fn no_excerpt_without_a_match() {
        assert_eq!(excerpt(&["permis"], "Des vacances au soleil."), None);
    }
}
