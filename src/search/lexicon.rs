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

/// What a search needs of every scheme's texts, by position in `data.schemes`, packed:
/// at 100 000 schemes, 15 million words and 5 million tokens as plain `u32`s took 180 MB.
#[derive(Default)]
pub(super) struct SchemeTexts {
    pub lexicon: Lexicon,
    /// Folded words and stems of each scheme, sorted, as varint gaps.
    words: Packed,
    /// Description tokens of each scheme: gap from the previous token, length, stem.
    tokens: Packed,
    /// The normalised description, kept only where the tokens' offsets could not be carried
    /// back to the scheme's own text (a text not in NFC, which normalising recomposes).
    normalized: Vec<Option<Box<str>>>,
    /// For a catalogue of at most [`INVERTED_MAX_SCHEMES`] schemes, each word's or stem's
    /// schemes (positions, increasing, as varint gaps): the coverage of a search's results
    /// is then read from its few typed forms rather than from every result's words.
    schemes_of: Option<Packed>,
}

/// The largest catalogue whose texts keep each form's schemes (`SchemeTexts::schemes_of`):
/// as many numbers again as the schemes' word lists, a few megabytes at most.
pub(super) const INVERTED_MAX_SCHEMES: usize = 4096;

/// Variable-length lists of numbers, one after the other: list `i` is
/// `bytes[starts[i]..starts[i + 1]]`, each number in LEB128 (7 bits a byte).
#[derive(Default)]
struct Packed {
    bytes: Vec<u8>,
    starts: Vec<u32>,
}

impl Packed {
    fn push(&mut self, n: u32) {
        let mut n = n;
        while n >= 0x80 {
            self.bytes.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.bytes.push(n as u8);
    }

    /// Ends the current list.
    fn close(&mut self) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.starts.push(self.bytes.len() as u32);
    }

    fn list(&self, i: usize) -> Numbers<'_> {
        let bytes = match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.bytes[a as usize..b as usize],
            _ => &[],
        };
        Numbers { bytes }
    }

    fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
        self.starts.shrink_to_fit();
    }
}

/// The numbers of one packed list.
struct Numbers<'a> {
    bytes: &'a [u8],
}

impl Iterator for Numbers<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let mut n = 0u32;
        let mut shift = 0;
        loop {
            let (&b, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            n |= u32::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
            shift += 7;
        }
    }
}

impl SchemeTexts {
    pub(super) fn build(schemes: &[Scheme]) -> SchemeTexts {
        let mut b = Builder::new();
        let mut out = SchemeTexts::default();
        let (mut ids, mut tokens) = (Vec::new(), Vec::new());
        let (mut words_total, mut tokens_total) = (0usize, 0usize);
        for s in schemes {
            b.scheme_words(s, &mut ids);
            words_total += ids.len();
            let mut previous = 0;
            for &id in &ids {
                out.words.push(id - previous);
                previous = id;
            }
            out.words.close();

            let normalized = text::normalize(&s.description);
            tokens.clear();
            b.description_tokens(&normalized, &mut tokens);
            let own = normalized == s.description
                || carry_offsets(&normalized, &s.description, &mut tokens);
            tokens_total += tokens.len();
            // Gaps wrap rather than panic: tokens never overlap, but a wrapped gap would still
            // decode to the same offsets (the decoder wraps too).
            let mut previous = 0u32;
            for t in &tokens {
                out.tokens.push(t.from.wrapping_sub(previous));
                out.tokens.push(t.to.wrapping_sub(t.from));
                out.tokens.push(t.stem);
                previous = t.to;
            }
            out.tokens.close();
            out.normalized
                .push((!own).then(|| normalized.into_boxed_str()));
        }
        out.lexicon = b.numbering.lexicon;
        if schemes.len() <= INVERTED_MAX_SCHEMES {
            out.schemes_of = Some(out.invert());
        }
        out.words.shrink();
        out.tokens.shrink();
        tracing::debug!(
            tokens = tokens_total,
            words = words_total,
            bytes = out.words.bytes.len() + out.tokens.bytes.len(),
            lexicon = out.lexicon.ids.len(),
            "textes des dispositifs analysés"
        );
        out
    }

    /// Each form's schemes, from the schemes' word lists.
    fn invert(&self) -> Packed {
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); self.lexicon.ids.len()];
        for rank in 0..self.normalized.len() {
            for word in self.words(rank) {
                if let Some(list) = lists.get_mut(word as usize) {
                    list.push(rank as u32);
                }
            }
        }
        let mut packed = Packed::default();
        for list in lists {
            let mut previous = 0;
            for rank in list {
                packed.push(rank - previous);
                previous = rank;
            }
            packed.close();
        }
        packed.shrink();
        packed
    }

    /// Per scheme, the slots of `typed_forms` (form, slot bits) its words have, when the
    /// texts keep each form's schemes; `None` otherwise.
    pub(super) fn covered_slots(&self, typed_forms: &[(u32, u32)]) -> Option<Vec<u32>> {
        let schemes_of = self.schemes_of.as_ref()?;
        let mut covered = vec![0u32; self.normalized.len()];
        for &(form, bits) in typed_forms {
            let mut rank = 0usize;
            for gap in schemes_of.list(form as usize) {
                rank += gap as usize;
                if let Some(c) = covered.get_mut(rank) {
                    *c |= bits;
                }
            }
        }
        Some(covered)
    }

    /// The folded words and stems of the scheme at `rank`, in increasing order.
    pub(super) fn words(&self, rank: usize) -> impl Iterator<Item = u32> + '_ {
        self.words.list(rank).scan(0u32, |at, gap| {
            *at += gap;
            Some(*at)
        })
    }

    /// The description of `scheme` (at `rank`) its tokens' offsets refer to, and the tokens.
    pub(super) fn description<'a>(
        &'a self,
        rank: usize,
        scheme: &'a Scheme,
    ) -> (&'a str, Vec<Token>) {
        let text = match self.normalized.get(rank) {
            Some(Some(n)) => n,
            _ => scheme.description.as_str(),
        };
        let mut numbers = self.tokens.list(rank);
        // Three numbers of at least a byte each per token.
        let mut tokens = Vec::with_capacity(numbers.bytes.len() / 3);
        let mut previous = 0u32;
        while let (Some(gap), Some(len), Some(stem)) =
            (numbers.next(), numbers.next(), numbers.next())
        {
            let from = previous.wrapping_add(gap);
            previous = from.wrapping_add(len);
            tokens.push(Token {
                from,
                to: previous,
                stem,
            });
        }
        (text, tokens)
    }
}

/// Moves the tokens' byte offsets from `normalized` to `original`, when normalising only
/// replaced characters one for one (apostrophes, control characters; no recomposition):
/// the excerpt is then cut from the scheme's own text. Says whether it could.
fn carry_offsets(normalized: &str, original: &str, tokens: &mut [Token]) -> bool {
    if normalized.chars().count() != original.chars().count() {
        return false;
    }
    let mut pairs = normalized
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(normalized.len()))
        .zip(
            original
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(original.len())),
        )
        .peekable();
    let mut carried = Vec::with_capacity(tokens.len() * 2);
    // Offsets rise along the tokens, so one walk serves them all.
    for offset in tokens.iter().flat_map(|t| [t.from, t.to]) {
        let found = loop {
            match pairs.peek() {
                Some(&(n, o)) if n as u32 == offset => break Some(o as u32),
                Some(&(n, _)) if (n as u32) < offset => {
                    pairs.next();
                }
                _ => break None,
            }
        };
        match found {
            Some(o) => carried.push(o),
            None => return false,
        }
    }
    for (t, o) in tokens.iter_mut().zip(carried.chunks_exact(2)) {
        (t.from, t.to) = (o[0], o[1]);
    }
    true
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
    fn scheme_words(&mut self, s: &Scheme, ids: &mut Vec<u32>) {
        let texts = [&*s.nom, &s.resume, &s.description, &s.porteur]
            .into_iter()
            .chain(s.alias.iter().map(String::as_str))
            .chain(
                [&s.mots_cles, &s.avantages, &s.conditions, &s.demarches]
                    .into_iter()
                    .flat_map(|v| v.iter().map(|t| &**t)),
            );
        ids.clear();
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
    fn packed_texts_give_back_each_schemes_words_and_tokens() {
        let mut schemes = crate::data::shipped().schemes;
        // A text that normalising recomposes keeps its own normalised copy.
        schemes[0].description = "Cafe\u{301} d\u{2019}e\u{301}te\u{301} au centre".into();
        let texts = SchemeTexts::build(&schemes);
        let mut b = Builder::new();
        let mut expected = Vec::new();
        let mut carried = 0;
        for (rank, s) in schemes.iter().enumerate() {
            b.scheme_words(s, &mut expected);
            let got: Vec<u32> = texts.words(rank).collect();
            assert_eq!(got, expected, "{}", s.id);
            let normalized = text::normalize(&s.description);
            let mut tokens = Vec::new();
            b.description_tokens(&normalized, &mut tokens);
            let (own, packed) = texts.description(rank, s);
            assert_eq!(packed.len(), tokens.len(), "{}", s.id);
            for (p, t) in packed.iter().zip(&tokens) {
                assert_eq!(p.stem, t.stem);
                let word = &normalized[t.from as usize..t.to as usize];
                assert_eq!(text::normalize(&own[p.from as usize..p.to as usize]), word);
            }
            if std::ptr::eq(own, s.description.as_str()) {
                carried += usize::from(normalized != s.description);
            } else {
                assert_eq!(own, normalized);
            }
        }
        assert!(
            texts.normalized[0].is_some(),
            "a recomposed text keeps its copy"
        );
        assert!(
            carried > 10,
            "typographic apostrophes are carried back: {carried}"
        );
    }

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
