//! Excerpts of a result's description with the matched words in `<mark>`, HTML-escaped.

use std::collections::BTreeMap;

use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;

use super::analyzer;
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

/// The highlighter for a plan's words over the stemmed description field.
pub(super) fn generator(plan: &Plan, description: Field) -> SnippetGenerator {
    let mut generator =
        SnippetGenerator::new(terms(plan), analyzer::stemmed(), description, SNIPPET_CHARS);
    generator.set_max_num_chars(SNIPPET_CHARS);
    generator
}

/// The excerpt of `description` as HTML (escaped, matches in `<mark>`, apostrophes
/// typographic), or `None` when no word of the plan occurs in it.
pub(super) fn html(generator: &SnippetGenerator, description: &str) -> Option<String> {
    let mut s = generator.snippet(&text::normalize(description));
    s.set_snippet_prefix_postfix("<mark>", "</mark>");
    (!s.is_empty()).then(|| {
        s.to_html()
            .replace("&#39;", "’")
            .replace("&#x27;", "’")
            .replace('\'', "’")
    })
}

#[cfg(test)]
mod tests {
    use tantivy::schema::Field;

    use super::*;
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
        html(
            &generator(&plan_of(words), Field::from_field_id(0)),
            description,
        )
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
    fn no_excerpt_without_a_match() {
        assert_eq!(excerpt(&["permis"], "Des vacances au soleil."), None);
    }
}
