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
