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

/// French typography for display: no-break spaces before « € », « % », « : », « ; », « ? »,
/// « ! », inside « guillemets », and typographic apostrophes, so that a phone never shows
/// « 200 » at the end of a line and « € » at the start of the next.
pub fn display(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    let chars: Vec<char> = input.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        match c {
            ' ' if matches!(next, Some('€' | '%' | ':' | ';' | '»')) => out.push('\u{a0}'),
            ' ' if matches!(next, Some('?' | '!')) => out.push('\u{202f}'),
            ' ' if i > 0 && chars[i - 1] == '«' => out.push('\u{a0}'),
            ' ' if next.is_some_and(|n| n.is_ascii_digit())
                && i > 0
                && chars[i - 1].is_ascii_digit()
                && chars[i + 1..]
                    .iter()
                    .take_while(|d| d.is_ascii_digit())
                    .count()
                    == 3 =>
            {
                out.push('\u{202f}')
            }
            '\'' => out.push('’'),
            c => out.push(c),
        }
    }
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
    }
}
