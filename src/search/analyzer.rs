//! The French analyzers: folded (exact) and stemmed, with a folded stop list of our own.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TokenStream,
};
use tantivy::Index;

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

pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

fn stop_filter() -> StopWordFilter {
    StopWordFilter::remove(STOP_WORDS.iter().map(|w| (*w).to_owned()))
}

pub fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop_filter())
        .build()
}

pub fn stemmed() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop_filter())
        .filter(Stemmer::new(Language::French))
        .build()
}

/// Registers both analyzers; needed on every `Index` instance, after `open` too.
pub fn register(index: &Index) {
    index.tokenizers().register(FOLDED, folded());
    index.tokenizers().register(STEMMED, stemmed());
}

thread_local! {
    /// One stemming analyzer per thread: building one costs more than stemming a word.
    static STEMMER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(stemmed());
}

/// The French stem of one folded word (`None` for a stop word).
pub fn stem(word: &str) -> Option<String> {
    STEMMER.with(|analyzer| {
        let mut analyzer = analyzer.borrow_mut();
        let mut stream = analyzer.token_stream(word);
        let mut out = None;
        while stream.advance() {
            out = Some(stream.token().text.clone());
        }
        out
    })
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
    fn accents_and_elisions_fold() {
        assert_eq!(folded_tokens("L'ÉTÉ d’activités"), vec!["ete", "activites"]);
        assert_eq!(stem("activites"), stem("activite"));
    }
}
