//! The schemes' texts analysed once per data version: every folded word and stem as a
//! number, each scheme's words as a sorted list of numbers (re-ranking by coverage), and
//! each description cut into tokens with their stems (excerpts), so that a search analyses
//! only what was typed.

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use super::analyzer;
use crate::scheme::Scheme;
use crate::text;

/// Marks a word whose stem is not known yet, and a word without a stem (a stop word).
const UNKNOWN: u32 = u32::MAX;
const NO_STEM: u32 = u32::MAX - 1;

/// Every folded word and stem of the schemes' texts, numbered.
#[derive(Default)]
pub(super) struct Lexicon {
    ids: HashMap<Box<str>, u32>,
}

impl Lexicon {
    /// The number of a word or stem, `None` when no scheme's text has it.
    pub(super) fn id(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }
}

/// One word of a description: its byte range in the normalised text and its stem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Token {
    pub from: u32,
    pub to: u32,
    pub stem: u32,
}

/// What a search needs of every scheme's texts, by position in `data.schemes`.
#[derive(Default)]
pub(super) struct SchemeTexts {
    pub lexicon: Lexicon,
    /// Folded words and stems of each scheme, sorted.
    words: Vec<Box<[u32]>>,
    /// Description tokens of all schemes, one after the other; scheme `i`'s are
    /// `tokens[starts[i]..starts[i + 1]]`.
    tokens: Vec<Token>,
    starts: Vec<u32>,
    /// The normalised description, kept only where it differs from the scheme's own.
    normalized: Vec<Option<Box<str>>>,
}

impl SchemeTexts {
    pub(super) fn build(schemes: &[Scheme]) -> SchemeTexts {
        let mut b = Builder::new();
        let mut out = SchemeTexts {
            starts: vec![0],
            ..SchemeTexts::default()
        };
        for s in schemes {
            out.words.push(b.scheme_words(s));
            let normalized = text::normalize(&s.description);
            b.description_tokens(&normalized, &mut out.tokens);
            out.starts.push(out.tokens.len() as u32);
            out.normalized
                .push((normalized != s.description).then(|| normalized.into_boxed_str()));
        }
        out.lexicon = b.numbering.lexicon;
        out.tokens.shrink_to_fit();
        tracing::debug!(
            tokens = out.tokens.len(),
            words = out.words.iter().map(|w| w.len()).sum::<usize>(),
            lexicon = out.lexicon.ids.len(),
            "textes des dispositifs analysés"
        );
        out
    }

    /// The folded words and stems of the scheme at `rank`, sorted.
    pub(super) fn words(&self, rank: usize) -> &[u32] {
        self.words.get(rank).map_or(&[], |w| w)
    }

    /// The normalised description of `scheme` (at `rank`) and its tokens.
    pub(super) fn description<'a>(
        &'a self,
        rank: usize,
        scheme: &'a Scheme,
    ) -> (&'a str, &'a [Token]) {
        let text = match self.normalized.get(rank) {
            Some(Some(n)) => n,
            _ => scheme.description.as_str(),
        };
        let tokens = match (self.starts.get(rank), self.starts.get(rank + 1)) {
            (Some(&a), Some(&b)) => &self.tokens[a as usize..b as usize],
            _ => &[],
        };
        (text, tokens)
    }
}

/// Numbers words as they come, and stems each distinct word once.
#[derive(Default)]
struct Numbering {
    lexicon: Lexicon,
    /// The word of each number (build time only).
    names: Vec<Box<str>>,
    /// Stem number of each word number (`UNKNOWN` until asked, `NO_STEM` for stop words).
    stem_of: Vec<u32>,
}

impl Numbering {
    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.lexicon.ids.get(word) {
            return id;
        }
        let id = self.names.len() as u32;
        self.lexicon.ids.insert(word.into(), id);
        self.names.push(word.into());
        self.stem_of.push(UNKNOWN);
        id
    }

    /// The stem number of a folded word (what `analyzer::stem` gives), `None` for a stop
    /// word or a word too long to index.
    fn stem(&mut self, id: u32) -> Option<u32> {
        let known = self.stem_of[id as usize];
        if known == UNKNOWN {
            let stem = analyzer::stem(&self.names[id as usize]).map(|s| self.intern(&s));
            self.stem_of[id as usize] = stem.unwrap_or(NO_STEM);
            return stem;
        }
        (known != NO_STEM).then_some(known)
    }
}

struct Builder {
    numbering: Numbering,
    words: TextAnalyzer,
    folded: TextAnalyzer,
}

impl Builder {
    fn new() -> Builder {
        Builder {
            numbering: Numbering::default(),
            words: text::word_analyzer().build(),
            folded: analyzer::folded(),
        }
    }

    /// The words of `text::words` for every text of a scheme, and their stems.
    fn scheme_words(&mut self, s: &Scheme) -> Box<[u32]> {
        let texts = [&s.nom, &s.resume, &s.description, &s.porteur]
            .into_iter()
            .chain(&s.alias)
            .chain(&s.mots_cles)
            .chain(&s.avantages)
            .chain(&s.conditions)
            .chain(&s.demarches);
        let mut ids = Vec::new();
        for t in texts {
            let mut stream = self.words.token_stream(t);
            while stream.advance() {
                ids.push(self.numbering.intern(&stream.token().text));
            }
        }
        ids.sort_unstable();
        ids.dedup();
        for i in 0..ids.len() {
            if let Some(stem) = self.numbering.stem(ids[i]) {
                ids.push(stem);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids.into_boxed_slice()
    }

    /// Appends the tokens of a normalised description (the folded analyzer's, as the
    /// stemmed field indexes them) with their stems.
    fn description_tokens(&mut self, normalized: &str, out: &mut Vec<Token>) {
        let mut stream = self.folded.token_stream(normalized);
        while stream.advance() {
            let t = stream.token();
            let id = self.numbering.intern(&t.text);
            if let Some(stem) = self.numbering.stem(id) {
                out.push(Token {
                    from: t.offset_from as u32,
                    to: t.offset_to as u32,
                    stem,
                });
            }
        }
    }
}

/// The lexicon, normalised text and tokens of one description (tests of excerpts).
#[cfg(test)]
pub(super) fn of_one_description(description: &str) -> (Lexicon, String, Vec<Token>) {
    let mut b = Builder::new();
    let normalized = text::normalize(description);
    let mut tokens = Vec::new();
    b.description_tokens(&normalized, &mut tokens);
    (b.numbering.lexicon, normalized, tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_tokens_carry_the_stems_of_the_stemmed_analyzer() {
        let mut b = Builder::new();
        let text = text::normalize("L’été, des activités sportives et l'activité « ÉTÉ ».");
        let mut tokens = Vec::new();
        b.description_tokens(&text, &mut tokens);
        let mut expected = Vec::new();
        let mut stemmed = analyzer::stemmed();
        stemmed
            .token_stream(&text)
            .process(&mut |t| expected.push((t.offset_from, t.offset_to, t.text.clone())));
        let got: Vec<(usize, usize, String)> = tokens
            .iter()
            .map(|t| {
                let stem = b.numbering.names[t.stem as usize].to_string();
                (t.from as usize, t.to as usize, stem)
            })
            .collect();
        assert_eq!(got, expected);
    }
}
