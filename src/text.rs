//! Text normalisation shared by indexing, querying and data lookups: NFC, apostrophes, and
//! the one folding of the project (tantivy's lower-casing and ASCII folding), so that a word
//! typed and the same word indexed always meet.

use std::cell::RefCell;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, SimpleTokenizer, TextAnalyzer,
    TextAnalyzerBuilder, TokenStream, Tokenizer,
};
use unicode_normalization::UnicodeNormalization;

/// NFC-normalises `input` and maps the apostrophe look-alikes to `'`, so that decomposed
/// accents and typographic apostrophes tokenise like their plain forms.
pub fn normalize(input: &str) -> String {
    let map = |c| match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{00B4}' | '\u{0060}' | '\u{2032}' => '\'',
        c if c.is_control() => ' ',
        c => c,
    };
    // Most texts are already composed: the quick check spares the composition pass.
    if unicode_normalization::is_nfc_quick(input.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        input.chars().map(map).collect()
    } else {
        input.nfc().map(map).collect()
    }
}

/// How text becomes words, for the index and for the query alike: split on what is not a
/// letter or a digit, lower-case, fold to ASCII (é→e, œ→oe, æ→ae, ø→o, ł→l, ß→ss, ﬁ→fi).
/// The index's analyzers add their filters (stop words, stemmer) after these steps; the
/// query side runs exactly these steps through [`words`].
pub fn word_analyzer() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
}

thread_local! {
    /// One analyzer of each kind per thread: building one costs more than running it.
    static WORDS: RefCell<TextAnalyzer> = RefCell::new(word_analyzer().build());
    static WHOLE: RefCell<TextAnalyzer> = RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

fn tokens(analyzer: &RefCell<TextAnalyzer>, input: &str) -> Vec<String> {
    let mut analyzer = analyzer.borrow_mut();
    let mut stream = analyzer.token_stream(input);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(std::mem::take(&mut stream.token_mut().text));
    }
    out
}

/// Lower-cases and folds the whole of `input` with the same steps as [`words`], keeping
/// spaces and punctuation: the form used for exact lookups such as commune names and for
/// sorting by name.
pub fn fold(input: &str) -> String {
    let normalized = normalize(input);
    WHOLE.with(|a| tokens(a, &normalized)).concat()
}

/// The folded words of `input`, exactly as the index's analyzers see them before their
/// stop words and stemmer.
pub fn words(input: &str) -> Vec<String> {
    let normalized = normalize(input);
    WORDS.with(|a| tokens(a, &normalized))
}

/// The words of `input` as [`words`] gives them, each with the text it came from (NFC,
/// case and accents as typed), for messages that quote the visitor.
pub fn words_as_typed(input: &str) -> Vec<(String, String)> {
    let normalized = normalize(input);
    WORDS.with(|analyzer| {
        let mut analyzer = analyzer.borrow_mut();
        let mut stream = analyzer.token_stream(&normalized);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            let typed = normalized
                .get(t.offset_from..t.offset_to)
                .unwrap_or(&t.text);
            out.push((t.text.clone(), typed.to_owned()));
        }
        out
    })
}

/// Escapes `s` for HTML content and attribute values into `out`, the straight apostrophe
/// written as `apostrophe` (`"&#39;"` to keep it, `"’"` for the typographic one).
pub fn escape_html_into(s: &str, apostrophe: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str(apostrophe),
            c => out.push(c),
        }
    }
}

/// French typography for display: no-break spaces before « € », « % », « : », « ; », « ? »,
/// « ! », inside « guillemets », and typographic apostrophes, so that a phone never shows
/// « 200 » at the end of a line and « € » at the start of the next.
pub fn display(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    // Only some spaces and the apostrophes change; the text between them is copied in one
    // piece. Both are ASCII, so they never fall inside a multi-byte character and `i` is a
    // char boundary.
    let mut copied = 0;
    for (i, b) in input.bytes().enumerate() {
        let with = match b {
            b'\'' => '’',
            b' ' => {
                let before = input[..i].chars().next_back();
                let rest = &input[i + 1..];
                match rest.chars().next() {
                    Some('€' | '%' | ':' | ';' | '»') => '\u{a0}',
                    Some('?' | '!') => '\u{202f}',
                    _ if before == Some('«') => '\u{a0}',
                    // A thousands separator: « 1 400 », not « 12 34 » nor « 1 4000 ».
                    _ if before.is_some_and(|c| c.is_ascii_digit())
                        && rest.bytes().take_while(u8::is_ascii_digit).count() == 3 =>
                    {
                        '\u{202f}'
                    }
                    // A plain space stays in the piece being copied.
                    _ => continue,
                }
            }
            _ => continue,
        };
        out.push_str(&input[copied..i]);
        out.push(with);
        copied = i + 1;
    }
    out.push_str(&input[copied..]);
    out
}

/// French typography for display: a narrow no-break space is not needed by callers, but
/// numbers such as `1400` become `1 400` (no-break space) when formatted through here.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_letters_without_a_decomposition() {
        // NFD leaves these letters alone: folding by decomposition missed them (issue 10,
        // bug 7), while the index folded them.
        assert_eq!(
            words("Søren Łódź Æsir Straße ﬁlm Đakovo Œuvre Þór"),
            ["soren", "lodz", "aesir", "strasse", "film", "dakovo", "oeuvre", "thor"]
        );
        assert_eq!(fold("Søren-Łódź"), "soren-lodz");
    }

    #[test]
    fn words_keep_what_was_typed() {
        assert_eq!(
            words_as_typed("Mon CHIEN, l’Été"),
            [
                ("mon".into(), "Mon".into()),
                ("chien".into(), "CHIEN".into()),
                ("l".into(), "l".into()),
                ("ete".into(), "Été".into())
            ]
        );
        assert_eq!(
            words_as_typed("e\u{301}te\u{301}"),
            [("ete".into(), "été".into())]
        );
    }

    #[test]
    fn fold_and_words_agree() {
        for s in [
            "Søren l’Été",
            "Saint-Omer (62)",
            "e\u{301}te\u{301} ß",
            "Œuvre · ﬁlm",
        ] {
            let split: Vec<String> = fold(s)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect();
            assert_eq!(split, words(s), "{s}");
        }
    }

    #[test]
    fn folds_accents_ligatures_and_apostrophes() {
        assert_eq!(fold("Été ŒUVRE l’Ä"), "ete oeuvre l'a");
        assert_eq!(fold("e\u{301}te\u{301}"), "ete");
        assert_eq!(words("Sac-Ados, l’été"), vec!["sac", "ados", "l", "ete"]);
        assert_eq!(group_thousands(1400), "1\u{202F}400");
        assert_eq!(
            display("200 € d'aide : « oui » ?"),
            "200\u{a0}€ d’aide\u{a0}: «\u{a0}oui\u{a0}»\u{202f}?"
        );
        assert_eq!(display("1 400 jeunes"), "1\u{202f}400 jeunes");
        assert_eq!(display("12 34 et 1 4000"), "12 34 et 1 4000");
        assert_eq!(
            display(" 50 % ; fin ! été 2 000'"),
            " 50\u{a0}%\u{a0}; fin\u{202f}! été 2\u{202f}000’"
        );
        assert_eq!(display("« «  »"), "«\u{a0}«\u{a0}\u{a0}»");
        assert_eq!(display(""), "");
    }
}
