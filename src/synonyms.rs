//! Query-time synonyms, acronyms and everyday words, loaded from `data/synonymes.json`.

use std::collections::HashMap;

use crate::text;

/// Maps a folded word or phrase (words joined by one space) to what it also searches.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    map: HashMap<String, Vec<String>>,
    longest_key_words: usize,
}

impl Synonyms {
    /// Builds the map from groups (each term expands to the others) and one-way expansions.
    pub fn new(groups: &[Vec<String>], expansions: &[(String, Vec<String>)]) -> Synonyms {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        let key = |s: &str| text::words(s).join(" ");
        for group in groups {
            let keys: Vec<String> = group.iter().map(|t| key(t)).collect();
            for k in &keys {
                let others = keys.iter().filter(|o| *o != k).cloned();
                map.entry(k.clone()).or_default().extend(others);
            }
        }
        for (from, to) in expansions {
            map.entry(key(from))
                .or_default()
                .extend(to.iter().map(|t| key(t)));
        }
        for v in map.values_mut() {
            v.sort();
            v.dedup();
        }
        let longest_key_words = map.keys().map(|k| k.split(' ').count()).max().unwrap_or(0);
        Synonyms {
            map,
            longest_key_words,
        }
    }

    /// What the folded phrase `key` also searches (empty when it has no synonym).
    pub fn get(&self, key: &str) -> &[String] {
        self.map.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The number of words of the longest key, so callers know how far to look ahead.
    pub fn longest_key_words(&self) -> usize {
        self.longest_key_words
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}
