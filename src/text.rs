//! Text normalisation shared by indexing, querying and data lookups (NFC, apostrophes, folding).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// NFC-normalises `input` and maps the apostrophe look-alikes to `'`, so that decomposed
/// accents and typographic apostrophes tokenise like their plain forms.
pub fn normalize(input: &str) -> String {
    input
        .nfc()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{00B4}' | '\u{0060}' | '\u{2032}' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Lower-cases and removes diacritics (é→e, œ→oe, ç→c): the form used for exact lookups
/// such as commune names, synonym keys and theme slugs.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in normalize(input).nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Folds and splits into alphanumeric words (apostrophes, hyphens and punctuation separate).
pub fn words(input: &str) -> Vec<String> {
    fold(input)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
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
    fn folds_accents_ligatures_and_apostrophes() {
        assert_eq!(fold("Été ŒUVRE l’Ä"), "ete oeuvre l'a");
        assert_eq!(fold("e\u{301}te\u{301}"), "ete");
        assert_eq!(words("Sac-Ados, l’été"), vec!["sac", "ados", "l", "ete"]);
        assert_eq!(group_thousands(1400), "1\u{202F}400");
    }
}
