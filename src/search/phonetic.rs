//! A small French phonetic key, so that « servise civik » meets « service civique ».
//!
//! Words are folded first (a–z, digits). The key keeps consonant skeletons and merges the
//! spellings of a sound (qu/k/c, ph/f, s/c/ç/z, é/ai/er/ez, au/eau/o, an/en, in/ain/un),
//! drops silent endings and doubled letters. Two words with the same key sound alike.

/// Rewrites applied in order on the folded word.
const RULES: &[(&str, &str)] = &[
    ("eaux", "o"),
    ("eau", "o"),
    ("ph", "f"),
    ("qu", "k"),
    ("ck", "k"),
    ("cc", "k"),
    ("ch", "^"),
    ("ce", "se"),
    ("ci", "si"),
    ("cy", "si"),
    ("c", "k"),
    ("q", "k"),
    ("ge", "je"),
    ("gi", "ji"),
    ("gu", "g"),
    ("x", "ks"),
    ("w", "v"),
    ("y", "i"),
    ("z", "s"),
    ("h", ""),
    ("au", "o"),
    ("ou", "u"),
    ("oi", "oa"),
    ("ai", "e"),
    ("ei", "e"),
    ("ain", "in"),
    ("ein", "in"),
    ("aim", "in"),
    ("im", "in"),
    ("un", "in"),
    ("um", "on"),
    ("am", "an"),
    ("em", "an"),
    ("en", "an"),
    ("om", "on"),
];

fn rewrite(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let bytes = word.as_bytes();
    let mut i = 0;
    'outer: while i < bytes.len() {
        for (from, to) in RULES {
            if word[i..].starts_with(from) {
                out.push_str(to);
                i += from.len();
                continue 'outer;
            }
        }
        out.push(bytes[i] as char);
        i += 1;
    }
    out
}

/// The phonetic key of a folded word; empty when the word is not plain ASCII letters.
pub fn key(word: &str) -> String {
    if !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return String::new();
    }
    let mut w = rewrite(word);
    // Silent endings: -er/-ez/-et sound like -é; final e, s, t, d, x, p are mostly silent.
    for end in ["er", "ez", "et"] {
        if w.len() > 3 && w.ends_with(end) {
            w.truncate(w.len() - 2);
            w.push('e');
        }
    }
    while w.len() > 2
        && (w.ends_with('s') || w.ends_with('t') || w.ends_with('d') || w.ends_with('p'))
    {
        w.pop();
    }
    if w.len() > 2 && w.ends_with('e') {
        w.pop();
    }
    while w.len() > 2 && (w.ends_with('s') || w.ends_with('t')) {
        w.pop();
    }
    let mut out = String::with_capacity(w.len());
    for c in w.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn sound_alike_spellings_share_a_key() {
        assert_eq!(key("civik"), key("civique"));
        assert_eq!(key("servise"), key("service"));
        assert_eq!(key("permi"), key("permis"));
        assert_eq!(key("bafa"), key("baffa"));
        assert_eq!(key("vacanse"), key("vacances"));
        assert_ne!(key("sport"), key("stage"));
    }
}
