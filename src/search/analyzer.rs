//! The French analyzers: folded (exact) and stemmed, with a folded stop list of our own.

use std::collections::HashMap;

use tantivy::tokenizer::{
    RemoveLongFilter, StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::Index;

use crate::text;

/// Name of the analyzer that lower-cases and folds accents, without stemming.
pub const FOLDED: &str = "fr_folded";
/// Name of the analyzer that also applies the French stemmer.
pub const STEMMED: &str = "fr_stem";

/// Folded French stop words, elided letters and the empty words of a question
/// (« je veux », « comment », « est-ce que »): applied after accent folding, since the
/// built-in list is accented.
pub const STOP_WORDS: &[&str] = &[
    "a", "ai", "aie", "aimerais", "alors", "apres", "as", "au", "aux", "avec", "avoir", "bah",
    "ben", "besoin", "bjr", "bonjour", "c", "ca", "ce", "ces", "cest", "cet", "cette", "chez",
    "chose", "comment", "d", "dans", "de", "des", "donc", "du", "elle", "elles", "en", "es", "est",
    "et", "etre", "euh", "eux", "faire", "fais", "fait", "genre", "il", "ils", "j", "jai", "je",
    "jveux", "l", "la", "le", "les", "leur", "leurs", "lui", "m", "ma", "mais", "mdr", "me",
    "meme", "merci", "mes", "moi", "mon", "n", "ne", "nos", "notre", "nous", "on", "ou", "par",
    "pas", "peut", "peux", "plus", "pour", "puis", "qu", "quand", "que", "quel", "quelle",
    "quelles", "quelque", "quels", "qui", "quoi", "s", "sa", "sais", "sait", "salut", "se", "ses",
    "si", "slt", "son", "sont", "stp", "suis", "sur", "svp", "t", "ta", "te", "tes", "toi", "ton",
    "truc", "trucs", "tu", "un", "une", "veut", "veux", "voila", "vos", "votre", "voudrais",
    "vous", "y", "ya",
];

/// Words of this many bytes or more are not indexed (nobody types them), nor searched.
pub const MAX_WORD_BYTES: usize = 48;

/// Whether the index keeps a folded word of this length (tantivy's `RemoveLongFilter` rule).
pub fn is_indexable(word: &str) -> bool {
    word.len() < MAX_WORD_BYTES
}

pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

fn stop_filter() -> StopWordFilter {
    StopWordFilter::remove(STOP_WORDS.iter().map(|w| (*w).to_owned()))
}

/// Folded words without stop words: the words of `text::words`, minus the long ones and
/// the stop words.
pub fn folded() -> TextAnalyzer {
    text::word_analyzer()
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(stop_filter())
        .build()
}

/// The folded words, stemmed.
pub fn stemmed() -> TextAnalyzer {
    text::word_analyzer()
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(stop_filter())
        .filter(MemoStemmer)
        .build()
}

/// Stems kept per analyzer instance before the memo starts over (bounds its memory).
const MEMO_LIMIT: usize = 100_000;

/// tantivy's French stemmer (the same Snowball algorithm) with a memo of the words it has
/// stemmed: words repeat (Zipf), and stemming was the largest cost of building the index
/// and of analysing texts. Each analyzer instance (one per indexing thread, one per
/// `stem` thread) keeps its own memo.
#[derive(Clone, Copy)]
pub struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter {
            inner: tokenizer,
            memo: HashMap::new(),
        }
    }
}

#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
    memo: HashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.memo.len() >= MEMO_LIMIT {
            self.memo.clear();
        }
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::French),
        }
    }
}

pub struct MemoStemmerStream<'a, T> {
    tail: T,
    memo: &'a mut HashMap<String, String>,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        match self.memo.get(token.text.as_str()) {
            Some(stem) => {
                token.text.clear();
                token.text.push_str(stem);
            }
            None => {
                let stem = self.stemmer.stem(&token.text).into_owned();
                let word = std::mem::replace(&mut token.text, stem.clone());
                self.memo.insert(word, stem);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Registers both analyzers (fed with `text::normalize`d text); needed on every `Index` instance, after `open` too.
pub fn register(index: &Index) {
    index.tokenizers().register(FOLDED, folded());
    index.tokenizers().register(STEMMED, stemmed());
}

thread_local! {
    /// One stemming analyzer per thread: building one costs more than stemming a word.
    static STEMMER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(stemmed());
    /// The stems this thread has given (a query asks the same word's stem several times:
    /// its clauses, coverage, excerpts).
    static STEMS: std::cell::RefCell<HashMap<String, Option<String>>> =
        std::cell::RefCell::new(HashMap::new());
}

/// The French stem of one folded word (`None` for a stop word).
pub fn stem(word: &str) -> Option<String> {
    if let Some(known) = STEMS.with(|m| m.borrow().get(word).cloned()) {
        return known;
    }
    let out = STEMMER.with(|analyzer| {
        let mut analyzer = analyzer.borrow_mut();
        let mut stream = analyzer.token_stream(word);
        let mut out = None;
        while stream.advance() {
            out = Some(stream.token().text.clone());
        }
        out
    });
    STEMS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MEMO_LIMIT {
            m.clear();
        }
        m.insert(word.to_owned(), out.clone());
    });
    out
}

/// Runs the folded analyzer over `text`, giving its tokens.
pub fn folded_tokens(text: &str) -> Vec<String> {
    let mut analyzer = folded();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_list_is_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn index_and_query_fold_words_alike() {
        // The query side (`text::words`) and the index side (this analyzer) give the same
        // words, letters without a decomposition included (issue 10, bug 7).
        for s in [
            "Søren à Łódź",
            "Æsir, Straße et ﬁlm",
            "Đakovo · Œuvre · Þór",
            "e\u{301}te\u{301} l’ÉTÉ d'été",
            &"x".repeat(60),
        ] {
            let query: Vec<String> = text::words(s)
                .into_iter()
                .filter(|w| is_indexable(w) && !is_stop_word(w))
                .collect();
            // The index is fed normalised text (`index::document`).
            assert_eq!(folded_tokens(&text::normalize(s)), query, "{s}");
        }
    }

    #[test]
    fn the_memo_stems_as_tantivys_stemmer_does() {
        use tantivy::tokenizer::{Language, Stemmer};
        let mut plain = text::word_analyzer()
            .filter(Stemmer::new(Language::French))
            .build();
        let mut memo = text::word_analyzer().filter(MemoStemmer).build();
        let sample = "Les activités sportives, l'activité du sport : activites, \
                      heureuse heureux, eaux, vacances vacance, qu'il quittait";
        // Twice: the second pass answers from the memo.
        for _ in 0..2 {
            let mut a = Vec::new();
            plain
                .token_stream(sample)
                .process(&mut |t| a.push(t.clone()));
            let mut b = Vec::new();
            memo.token_stream(sample)
                .process(&mut |t| b.push(t.clone()));
            assert_eq!(a, b);
        }
    }

    #[test]
    fn accents_and_elisions_fold() {
        assert_eq!(folded_tokens("L'ÉTÉ d’activités"), vec!["ete", "activites"]);
        assert_eq!(stem("activites"), stem("activite"));
    }
}
