//! Query analysis: what a visitor typed → a plan of words, each with its weighted
//! alternatives (exact, synonyms, split, prefixes for the word being typed, typos), plus
//! glued pairs and multi-word synonyms. Knows the vocabulary, not the index fields.

use crate::search::analyzer::{self, is_stop_word};
use crate::search::ranking::{
    EXACT, GLUED_PAIR, MAX_CORRECTIONS, MAX_PREFIXES, MAX_WORDS, PREFIX_KNOWN, PREFIX_UNKNOWN,
    SPLIT, SYNONYM, TYPO_1, TYPO_2,
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

/// A query word (or glued pair) and its weighted alternatives.
#[derive(Debug, Clone)]
pub struct Slot {
    pub typed: String,
    pub alts: Vec<(Alt, f32)>,
    /// The closest known word when `typed` is unknown (for « Vouliez-vous dire »).
    pub correction: Option<String>,
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
            s.alts.iter().flat_map(|(alt, w)| {
                let words: Vec<&str> = match alt {
                    Alt::Word(x) => vec![x.as_str()],
                    Alt::Words(xs) => xs.iter().map(String::as_str).collect(),
                };
                words.into_iter().map(move |x| (x, *w))
            })
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

/// Analyses `input` against the index vocabulary and the synonyms.
pub fn plan(input: &str, vocab: &Vocabulary, synonyms: &Synonyms) -> Plan {
    let normalized = text::normalize(input);
    let typing = normalized.chars().last().is_some_and(char::is_alphanumeric);
    let all: Vec<String> = text::words(&normalized)
        .into_iter()
        .filter(|w| analyzer::is_indexable(w))
        .take(MAX_WORDS)
        .collect();
    let content: Vec<String> = {
        let c: Vec<String> = all.iter().filter(|w| !is_stop_word(w)).cloned().collect();
        if c.is_empty() {
            // A query made only of short words (« ma », « la ») still searches them.
            all.iter()
                .filter(|w| w.chars().count() > 1)
                .cloned()
                .collect()
        } else {
            c
        }
    };
    let mut slots = Vec::new();
    let last = content.len().saturating_sub(1);
    for (i, w) in content.iter().enumerate() {
        let being_typed = typing && i == last && all.last() == Some(w);
        let mut alts = Vec::new();
        let mut correction = None;
        let is_known = known(vocab, w);
        push_alt(&mut alts, Alt::Word(w.clone()), EXACT);
        let syns = synonyms.get(w);
        for s in syns {
            let words: Vec<String> = s
                .split(' ')
                .filter(|x| !is_stop_word(x))
                .map(str::to_owned)
                .collect();
            match words.len() {
                0 => {}
                1 => push_alt(&mut alts, Alt::Word(words[0].clone()), SYNONYM),
                _ => push_alt(&mut alts, Alt::Words(words), SYNONYM),
            }
        }
        if !is_known && syns.is_empty() {
            if let Some(mut parts) = vocab.split(w) {
                let alt = if parts.len() == 1 {
                    Alt::Word(parts.remove(0))
                } else {
                    Alt::Words(parts)
                };
                push_alt(&mut alts, alt, SPLIT);
            }
            let corrections = vocab.corrections(w, MAX_CORRECTIONS);
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
        if w.chars().count() >= min_prefix && (being_typed || !is_known) {
            let weight = if is_known {
                PREFIX_KNOWN
            } else {
                PREFIX_UNKNOWN
            };
            for c in vocab.completions(w, MAX_PREFIXES) {
                push_alt(&mut alts, Alt::Word(c), weight);
            }
        }
        slots.push(Slot {
            typed: w.clone(),
            alts,
            correction: if is_known { None } else { correction },
        });
    }
    // Split words glued back (« anti gaspi » → « antigaspi »), and multi-word synonyms.
    for pair in content.windows(2) {
        let glued = format!("{}{}", pair[0], pair[1]);
        if vocab.contains(&glued) {
            slots.push(Slot {
                typed: String::new(),
                alts: vec![(Alt::Word(glued), GLUED_PAIR)],
                correction: None,
            });
        }
    }
    let longest = synonyms.longest_key_words().min(all.len());
    for n in 2..=longest {
        for window in all.windows(n) {
            let key = window.join(" ");
            for s in synonyms.get(&key) {
                let words: Vec<String> = s
                    .split(' ')
                    .filter(|x| !is_stop_word(x))
                    .map(str::to_owned)
                    .collect();
                if !words.is_empty() {
                    slots.push(Slot {
                        typed: String::new(),
                        alts: vec![(Alt::Words(words), SYNONYM * n as f32)],
                        correction: None,
                    });
                }
            }
        }
    }
    Plan {
        slots,
        name_key: content.concat(),
        full_key: all.concat(),
        typing,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    const WORDS: &[&str] = &[
        "sac",
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
