//! The index's own vocabulary (folded words with their document frequency, and stems):
//! the ground for typo, prefix, split and phonetic matches and for « Tu voulais dire ».
//!
//! The words live in a finite-state transducer; typo candidates come from intersecting a
//! Levenshtein automaton of the typed word with it (Meilisearch's way), so a correction
//! costs the few paths the automaton allows, not a scan of every word.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA};
use tantivy::schema::Field;
use tantivy::Searcher;
use tantivy_fst::{Automaton, IntoStreamer, Map, Streamer};

use super::{phonetic, ranking};

/// Words of the folded fields, and stems of the stemmed fields, of one index.
#[derive(Debug)]
pub struct Vocabulary {
    /// Every folded word → its document frequency (high 32 bits) and its importance (low
    /// 32 bits): the document frequency weighted by field, so that a word of names and
    /// keywords counts more than a word of descriptions when completing or correcting.
    /// The top 3 bits of the frequency half say which folded fields have the word.
    words: Map<Vec<u8>>,
    /// Each stem → which stemmed fields have it (a bit per field of `stem_fields`).
    stems: HashMap<String, u8>,
    by_sound: HashMap<String, Vec<String>>,
    /// The folded and stemmed fields the bits stand for (empty: not known, all assumed).
    exact_fields: Vec<Field>,
    stem_fields: Vec<Field>,
}

/// The fields of the index that have a term: a query needs no clause for the others.
#[derive(Debug, Clone, Copy)]
pub struct FieldSet<'a> {
    mask: u8,
    fields: &'a [Field],
}

impl FieldSet<'_> {
    pub fn has(&self, field: Field) -> bool {
        if self.fields.is_empty() {
            return self.mask != 0;
        }
        self.fields
            .iter()
            .position(|f| *f == field)
            .is_some_and(|i| self.mask & (1 << i) != 0)
    }
}

/// Frequencies above this are clamped: the bits above carry the field set.
const MAX_FREQ: u32 = (1 << 29) - 1;

fn terms_of(
    searcher: &Searcher,
    field: Field,
    mut each: impl FnMut(&str, u32),
) -> tantivy::Result<()> {
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                each(term, stream.value().doc_freq);
            }
        }
    }
    Ok(())
}

/// How many typos a word of this length may carry (Meilisearch's budget).
pub fn typo_budget(word: &str) -> usize {
    let n = word.chars().count();
    usize::from(n >= ranking::ONE_TYPO_FROM) + usize::from(n >= ranking::TWO_TYPOS_FROM)
}

/// The automaton builders for one and two typos, a transposition counting as one typo
/// (building them is costly: once per process).
fn typo_automaton(typos: usize, word: &str) -> DFA {
    static BUILDERS: OnceLock<[LevenshteinAutomatonBuilder; 2]> = OnceLock::new();
    let builders = BUILDERS.get_or_init(|| {
        [
            LevenshteinAutomatonBuilder::new(1, true),
            LevenshteinAutomatonBuilder::new(2, true),
        ]
    });
    builders[typos.clamp(1, 2) - 1].build_dfa(word)
}

/// A Levenshtein automaton as the transducer's automaton.
struct Typos<'a>(&'a DFA);

impl Automaton for Typos<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != levenshtein_automata::SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// The optimal-string-alignment distance (a transposition counts as one typo) of an ASCII
/// typed word to every key of the transducer, one row of the distance table per letter of
/// the key: building a Levenshtein automaton for each typed word was most of the cost of a
/// correction (`ParametricDFA::build_dfa`, 8 % of a cache-proof `/recherche` in
/// `scripts/load/profile.sh`), while the rows cost a few operations per key byte visited. A
/// key's non-ASCII letter (several bytes) is one letter that equals no letter of the typed
/// word, so distances are counted in letters as the automaton counts them.
struct Rows<'a> {
    word: &'a [u8],
    budget: u8,
    /// Only keys starting with the word's first letter.
    same_first: bool,
}

/// A state of [`Rows`]: the table's last two rows, the key's last letter and the bytes
/// still due to finish a non-ASCII letter.
#[derive(Clone)]
struct RowState {
    row: [u8; Rows::MAX_LEN + 1],
    before: [u8; Rows::MAX_LEN + 1],
    last: u8,
    started: bool,
    pending: u8,
}

impl Rows<'_> {
    /// Longer typed words go to the automaton.
    const MAX_LEN: usize = 31;
    /// Any letter outside ASCII: equal to no letter of an ASCII typed word.
    const OTHER: u8 = 0xFF;

    fn step(&self, state: &RowState, letter: u8) -> RowState {
        let n = self.word.len();
        let cap = self.budget + 1;
        let mut row = [cap; Rows::MAX_LEN + 1];
        row[0] = state.row[0].saturating_add(1).min(cap);
        for j in 1..=n {
            let cost = u8::from(self.word[j - 1] != letter);
            let mut v = (state.row[j] + 1)
                .min(row[j - 1] + 1)
                .min(state.row[j - 1] + cost);
            if state.started
                && j >= 2
                && letter != Self::OTHER
                && letter == self.word[j - 2]
                && state.last == self.word[j - 1]
            {
                v = v.min(state.before[j - 2] + 1);
            }
            row[j] = v.min(cap);
        }
        RowState {
            row,
            before: state.row,
            last: letter,
            started: true,
            pending: 0,
        }
    }
}

impl Automaton for Rows<'_> {
    type State = RowState;

    fn start(&self) -> RowState {
        let cap = self.budget + 1;
        let mut row = [cap; Rows::MAX_LEN + 1];
        for (j, cell) in row.iter_mut().enumerate().take(self.word.len() + 1) {
            *cell = (j as u8).min(cap);
        }
        RowState {
            row,
            before: [cap; Rows::MAX_LEN + 1],
            last: 0,
            started: false,
            pending: 0,
        }
    }

    fn is_match(&self, state: &RowState) -> bool {
        state.pending == 0 && state.row[self.word.len()] <= self.budget
    }

    fn can_match(&self, state: &RowState) -> bool {
        state.row[..=self.word.len()]
            .iter()
            .any(|&d| d <= self.budget)
    }

    fn accept(&self, state: &RowState, byte: u8) -> RowState {
        if self.same_first && !state.started && self.word.first() != Some(&byte) {
            return RowState {
                row: [self.budget + 1; Rows::MAX_LEN + 1],
                ..state.clone()
            };
        }
        match byte {
            0x00..=0x7F => self.step(state, byte),
            // A continuation byte: the letter is done when none is due any more.
            0x80..=0xBF => {
                if state.pending > 1 {
                    RowState {
                        pending: state.pending - 1,
                        ..state.clone()
                    }
                } else {
                    self.step(state, Self::OTHER)
                }
            }
            // A lead byte: one, two or three continuation bytes follow.
            _ => RowState {
                pending: if byte >= 0xF0 {
                    3
                } else if byte >= 0xE0 {
                    2
                } else {
                    1
                },
                ..state.clone()
            },
        }
    }
}

fn pack(freq: u32, importance: u32, fields: u8) -> u64 {
    (u64::from(fields & 0b111) << 61)
        | (u64::from(freq.min(MAX_FREQ)) << 32)
        | u64::from(importance)
}

impl Vocabulary {
    /// Reads the terms of the folded fields (each with its weight) and of the stemmed ones.
    pub fn build(
        searcher: &Searcher,
        exact: &[(Field, u32)],
        stems: &[Field],
    ) -> tantivy::Result<Vocabulary> {
        assert!(
            exact.len() <= 3 && stems.len() <= 8,
            "field sets fit their bits"
        );
        let mut words: HashMap<String, (u32, u32, u8)> = HashMap::new();
        for (bit, &(field, weight)) in exact.iter().enumerate() {
            terms_of(searcher, field, |t, df| {
                let (freq, importance, fields) = words.entry(t.to_owned()).or_default();
                *freq = (*freq).max(df);
                *importance = importance.saturating_add(df.saturating_mul(weight));
                *fields |= 1 << bit;
            })?;
        }
        let mut stem_map: HashMap<String, u8> = HashMap::new();
        for (bit, &field) in stems.iter().enumerate() {
            terms_of(searcher, field, |t, _| {
                *stem_map.entry(t.to_owned()).or_default() |= 1 << bit;
            })?;
        }
        let mut v = Vocabulary::with_fields(words, stem_map);
        v.exact_fields = exact.iter().map(|(f, _)| *f).collect();
        v.stem_fields = stems.to_vec();
        Ok(v)
    }

    /// The vocabulary of these words (each with its document frequency and importance)
    /// and stems, the fields that have them not known.
    pub fn new(words: HashMap<String, (u32, u32)>, stems: HashSet<String>) -> Vocabulary {
        Vocabulary::with_fields(
            words
                .into_iter()
                .map(|(w, (f, i))| (w, (f, i, 0b111)))
                .collect(),
            stems.into_iter().map(|s| (s, u8::MAX)).collect(),
        )
    }

    fn with_fields(
        words: HashMap<String, (u32, u32, u8)>,
        stems: HashMap<String, u8>,
    ) -> Vocabulary {
        let mut sorted: Vec<(String, (u32, u32, u8))> = words.into_iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut by_sound: HashMap<String, Vec<String>> = HashMap::new();
        for (w, _) in &sorted {
            let k = phonetic::key(w);
            if k.len() >= 3 {
                by_sound.entry(k).or_default().push(w.clone());
            }
        }
        let words = Map::from_iter(
            sorted
                .iter()
                .map(|(w, (f, i, m))| (w.as_bytes(), pack(*f, *i, *m))),
        )
        .expect("sorted, distinct keys build a transducer");
        Vocabulary {
            words,
            stems,
            by_sound,
            exact_fields: Vec::new(),
            stem_fields: Vec::new(),
        }
    }

    /// The folded fields that have this word.
    pub fn word_fields(&self, word: &str) -> FieldSet<'_> {
        FieldSet {
            mask: self.words.get(word).map_or(0, |v| (v >> 61) as u8),
            fields: &self.exact_fields,
        }
    }

    /// The stemmed fields that have this stem.
    pub fn stem_fields(&self, stem: &str) -> FieldSet<'_> {
        FieldSet {
            mask: self.stems.get(stem).copied().unwrap_or(0),
            fields: &self.stem_fields,
        }
    }

    /// Whether the folded word occurs as such in a folded field.
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains_key(word)
    }

    pub fn doc_freq(&self, word: &str) -> u32 {
        self.words
            .get(word)
            .map_or(0, |v| ((v >> 32) as u32) & MAX_FREQ)
    }

    fn importance(&self, word: &str) -> u32 {
        self.words.get(word).map_or(0, |v| v as u32)
    }

    /// Whether the stem occurs in a stemmed field.
    pub fn has_stem(&self, stem: &str) -> bool {
        self.stems.contains_key(stem)
    }

    /// Words starting with `prefix` (itself excluded), most important first, at most `limit`.
    pub fn completions(&self, prefix: &str, limit: usize) -> Vec<String> {
        let mut found: Vec<(String, u32)> = Vec::new();
        let mut stream = self.words.range().gt(prefix).into_stream();
        while let Some((key, value)) = stream.next() {
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(w) = std::str::from_utf8(key) {
                found.push((w.to_owned(), value as u32));
            }
        }
        found.sort_by_key(|(w, importance)| (std::cmp::Reverse(*importance), w.len()));
        found.into_iter().take(limit).map(|(w, _)| w).collect()
    }

    /// Words within the typo budget of `word`, or that sound the same, closest and most
    /// important first, with their distance (a same-sound match counts as one typo).
    pub fn corrections(&self, word: &str, limit: usize) -> Vec<(String, usize)> {
        let budget = typo_budget(word);
        let mut found: HashMap<String, usize> = HashMap::new();
        if budget > 0 {
            found.extend(self.typos(word, budget));
        }
        let sound = phonetic::key(word);
        if sound.len() >= 3 {
            for cand in self.by_sound.get(&sound).into_iter().flatten() {
                if cand != word {
                    found.entry(cand.clone()).or_insert(1);
                }
            }
        }
        let mut list: Vec<(String, usize)> = found.into_iter().collect();
        list.sort_by_key(|(w, d)| (*d, std::cmp::Reverse(self.importance(w)), w.clone()));
        list.truncate(limit);
        list
    }

    /// The words within the typo budget of `word` (a transposition is one typo), with
    /// their distance, a different first letter taking one typo off the budget
    /// (Meilisearch's rule: a single typo keeps the first letter).
    ///
    /// For an ASCII word, that rule also narrows the walk: the full budget only under the
    /// word's first letter, one typo less everywhere else. With two typos, a walk of the
    /// whole vocabulary visits most of its first levels. On the shipped vocabulary (2 206
    /// words), a correction of a word of the load rotation took 23 µs with the automaton
    /// over the whole vocabulary and takes 15 µs so.
    fn typos(&self, word: &str, budget: usize) -> Vec<(String, usize)> {
        if !word.is_ascii() || word.is_empty() || word.len() > Rows::MAX_LEN {
            return self.typos_with_automaton(word, budget);
        }
        let first = word.as_bytes()[0];
        let mut out = self.within_rows(word, budget, true);
        if budget > 1 {
            out.extend(
                self.within_rows(word, budget - 1, false)
                    .into_iter()
                    .filter(|(cand, _)| cand.as_bytes()[0] != first),
            );
        }
        out.retain(|(_, d)| *d > 0);
        out
    }

    /// [`Vocabulary::typos`] with a Levenshtein automaton over the whole vocabulary, the
    /// first-letter rule applied to what it finds (any word, and the reference in tests).
    fn typos_with_automaton(&self, word: &str, budget: usize) -> Vec<(String, usize)> {
        let first = word.chars().next();
        let mut out = self.within_dfa(word, budget);
        out.retain(|(cand, d)| {
            let allowed = if cand.chars().next() == first {
                budget
            } else {
                budget - 1
            };
            *d > 0 && *d <= allowed
        });
        out
    }

    /// The words within `budget` typos of the ASCII `word`, with their distance, only
    /// those starting with its first letter when `same_first`.
    fn within_rows(&self, word: &str, budget: usize, same_first: bool) -> Vec<(String, usize)> {
        let rows = Rows {
            word: word.as_bytes(),
            budget: budget as u8,
            same_first,
        };
        let mut out = Vec::new();
        let mut stream = self.words.search(&rows).with_state().into_stream();
        while let Some((key, _, state)) = stream.next() {
            if let Ok(cand) = std::str::from_utf8(key) {
                out.push((cand.to_owned(), usize::from(state.row[word.len()])));
            }
        }
        out
    }

    fn within_dfa(&self, word: &str, budget: usize) -> Vec<(String, usize)> {
        let dfa = typo_automaton(budget, word);
        let mut out = Vec::new();
        let mut stream = self.words.search(Typos(&dfa)).into_stream();
        while let Some((key, _)) = stream.next() {
            if let (Ok(cand), Distance::Exact(d)) = (std::str::from_utf8(key), dfa.eval(key)) {
                out.push((cand.to_owned(), usize::from(d)));
            }
        }
        out
    }

    /// Splits a glued word into known words (« sacados » → sac + ados, « lengagement »
    /// → engagement, « promeneursdunet » → promeneurs + du + net), at most three parts,
    /// preferring the split with the most letters in known words, then the one whose
    /// rarest part is most frequent. Elided letters and short function words may be parts
    /// but are not returned.
    pub fn split(&self, word: &str) -> Option<Vec<String>> {
        self.split_in(word, 3).map(|(_, parts)| parts)
    }

    fn split_in(&self, word: &str, max_parts: usize) -> Option<(u32, Vec<String>)> {
        const ELIDED: &[&str] = &[
            "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu",
        ];
        let glue =
            |w: &str| ELIDED.contains(&w) || (w.len() <= 3 && super::analyzer::is_stop_word(w));
        let mut best: Option<(u32, Vec<String>)> = None;
        for (i, _) in word.char_indices().skip(1) {
            let (a, rest) = word.split_at(i);
            let a_known = glue(a) || (a.len() >= 2 && self.contains(a));
            if !a_known {
                continue;
            }
            let tail = if rest.len() >= 2 && self.contains(rest) {
                Some((self.doc_freq(rest), vec![rest.to_owned()]))
            } else if max_parts > 2 {
                self.split_in(rest, max_parts - 1)
            } else {
                None
            };
            let Some((tail_score, tail_parts)) = tail else {
                continue;
            };
            let (score, parts) = if glue(a) {
                (tail_score, tail_parts)
            } else {
                let mut parts = vec![a.to_owned()];
                parts.extend(tail_parts);
                (self.doc_freq(a).min(tail_score), parts)
            };
            // Most letters in real words first (« sac + ados », not « sa + c + ados »), then
            // the most frequent rarest part, then the fewest parts.
            let rank = |p: &[String], s: u32| {
                let letters: usize = p.iter().map(String::len).sum();
                (letters, s, std::cmp::Reverse(p.len()))
            };
            if !parts.is_empty()
                && best
                    .as_ref()
                    .is_none_or(|(s, p)| rank(&parts, score) > rank(p, *s))
            {
                best = Some((score, parts));
            }
        }
        best
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Optimal-string-alignment distance: the reference the automaton must agree with.
    fn distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let w = b.len() + 1;
        let mut d = vec![0usize; (a.len() + 1) * w];
        for i in 0..=a.len() {
            d[i * w] = i;
        }
        for (j, cell) in d.iter_mut().enumerate().take(w) {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[(i - 1) * w + j] + 1)
                    .min(d[i * w + j - 1] + 1)
                    .min(d[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[(i - 2) * w + j - 2] + 1);
                }
                d[i * w + j] = v;
            }
        }
        d[a.len() * w + b.len()]
    }

    const WORDS: &[&str] = &[
        "service",
        "civique",
        "vacances",
        "vacance",
        "volontariat",
        "benevolat",
        "permis",
        "conduire",
        "sport",
        "sports",
        "sportif",
        "passe",
        "pass",
        "culture",
        "logement",
        "engagement",
        "promeneurs",
        "net",
        "apprentissage",
        "apprenti",
        "mission",
        "missions",
        "locale",
        "locales",
        "bourse",
        "bourses",
        "college",
        "lycee",
        "erasmus",
        "europe",
        "sevrice",
        "servir",
        "ervice",
        "xservice",
        "servicee",
        "seervice",
        "stage",
        "stages",
        "sac",
        "ados",
    ];

    fn vocabulary() -> Vocabulary {
        let words = WORDS
            .iter()
            .enumerate()
            .map(|(i, w)| (w.to_string(), (1 + i as u32 % 3, 1 + i as u32 % 5)))
            .collect();
        Vocabulary::new(words, HashSet::new())
    }

    /// What `corrections` promises for typos, by scanning every word.
    fn scanned(word: &str) -> Vec<(String, usize)> {
        let budget = typo_budget(word);
        let mut out: Vec<(String, usize)> = WORDS
            .iter()
            .filter_map(|cand| {
                let d = distance(word, cand);
                let same_first = cand.chars().next() == word.chars().next();
                let allowed = if same_first {
                    budget
                } else {
                    budget.saturating_sub(1)
                };
                (d > 0 && d <= allowed).then(|| (cand.to_string(), d))
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn automaton_finds_what_a_scan_finds() {
        let v = vocabulary();
        for word in [
            "service",
            "servise",
            "sevrice",
            "servce",
            "srevice",
            "vacanse",
            "vacances",
            "volontaria",
            "voluntariat",
            "permi",
            "permiss",
            "sprot",
            "spor",
            "culturre",
            "logemnt",
            "engagemen",
            "aprentissage",
            "apprentisage",
            "missoin",
            "bourrse",
            "erasmsu",
            "xervice",
            "zzzzzz",
            "ados",
            "stage",
        ] {
            let got = v.corrections(word, usize::MAX);
            let expected = scanned(word);
            for typo in &expected {
                assert!(
                    got.contains(typo),
                    "« {word} »: {typo:?} missing from {got:?}"
                );
            }
            // Anything else found sounds the same (the phonetic half of `corrections`).
            for (cand, d) in &got {
                assert!(
                    expected.contains(&(cand.clone(), *d))
                        || phonetic::key(cand) == phonetic::key(word),
                    "« {word} »: {cand} ({d}) is neither a typo nor a sound-alike"
                );
            }
        }
    }

    /// The distance rows find exactly the words, with the same distances, that the
    /// Levenshtein automaton finds: every word of a vocabulary with non-ASCII words, and
    /// each with a letter removed, doubled, replaced or swapped with the next, at budgets 1
    /// and 2.
    #[test]
    fn rows_find_what_the_automaton_finds() {
        let mut words: Vec<String> = WORDS.iter().map(|w| w.to_string()).collect();
        words.extend(
            [
                "servicé",
                "sérvice",
                "collège",
                "日本",
                "servic日",
                "ßport",
                "spørt",
            ]
            .map(String::from),
        );
        let v = Vocabulary::new(
            words.iter().map(|w| (w.clone(), (1, 1))).collect(),
            HashSet::new(),
        );
        let mut typed: Vec<String> = Vec::new();
        for w in WORDS {
            let b = w.as_bytes();
            typed.push(w.to_string());
            typed.push(format!("x{}", &w[1..]));
            for i in 0..b.len() {
                let mut removed = b.to_vec();
                removed.remove(i);
                let mut doubled = b.to_vec();
                doubled.insert(i, b[i]);
                let mut replaced = b.to_vec();
                replaced[i] = b'e';
                for t in [removed, doubled, replaced] {
                    typed.push(String::from_utf8(t).expect("ASCII"));
                }
                if i + 1 < b.len() {
                    let mut swapped = b.to_vec();
                    swapped.swap(i, i + 1);
                    typed.push(String::from_utf8(swapped).expect("ASCII"));
                }
            }
        }
        let mut compared = 0;
        for word in &typed {
            for budget in [1, 2] {
                let mut rows = v.within_rows(word, budget, false);
                let mut dfa = v.within_dfa(word, budget);
                rows.sort();
                dfa.sort();
                assert_eq!(rows, dfa, "« {word} », {budget} typo(s)");
                let mut narrowed = v.typos(word, budget);
                let mut whole = v.typos_with_automaton(word, budget);
                narrowed.sort();
                whole.sort();
                assert_eq!(narrowed, whole, "« {word} », first-letter rule, {budget}");
                compared += usize::from(!rows.is_empty());
            }
        }
        assert!(compared > 500, "{compared}");
        // A non-ASCII letter of the vocabulary is one letter, as for the automaton.
        assert!(v
            .within_rows("service", 1, false)
            .contains(&("servicé".to_owned(), 1)));
        assert!(v
            .within_rows("sport", 1, true)
            .contains(&("spørt".to_owned(), 1)));
        assert!(!v
            .within_rows("sport", 1, true)
            .iter()
            .any(|(w, _)| w == "ßport"));
        assert!(v
            .within_rows("sport", 1, false)
            .contains(&("ßport".to_owned(), 1)));
    }

    #[test]
    fn typos_keep_the_budget_and_the_first_letter() {
        let v = vocabulary();
        let found =
            |w: &str| -> Vec<String> { v.corrections(w, 10).into_iter().map(|(c, _)| c).collect() };
        assert!(
            found("sevrice").contains(&"service".to_owned()),
            "transposition"
        );
        assert!(
            found("servise").contains(&"service".to_owned()),
            "substitution"
        );
        // Four letters: no typo allowed (« stag » does not sound like « stage »).
        assert!(!found("stag").contains(&"stage".to_owned()));
        // One typo on the first letter is not allowed under nine letters…
        assert!(!found("xervice").contains(&"service".to_owned()));
        // …but nine letters allow two typos, one of them on the first letter.
        assert!(found("bpprentissage").contains(&"apprentissage".to_owned()));
        assert!(found("zzzzzz").is_empty());
        assert_eq!(typo_budget("sport"), 1);
        assert_eq!(typo_budget("ados"), 0);
        assert_eq!(typo_budget("volontariat"), 2);
    }

    #[test]
    fn glued_words_split_into_the_most_letters_of_known_words() {
        let v = vocabulary();
        let split = |w: &str| v.split(w);
        // Not « sa + c + ados »: function words and elisions are glue, not the whole answer.
        assert_eq!(
            split("sacados").as_deref(),
            Some(&["sac".into(), "ados".into()][..])
        );
        assert_eq!(
            split("lengagement").as_deref(),
            Some(&["engagement".into()][..])
        );
        assert_eq!(
            split("promeneursdunet").as_deref(),
            Some(&["promeneurs".into(), "net".into()][..])
        );
        assert_eq!(split("zzzz"), None);
    }

    #[test]
    fn completions_are_the_words_a_prefix_starts() {
        let v = vocabulary();
        let mut got = v.completions("sport", 10);
        got.sort();
        assert_eq!(got, ["sportif", "sports"]);
        assert_eq!(v.completions("spo", 1).len(), 1);
        assert!(v.completions("zz", 10).is_empty());
        assert!(v.contains("sport") && !v.contains("spor"));
        assert_eq!(v.len(), WORDS.len());
    }
}
