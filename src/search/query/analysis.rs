//! Query analysis: what a visitor typed → a plan of words, each with its weighted
//! alternatives (exact, synonyms, split, prefixes for the word being typed, typos), plus
//! glued pairs and multi-word synonyms. Knows the vocabulary, not the index fields.

use crate::search::analyzer::{self, is_stop_word};
use crate::search::ranking::{
    is_generic, EXACT, GLUED_PAIR, MAX_CORRECTIONS, MAX_PREFIXES, MAX_WORDS, PREFIX_KNOWN,
    PREFIX_UNKNOWN, SPLIT, SYNONYM, TYPO_1, TYPO_2,
};
use crate::search::vocab::Vocabulary;
use crate::synonyms::Synonyms;
use crate::text;

/// One way to match a query word: a word, or several words that must share the score.
#[derive(Debug, Clone, PartialEq)]
pub enum Alt {
    Word(String),
    Words(Vec<String>),
}

impl Alt {
    fn words(&self) -> impl Iterator<Item = &str> {
        let words: &[String] = match self {
            Alt::Word(w) => std::slice::from_ref(w),
            Alt::Words(ws) => ws,
        };
        words.iter().map(String::as_str)
    }
}

/// A query word (or glued pair, or phrase with a synonym) and its weighted alternatives.
#[derive(Debug, Clone, Default)]
pub struct Slot {
    /// The folded typed word; empty for a glued pair or a phrase.
    pub typed: String,
    /// The word as the visitor typed it (case and accents kept), for messages.
    pub original: String,
    pub alts: Vec<(Alt, f32)>,
    /// The closest known word when `typed` is unknown (for « Tu voulais dire »).
    pub correction: Option<String>,
    /// Whether some alternative occurs in the index (or, for a typed word, a glued pair or
    /// phrase it belongs to does).
    pub matched: bool,
    /// Whether the slot's typed words are all generic (« aide », « gratuit »…, see
    /// `ranking::GENERIC_WORDS`) or stop words.
    pub generic: bool,
}

/// The analysed user query.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub slots: Vec<Slot>,
    /// Content words glued (« sacados »), for the whole-name bonus.
    pub name_key: String,
    /// All words glued, stop words included (« promeneursdunet »).
    pub full_key: String,
    /// Whether the last word is still being typed (no space after it).
    pub typing: bool,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Every word the plan may match, with its tier weight (for snippets).
    pub fn words(&self) -> impl Iterator<Item = (&str, f32)> {
        self.slots.iter().flat_map(|s| {
            s.alts
                .iter()
                .flat_map(|(alt, w)| alt.words().map(move |x| (x, *w)))
        })
    }

    /// The query with unknown words replaced by their closest known word, if any changed.
    pub fn corrected(&self) -> Option<String> {
        if self.slots.iter().all(|s| s.correction.is_none()) {
            return None;
        }
        Some(
            self.slots
                .iter()
                .filter(|s| !s.typed.is_empty())
                .map(|s| s.correction.as_deref().unwrap_or(&s.typed))
                .collect::<Vec<_>>()
                .join(" "),
        )
    }

    /// The meaningful typed words (not generic) that match nothing in the index, even
    /// through typos, stems, synonyms, splits or completions; as typed, without repeats.
    pub fn words_without_match(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in &self.slots {
            if !s.typed.is_empty() && !s.matched && !s.generic && !out.contains(&s.original) {
                out.push(s.original.clone());
            }
        }
        out
    }

    /// Whether results must match a meaningful word: some meaningful typed word matched
    /// nothing, so schemes matching only generic words are not answers.
    pub fn needs_meaningful_match(&self) -> bool {
        self.slots
            .iter()
            .any(|s| !s.typed.is_empty() && !s.matched && !s.generic)
    }
}

fn push_alt(alts: &mut Vec<(Alt, f32)>, alt: Alt, weight: f32) {
    match alts.iter_mut().find(|(a, _)| *a == alt) {
        Some((_, w)) => *w = w.max(weight),
        None => alts.push((alt, weight)),
    }
}

fn known(vocab: &Vocabulary, word: &str) -> bool {
    vocab.contains(word) || analyzer::stem(word).is_some_and(|s| vocab.has_stem(&s))
}

/// The words of a synonym, stop words left out.
fn synonym_words(synonym: &str) -> Vec<String> {
    synonym
        .split(' ')
        .filter(|x| !is_stop_word(x))
        .map(str::to_owned)
        .collect()
}

/// The slot of one typed word: itself, its synonyms, and when it is unknown, its split,
/// its typos; its completions when it is being typed (or unknown).
fn word_slot(
    (word, original): &(String, String),
    being_typed: bool,
    vocab: &Vocabulary,
    synonyms: &Synonyms,
) -> Slot {
    let mut alts = Vec::new();
    let mut correction = None;
    let is_known = known(vocab, word);
    push_alt(&mut alts, Alt::Word(word.clone()), EXACT);
    let syns = synonyms.get(word);
    for s in syns {
        let mut words = synonym_words(s);
        match words.len() {
            0 => {}
            1 => push_alt(&mut alts, Alt::Word(words.remove(0)), SYNONYM),
            _ => push_alt(&mut alts, Alt::Words(words), SYNONYM),
        }
    }
    if !is_known && syns.is_empty() {
        if let Some(mut parts) = vocab.split(word) {
            let alt = if parts.len() == 1 {
                Alt::Word(parts.remove(0))
            } else {
                Alt::Words(parts)
            };
            push_alt(&mut alts, alt, SPLIT);
        }
        let corrections = vocab.corrections(word, MAX_CORRECTIONS);
        correction = corrections.first().map(|(c, _)| c.clone());
        for (c, d) in corrections {
            push_alt(
                &mut alts,
                Alt::Word(c),
                if d <= 1 { TYPO_1 } else { TYPO_2 },
            );
        }
    }
    let min_prefix = if being_typed { 2 } else { 3 };
    if word.chars().count() >= min_prefix && (being_typed || !is_known) {
        let weight = if is_known {
            PREFIX_KNOWN
        } else {
            PREFIX_UNKNOWN
        };
        for c in vocab.completions(word, MAX_PREFIXES) {
            push_alt(&mut alts, Alt::Word(c), weight);
        }
    }
    Slot {
        typed: word.clone(),
        original: original.clone(),
        correction: if is_known { None } else { correction },
        matched: alts
            .iter()
            .any(|(alt, _)| alt.words().any(|w| known(vocab, w))),
        generic: is_generic(word),
        alts,
    }
}

/// Analyses `input` against the index vocabulary and the synonyms.
pub fn plan(input: &str, vocab: &Vocabulary, synonyms: &Synonyms) -> Plan {
    let normalized = text::normalize(input);
    let typing = normalized.chars().last().is_some_and(char::is_alphanumeric);
    let all: Vec<(String, String)> = text::words_as_typed(&normalized)
        .into_iter()
        .filter(|(w, _)| analyzer::is_indexable(w))
        .take(MAX_WORDS)
        .collect();
    // Positions in `all` of the words searched: content words, or when there are none, the
    // short words of a query made only of them (« ma », « la »).
    let content: Vec<usize> = {
        let c: Vec<usize> = (0..all.len())
            .filter(|&i| !is_stop_word(&all[i].0))
            .collect();
        if c.is_empty() {
            (0..all.len())
                .filter(|&i| all[i].0.chars().count() > 1)
                .collect()
        } else {
            c
        }
    };
    // One slot per content word (slot k is the word at `all[content[k]]`).
    let mut slots: Vec<Slot> = content
        .iter()
        .map(|&i| {
            let being_typed = typing && i + 1 == all.len();
            word_slot(&all[i], being_typed, vocab, synonyms)
        })
        .collect();
    // Extra slots, each with the content slots whose words it joins: split words glued back
    // (« anti gaspi » → « antigaspi »), and phrases with a synonym.
    let mut extra: Vec<(Slot, Vec<usize>)> = Vec::new();
    for k in 1..content.len() {
        let glued = format!("{}{}", all[content[k - 1]].0, all[content[k]].0);
        if vocab.contains(&glued) {
            let slot = Slot {
                alts: vec![(Alt::Word(glued), GLUED_PAIR)],
                matched: true,
                generic: slots[k - 1].generic && slots[k].generic,
                ..Slot::default()
            };
            extra.push((slot, vec![k - 1, k]));
        }
    }
    let longest = synonyms.longest_key_words().min(all.len());
    for n in 2..=longest {
        for start in 0..=all.len() - n {
            let key: Vec<&str> = all[start..start + n]
                .iter()
                .map(|(w, _)| w.as_str())
                .collect();
            let joined: Vec<usize> = (0..content.len())
                .filter(|&k| (start..start + n).contains(&content[k]))
                .collect();
            for s in synonyms.get(&key.join(" ")) {
                let words = synonym_words(s);
                if words.is_empty() {
                    continue;
                }
                let slot = Slot {
                    matched: words.iter().any(|w| known(vocab, w)),
                    generic: joined.iter().all(|&k| slots[k].generic),
                    alts: vec![(Alt::Words(words), SYNONYM * n as f32)],
                    ..Slot::default()
                };
                extra.push((slot, joined.clone()));
            }
        }
    }
    for (slot, joined) in extra {
        if slot.matched {
            for k in joined {
                slots[k].matched = true;
            }
        }
        slots.push(slot);
    }
    Plan {
        slots,
        name_key: content.iter().map(|&i| all[i].0.as_str()).collect(),
        full_key: all.iter().map(|(w, _)| w.as_str()).collect(),
        typing,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    const WORDS: &[&str] = &[
        "sac",
        "gratuit",
        "aide",
        "ados",
        "antigaspi",
        "service",
        "civique",
        "sport",
        "sportif",
        "sports",
        "job",
        "ete",
        "permis",
        "promeneurs",
        "net",
        "vacances",
    ];

    fn vocab() -> Vocabulary {
        let stems: HashSet<String> = WORDS.iter().filter_map(|w| analyzer::stem(w)).collect();
        let words = WORDS.iter().map(|w| (w.to_string(), (1, 1))).collect();
        Vocabulary::new(words, stems)
    }

    fn synonyms() -> Synonyms {
        Synonyms::new(
            &[vec!["job".into(), "boulot".into()]],
            &[("petit boulot".into(), vec!["job d’été".into()])],
        )
    }

    fn analyse(q: &str) -> Plan {
        plan(q, &vocab(), &synonyms())
    }

    fn typed(p: &Plan) -> Vec<&str> {
        p.slots.iter().map(|s| s.typed.as_str()).collect()
    }

    fn has(slot: &Slot, word: &str, weight: f32) -> bool {
        slot.alts.contains(&(Alt::Word(word.to_owned()), weight))
    }

    #[test]
    fn stop_words_are_dropped_unless_nothing_else_is_typed() {
        assert_eq!(typed(&analyse("je veux un job ")), ["job"]);
        assert_eq!(typed(&analyse("L’été ")), ["ete"]);
        // Only short words: they are searched, one-letter ones aside.
        assert_eq!(typed(&analyse("ma la ")), ["ma", "la"]);
        assert!(analyse("a ").is_empty());
    }

    #[test]
    fn symbols_only_give_an_empty_plan() {
        for q in ["", "   ", "🙂 *", "((( ))) -- !!"] {
            assert!(analyse(q).is_empty(), "« {q} »");
        }
    }

    #[test]
    fn a_known_word_typed_in_full_is_only_itself() {
        let p = analyse("sport ");
        assert!(!p.typing);
        assert_eq!(p.slots[0].alts, [(Alt::Word("sport".into()), EXACT)]);
        assert_eq!(p.corrected(), None);
    }

    #[test]
    fn the_word_being_typed_gets_completions() {
        let p = analyse("spo");
        assert!(p.typing);
        for w in ["sport", "sportif", "sports"] {
            assert!(has(&p.slots[0], w, PREFIX_UNKNOWN), "{w}: {:?}", p.slots[0]);
        }
        // A known word being typed keeps itself first and completes at a lower tier.
        let p = analyse("sport");
        assert!(has(&p.slots[0], "sport", EXACT));
        assert!(has(&p.slots[0], "sportif", PREFIX_KNOWN));
        // Once a space follows, a known word is no longer completed.
        assert_eq!(analyse("sport ").slots[0].alts.len(), 1);
    }

    #[test]
    fn an_unknown_word_gets_typos_and_a_correction() {
        let p = analyse("servise civique ");
        assert!(has(&p.slots[0], "service", TYPO_1), "{:?}", p.slots[0]);
        assert_eq!(p.slots[0].correction.as_deref(), Some("service"));
        assert_eq!(p.slots[1].correction, None);
        assert_eq!(p.corrected().as_deref(), Some("service civique"));
    }

    #[test]
    fn synonyms_expand_words_and_phrases() {
        let p = analyse("boulot ");
        assert!(has(&p.slots[0], "job", SYNONYM), "{:?}", p.slots[0]);
        // A phrase adds a slot of its own, weighted by its number of words; stop words of
        // the synonym (« d’ ») are left out.
        let p = analyse("petit boulot ");
        let phrase = p
            .slots
            .iter()
            .find(|s| s.typed.is_empty())
            .expect("phrase slot");
        assert_eq!(
            phrase.alts,
            [(Alt::Words(vec!["job".into(), "ete".into()]), SYNONYM * 2.0)]
        );
    }

    #[test]
    fn glued_and_split_words_meet_the_index() {
        let p = analyse("anti gaspi ");
        let glued = p
            .slots
            .iter()
            .find(|s| s.typed.is_empty())
            .expect("glued slot");
        assert_eq!(glued.alts, [(Alt::Word("antigaspi".into()), GLUED_PAIR)]);
        let p = analyse("sacados ");
        assert!(p.slots[0]
            .alts
            .contains(&(Alt::Words(vec!["sac".into(), "ados".into()]), SPLIT)));
        assert_eq!(p.name_key, "sacados");
    }

    #[test]
    fn name_keys_glue_content_words_and_all_words() {
        let p = analyse("Promeneurs du Net ");
        assert_eq!(p.name_key, "promeneursnet");
        assert_eq!(p.full_key, "promeneursdunet");
    }

    #[test]
    fn meaningful_words_without_match_are_reported_as_typed() {
        let p = analyse("Netflix GRATUIT ");
        assert_eq!(p.words_without_match(), ["Netflix"]);
        assert!(p.needs_meaningful_match());
        assert!(p.slots[1].matched && p.slots[1].generic, "{:?}", p.slots[1]);
        assert_eq!(
            analyse("aide pour mon chien").words_without_match(),
            ["chien"]
        );
        assert_eq!(
            analyse("chien sport chien ").words_without_match(),
            ["chien"]
        );
    }

    #[test]
    fn words_matched_some_other_way_are_not_reported() {
        for q in [
            "aide permis ",
            "servise civique ",
            "spo",
            "boulot ",
            "sacados ",
            // Unknown alone, known glued (« antigaspi ») or as a phrase (« petit boulot »).
            "anti gaspi ",
            "petit boulot ",
            // Generic or stop words are never reported, even unknown ones.
            "gratuits pour moi ",
            "ma la ",
        ] {
            let p = analyse(q);
            assert_eq!(p.words_without_match(), Vec::<String>::new(), "« {q} »");
            assert!(!p.needs_meaningful_match(), "« {q} »");
        }
    }

    #[test]
    fn long_queries_and_long_words_are_bounded() {
        let many = (0..40)
            .map(|i| format!("mot{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(analyse(&many).slots.len(), MAX_WORDS);
        let long = "x".repeat(analyzer::MAX_WORD_BYTES);
        assert_eq!(typed(&analyse(&format!("{long} sport "))), ["sport"]);
    }
}
