//! The index's own vocabulary (folded words with their document frequency, and stems):
//! the ground for typo, prefix, split and phonetic matches and for « Vouliez-vous dire ».

use std::collections::{HashMap, HashSet};

use tantivy::schema::Field;
use tantivy::Searcher;

use super::{phonetic, ranking};

/// Words of the folded fields, and stems of the stemmed fields, of one index.
#[derive(Debug, Default)]
pub struct Vocabulary {
    freq: HashMap<String, u32>,
    /// Document frequency weighted by field: a word of names and keywords counts more
    /// than a word of descriptions when completing or correcting.
    importance: HashMap<String, u32>,
    sorted: Vec<String>,
    stems: HashSet<String>,
    by_sound: HashMap<String, Vec<String>>,
}

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

/// Optimal-string-alignment distance, giving up (returns `max + 1`) past `max`.
pub fn distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        let mut row_min = usize::MAX;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
    }
    d[a.len() * w + b.len()]
}

/// How many typos a word of this length may carry (Meilisearch's budget).
pub fn typo_budget(word: &str) -> usize {
    let n = word.chars().count();
    usize::from(n >= ranking::ONE_TYPO_FROM) + usize::from(n >= ranking::TWO_TYPOS_FROM)
}

impl Vocabulary {
    /// Reads the terms of the folded fields (each with its weight) and of the stemmed ones.
    pub fn build(
        searcher: &Searcher,
        exact: &[(Field, u32)],
        stems: &[Field],
    ) -> tantivy::Result<Vocabulary> {
        let mut freq: HashMap<String, u32> = HashMap::new();
        let mut importance: HashMap<String, u32> = HashMap::new();
        for &(field, weight) in exact {
            terms_of(searcher, field, |t, df| {
                let e = freq.entry(t.to_owned()).or_default();
                *e = (*e).max(df);
                *importance.entry(t.to_owned()).or_default() += df * weight;
            })?;
        }
        let mut stem_set = HashSet::new();
        for &field in stems {
            terms_of(searcher, field, |t, _| {
                stem_set.insert(t.to_owned());
            })?;
        }
        let mut sorted: Vec<String> = freq.keys().cloned().collect();
        sorted.sort();
        let mut by_sound: HashMap<String, Vec<String>> = HashMap::new();
        for w in &sorted {
            let k = phonetic::key(w);
            if k.len() >= 3 {
                by_sound.entry(k).or_default().push(w.clone());
            }
        }
        Ok(Vocabulary {
            freq,
            importance,
            sorted,
            stems: stem_set,
            by_sound,
        })
    }

    /// Whether the folded word occurs as such in a folded field.
    pub fn contains(&self, word: &str) -> bool {
        self.freq.contains_key(word)
    }

    pub fn doc_freq(&self, word: &str) -> u32 {
        self.freq.get(word).copied().unwrap_or(0)
    }

    fn importance(&self, word: &str) -> u32 {
        self.importance.get(word).copied().unwrap_or(0)
    }

    /// Whether the stem occurs in a stemmed field.
    pub fn has_stem(&self, stem: &str) -> bool {
        self.stems.contains(stem)
    }

    /// Words starting with `prefix` (itself excluded), most frequent first, at most `limit`.
    pub fn completions(&self, prefix: &str, limit: usize) -> Vec<String> {
        let start = self.sorted.partition_point(|w| w.as_str() < prefix);
        let mut found: Vec<&String> = self.sorted[start..]
            .iter()
            .take_while(|w| w.starts_with(prefix))
            .filter(|w| w.len() > prefix.len())
            .collect();
        found.sort_by_key(|w| (std::cmp::Reverse(self.importance(w)), w.len()));
        found.into_iter().take(limit).cloned().collect()
    }

    /// Words within the typo budget of `word`, or that sound the same, closest and most
    /// frequent first, with their distance (a same-sound match counts as one typo).
    pub fn corrections(&self, word: &str, limit: usize) -> Vec<(String, usize)> {
        let budget = typo_budget(word);
        let mut found: HashMap<String, usize> = HashMap::new();
        if budget > 0 {
            let first = word.chars().next();
            for cand in &self.sorted {
                // A single typo keeps the first letter (Meilisearch's rule).
                let same_first = cand.chars().next() == first;
                let allowed = if same_first {
                    budget
                } else {
                    budget.saturating_sub(1)
                };
                if allowed == 0 || cand.len().abs_diff(word.len()) > allowed {
                    continue;
                }
                let d = distance(word, cand, allowed);
                if d <= allowed && d > 0 {
                    found.insert(cand.clone(), d);
                }
            }
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

    /// Splits a glued word into known words (« sacados » → sac + ados, « lengagement »
    /// → engagement, « promeneursdunet » → promeneurs + du + net), at most three parts,
    /// preferring the split whose rarest part is most frequent. Elided letters and short
    /// function words may be parts but are not returned.
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
            if !parts.is_empty()
                && best
                    .as_ref()
                    .is_none_or(|(s, p)| score > *s || (score == *s && parts.len() < p.len()))
            {
                best = Some((score, parts));
            }
        }
        best
    }

    pub fn len(&self) -> usize {
        self.freq.len()
    }

    pub fn is_empty(&self) -> bool {
        self.freq.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_transpositions_as_one() {
        assert_eq!(distance("sevrice", "service", 2), 1);
        assert_eq!(distance("servise", "service", 1), 1);
        assert_eq!(distance("abc", "xyz", 1), 2);
        assert_eq!(typo_budget("sport"), 1);
        assert_eq!(typo_budget("ados"), 0);
    }
}
