//! The ranking policy on one screen: every weight, factor and budget that orders results.
//!
//! A result's score is built in three layers:
//! 1. **Fields.** Each form of a word (folded or stemmed) is looked up in each field with
//!    BM25; the best field counts, the others add a little ([`FIELD_TIE_BREAKER`]).
//! 2. **Tiers.** Each typed word has alternatives (itself, synonyms, split, prefixes, typos);
//!    the best alternative counts, weighted by its tier, so an exact word beats a stem,
//!    which beats a typo. A query that is (or starts) a scheme's name gets a bonus.
//! 3. **Re-ranking.** The first [`RERANK_WINDOW`] results are multiplied by how many typed
//!    words they cover and by whether the scheme can be used on the day of the search.

use crate::scheme::Availability;

// ── 1. Fields ─────────────────────────────────────────────────────────────────────────────
// Name above keywords above summary above the rest; the folded (exact) form of a field
// above its stemmed form.

/// Name and aliases, exact word.
pub const NAME_EXACT: f32 = 10.0;
/// Keywords, exact word.
pub const KEYWORDS_EXACT: f32 = 5.0;
/// Summary, description and details, exact word.
pub const BODY_EXACT: f32 = 1.2;
/// Name and aliases, same stem.
pub const NAME_STEM: f32 = 7.0;
/// Keywords, same stem.
pub const KEYWORDS_STEM: f32 = 3.5;
/// Summary, same stem.
pub const SUMMARY_STEM: f32 = 2.0;
/// Description, same stem.
pub const DESCRIPTION_STEM: f32 = 0.8;
/// Advantages, conditions, steps, carrier, theme and audience labels, same stem.
pub const DETAILS_STEM: f32 = 0.8;
/// Share of the other fields' scores added to the best field's.
pub const FIELD_TIE_BREAKER: f32 = 0.15;
/// A stem match when stemming cut the word down to another word of the index (« passer »
/// → « pass », as in « Pass Sport »): a conflation rather than a variant, so it counts
/// this much (« sports » → « sport » keeps its full weight).
pub const CONFLATED_STEM: f32 = 0.5;

// ── 2. Tiers of the alternatives of one typed word ───────────────────────────────────────

/// The word as typed (folded).
pub const EXACT: f32 = 1.0;
/// Two typed words glued back into a word of the index (« anti gaspi » → « antigaspi »).
pub const GLUED_PAIR: f32 = 2.0;
/// A glued word split into words of the index (« sacados » → « sac ados »).
pub const SPLIT: f32 = 0.9;
/// A synonym from `data/synonymes.json`; a phrase of n typed words weighs n times this.
pub const SYNONYM: f32 = 0.8;
/// A completion of an unknown word (typed in full but only the start of a word).
pub const PREFIX_UNKNOWN: f32 = 0.6;
/// A completion of a known word still being typed (« sport » → « sportif »).
pub const PREFIX_KNOWN: f32 = 0.3;
/// A word one typo away (or sounding the same) from an unknown typed word.
pub const TYPO_1: f32 = 0.45;
/// A word two typos away.
pub const TYPO_2: f32 = 0.3;
/// Added when the query, words glued, is a scheme's whole name (« sac ados » = « sacados »).
pub const NAME_BONUS: f32 = 60.0;
/// Added when the query starts a scheme's name while it is being typed.
pub const NAME_PREFIX_BONUS: f32 = 25.0;

// ── 3. Re-ranking ─────────────────────────────────────────────────────────────────────────

/// Results fetched and re-ranked, at least (more when the page asked goes further).
pub const RERANK_WINDOW: usize = 100;
/// The share of the score kept by a result covering none of the typed words; one covering
/// them all keeps everything: score × (floor + (1 − floor) × covered share).
pub const COVERAGE_FLOOR: f32 = 0.4;
/// A scheme that cannot be used on the day but is not closed (upcoming, planned, paused,
/// campaign over) still shows, below the usable ones.
pub const NOT_USABLE: f32 = 0.8;
/// A closed scheme shows last among equals.
pub const CLOSED: f32 = 0.6;

/// How a scheme's status on the day of the search weighs on its score: open and « à
/// confirmer » alike (both usable), then the others in the order of `Availability::rank`.
pub fn status_factor(availability: Availability) -> f32 {
    if availability.is_usable() {
        1.0
    } else if availability.rank() < Availability::Closed.rank() {
        NOT_USABLE
    } else {
        CLOSED
    }
}

/// The factor of a result covering `covered` of the typed words (0.0 to 1.0).
pub fn coverage_factor(covered: f32) -> f32 {
    COVERAGE_FLOOR + (1.0 - COVERAGE_FLOOR) * covered
}

// ── Budgets ───────────────────────────────────────────────────────────────────────────────

/// Only the first words of a very long query are searched.
pub const MAX_WORDS: usize = 16;
/// Completions tried per word being typed (and name completions per query).
pub const MAX_PREFIXES: usize = 8;
/// Typo corrections tried per unknown word.
pub const MAX_CORRECTIONS: usize = 6;
/// Words of this many letters or more may carry one typo (Meilisearch's budget)…
pub const ONE_TYPO_FROM: usize = 5;
/// …and two from this many. A single typo keeps the first letter.
pub const TWO_TYPOS_FROM: usize = 9;
/// Length of a result's excerpt, in characters.
pub const SNIPPET_CHARS: usize = 180;
/// How much a word counts, by the field it comes from, when completions and corrections
/// are ordered: name, keywords, body.
pub const VOCABULARY_WEIGHTS: [u32; 3] = [4, 2, 1];

// ── Generic words ─────────────────────────────────────────────────────────────────────────

/// Folded words that say nothing about what a young person looks for (« aide », « gratuit »,
/// « jeune », money words…). When a meaningful typed word matches nothing in the index,
/// a scheme matching only these words is not an answer and is left out (« netflix
/// gratuit », « aide pour mon chien »). Stop words count as generic too. Sorted.
pub const GENERIC_WORDS: &[&str] = &[
    "aide",
    "aider",
    "aides",
    "argent",
    "besoin",
    "besoins",
    "cher",
    "chere",
    "cheres",
    "chers",
    "dispositif",
    "dispositifs",
    "fric",
    "gratos",
    "gratuit",
    "gratuite",
    "gratuitement",
    "gratuites",
    "gratuits",
    "jeune",
    "jeunes",
    "money",
    "oseille",
    "pour",
    "sous",
    "thune",
    "thunes",
    "truc",
    "trucs",
    "tune",
    "tunes",
];

/// Whether a folded word is generic (see [`GENERIC_WORDS`]) or a stop word.
pub fn is_generic(word: &str) -> bool {
    GENERIC_WORDS.binary_search(&word).is_ok() || super::analyzer::is_stop_word(word)
}

// The order the tiers promise, checked when compiling: exact above split above synonym
// above completion above typo, and each field's exact form above its stemmed form.
const _: () = assert!(EXACT > SPLIT && SPLIT > SYNONYM && SYNONYM > PREFIX_UNKNOWN);
const _: () = assert!(PREFIX_UNKNOWN > TYPO_1 && TYPO_1 > TYPO_2);
const _: () = assert!(NAME_EXACT > NAME_STEM && KEYWORDS_EXACT > KEYWORDS_STEM);
const _: () = assert!(CLOSED < NOT_USABLE && NOT_USABLE < 1.0);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_confirm_ranks_like_open_and_closed_last() {
        assert_eq!(status_factor(Availability::ToConfirm), 1.0);
        assert_eq!(status_factor(Availability::Open), 1.0);
        for a in [
            Availability::Upcoming,
            Availability::Planned,
            Availability::Paused,
            Availability::CampaignOver,
        ] {
            assert_eq!(status_factor(a), NOT_USABLE, "{a:?}");
        }
        assert_eq!(status_factor(Availability::Closed), CLOSED);
    }

    #[test]
    fn generic_words_are_folded_and_sorted() {
        let mut sorted = GENERIC_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, GENERIC_WORDS);
        for w in GENERIC_WORDS {
            assert_eq!(crate::text::words(w), [*w], "« {w} » is one folded word");
        }
        assert!(is_generic("gratuit") && is_generic("pour") && is_generic("la"));
        assert!(!is_generic("permis") && !is_generic("chien"));
    }

    #[test]
    fn coverage_factor_spans_floor_to_one() {
        assert_eq!(coverage_factor(1.0), 1.0);
        assert_eq!(coverage_factor(0.0), COVERAGE_FLOOR);
        assert!(coverage_factor(0.5) > COVERAGE_FLOOR && coverage_factor(0.5) < 1.0);
    }
}
