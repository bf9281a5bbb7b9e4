//! Administrative words explained in place: the first use of a glossary term on a page gets
//! an `<abbr title>` (acronyms) and a « C’est quoi ? » `<details>` at the end of its section.

use std::collections::HashSet;

use crate::data::glossary::{is_capitals, Glossary, Term};

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    crate::text::escape_html_into(s, "&#39;", &mut out);
    out
}

/// A term and its definition, as shown in a « C’est quoi ? » box.
pub struct TermView {
    pub terme: String,
    pub definition: String,
}

/// One section of a page: its texts as safe HTML and the terms they use first on the page.
#[derive(Default)]
pub struct Section {
    pub items: Vec<String>,
    pub terms: Vec<TermView>,
}

impl Section {
    /// The « C’est quoi ? » box of the section (empty when it uses no new term).
    pub fn box_html(&self) -> String {
        if self.terms.is_empty() {
            return String::new();
        }
        let names: Vec<String> = self.terms.iter().map(|t| escape(&t.terme)).collect();
        let mut html = format!(
            "<details class=\"glossaire\"><summary>C’est quoi\u{202f}? {}</summary><dl>",
            names.join(", ")
        );
        for t in &self.terms {
            html.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>",
                escape(&t.terme),
                escape(&t.definition)
            ));
        }
        html.push_str("</dl></details>");
        html
    }
}

/// Explains each term once per page, in the first section that uses it.
pub struct Explainer<'a> {
    glossary: &'a Glossary,
    seen: HashSet<&'a str>,
}

impl<'a> Explainer<'a> {
    pub fn new(glossary: &'a Glossary) -> Explainer<'a> {
        Explainer {
            glossary,
            seen: HashSet::new(),
        }
    }

    /// Marks the terms of `text` as already explained (a scheme's own name is not explained).
    pub fn skip(&mut self, text: &str) {
        let glossary: &'a Glossary = self.glossary;
        for (_, term) in glossary.find(text) {
            self.seen.insert(term_key(term));
        }
    }

    /// A section made of `texts`, each escaped, with the page's first use of each term marked.
    pub fn section<S: AsRef<str>>(&mut self, texts: &[S]) -> Section {
        let mut section = Section::default();
        for t in texts {
            let html = self.html(t.as_ref(), &mut section.terms);
            section.items.push(html);
        }
        section
    }

    /// `text` as safe HTML; terms met for the first time are pushed to `new_terms`.
    fn html(&mut self, text: &str, new_terms: &mut Vec<TermView>) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let mut last = 0;
        let glossary: &'a Glossary = self.glossary;
        for (range, term) in glossary.find(text) {
            if !self.seen.insert(term_key(term)) {
                continue;
            }
            out.push_str(&escape(&text[last..range.start]));
            let written = escape(&text[range.clone()]);
            if is_capitals(&text[range.clone()]) {
                out.push_str(&format!(
                    "<abbr title=\"{}\">{written}</abbr>",
                    escape(&term.definition)
                ));
            } else {
                out.push_str(&format!("<span class=\"terme\">{written}</span>"));
            }
            new_terms.push(TermView {
                terme: term.terme.clone(),
                definition: term.definition.clone(),
            });
            last = range.end;
        }
        out.push_str(&escape(&text[last..]));
        out
    }
}

fn term_key(term: &Term) -> &str {
    term.terme.as_str()
}

/// The texts of a scheme page, section by section, with their words explained.
#[derive(Default)]
pub struct SchemeWords {
    /// « C’est quoi ? »: the summary.
    pub quoi: Section,
    /// « C’est pour moi ? »: structured conditions, then the written ones.
    pub moi: Section,
    /// « J’obtiens quoi ? »: the benefits.
    pub obtenir: Section,
    /// « Je fais comment ? »: the steps.
    pub comment: Section,
    /// « En détail »: the description and who runs the scheme.
    pub details: Section,
}

impl SchemeWords {
    pub fn new(s: &super::views::SchemeView, glossary: &Glossary) -> SchemeWords {
        let mut e = Explainer::new(glossary);
        for name in std::iter::once(&s.nom).chain(&s.alias) {
            e.skip(name);
        }
        let moi: Vec<&String> = s.eligibilite.iter().chain(&s.conditions).collect();
        SchemeWords {
            quoi: e.section(&[&s.resume]),
            moi: e.section(&moi),
            obtenir: e.section(&s.avantages),
            comment: e.section(&s.demarches),
            details: e.section(&[
                s.description.clone(),
                format!("Porté par\u{a0}: {}.", s.porteur),
            ]),
        }
    }
}
