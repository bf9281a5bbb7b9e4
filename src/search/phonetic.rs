//! A small French phonetic key, so that « servise civik » meets « service civique ».
//!
//! Words are folded first (a–z, digits). The key keeps consonant skeletons and merges the
//! spellings of a sound (qu/k/c, ph/f, s/c/ç/z, é/ai/er/ez, au/eau/o, an/en, in/ain/un),
//! drops silent endings and doubled letters. Two words with the same key sound alike.

/// Rewrites of a spelling into its sound. At each position the longest matching spelling
/// wins, whatever its place in the table (« ain » before « ai »), so no rule is shadowed.
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

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// A spelling ending in « n » or « m » is a nasal vowel only when no vowel follows: in
/// « semaine », « image » or « une » the consonant opens the next syllable.
fn applies(word: &[u8], at: usize, from: &str) -> bool {
    let nasal = from.len() >= 2 && from.ends_with(['n', 'm']);
    !nasal || word.get(at + from.len()).is_none_or(|&b| !is_vowel(b))
}

fn rewrite(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let bytes = word.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // The longest spelling matching here; on a tie, the first listed.
        let rule = RULES
            .iter()
            .filter(|(from, _)| word[i..].starts_with(from) && applies(bytes, i, from))
            .fold(None::<&(&str, &str)>, |best, r| match best {
                Some(b) if b.0.len() >= r.0.len() => Some(b),
                _ => Some(r),
            });
        match rule {
            Some((from, to)) => {
                out.push_str(to);
                i += from.len();
            }
            None => {
                out.push(bytes[i] as char);
                i += 1;
            }
        }
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
    use super::{key, RULES};

    #[test]
    fn sound_alike_spellings_share_a_key() {
        for (a, b) in [
            ("civik", "civique"),
            ("servise", "service"),
            ("permi", "permis"),
            ("bafa", "baffa"),
            ("vacanse", "vacances"),
            // Nasal vowels: ain, ein, aim, im and un all sound « in ».
            ("pain", "pin"),
            ("main", "min"),
            ("plein", "plin"),
            ("faim", "fin"),
            ("timbre", "tinbre"),
            ("brun", "brin"),
            ("copain", "copin"),
            ("train", "trin"),
            ("demain", "demin"),
            ("enfant", "anfan"),
            ("temps", "tan"),
            ("parfum", "parfon"),
            // Before a vowel the same letters are not nasal.
            ("semaine", "semene"),
            ("peine", "pene"),
            ("bateau", "bato"),
            ("photo", "foto"),
        ] {
            assert_eq!(key(a), key(b), "« {a} » and « {b} » sound alike");
        }
    }

    #[test]
    fn different_sounds_get_different_keys() {
        for (a, b) in [
            ("sport", "stage"),
            ("pain", "pan"),
            ("pain", "pene"),
            ("vin", "van"),
            ("main", "men"),
            ("une", "in"),
            ("image", "inage"),
            ("semaine", "semine"),
            ("plein", "plene"),
            ("bon", "ban"),
        ] {
            assert_ne!(key(a), key(b), "« {a} » and « {b} » sound different");
        }
    }

    #[test]
    fn every_rule_can_fire() {
        // Each spelling, alone in a word, is rewritten by its own rule (none is shadowed by
        // a shorter one listed before it).
        for (from, to) in RULES {
            let word = format!("b{from}b");
            assert_eq!(
                super::rewrite(&word),
                format!("b{to}b"),
                "rule « {from} » → « {to} »"
            );
        }
    }

    #[test]
    fn keys_of_non_letters_are_empty() {
        assert_eq!(key("3eme"), "");
        assert_eq!(key(""), "");
    }
}
