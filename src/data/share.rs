//! Equal texts and sources of different schemes held once: a catalogue repeats a scheme's
//! steps, conditions, keywords and sources in each local edition, and each copy would
//! otherwise be its own allocation.

use std::collections::HashSet;
use std::hash::Hash;
use std::sync::Arc;

use crate::scheme::{Scheme, Slug, Source, Text};

/// Values already seen, each kept once (values whose clones share their content: `Arc`s,
/// slugs).
struct Pool<V> {
    seen: HashSet<V>,
}

impl<V: Hash + Eq + Clone> Pool<V> {
    fn new() -> Pool<V> {
        Pool {
            seen: HashSet::new(),
        }
    }

    /// Replaces `value` by the equal one seen first.
    fn share(&mut self, value: &mut V) {
        match self.seen.get(value) {
            Some(first) => *value = first.clone(),
            None => {
                self.seen.insert(value.clone());
            }
        }
    }
}

/// Makes the schemes hold each distinct text, source and slug once.
pub fn share(schemes: &mut [Scheme]) {
    let mut texts: Pool<Text> = Pool::new();
    let mut sources: Pool<Arc<Source>> = Pool::new();
    let mut slugs: Pool<Slug> = Pool::new();
    for s in schemes {
        for t in s
            .avantages
            .iter_mut()
            .chain(&mut s.conditions)
            .chain(&mut s.demarches)
            .chain(&mut s.mots_cles)
            .chain(&mut s.eligibilite.a_verifier)
            .chain(&mut s.calendrier.commentaire)
        {
            texts.share(t);
        }
        for x in &mut s.sources {
            sources.share(x);
        }
        for slug in s.thematiques.iter_mut().chain(&mut s.publics) {
            slugs.share(slug);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether two texts are one allocation.
    fn same(a: &Text, b: &Text) -> bool {
        Arc::ptr_eq(a, b)
    }

    #[test]
    fn equal_texts_and_sources_become_one_and_unequal_ones_stay_apart() {
        let data = crate::data::shipped();
        // Two local editions copied field by field (deep copies, as a JSON file gives).
        let fresh = |s: &Scheme| {
            let mut c = s.clone();
            let copy = |v: &mut Vec<Text>| v.iter_mut().for_each(|t| *t = Text::from(&**t));
            copy(&mut c.conditions);
            copy(&mut c.mots_cles);
            c.sources = c.sources.iter().map(|x| Arc::new((**x).clone())).collect();
            c
        };
        let base = data
            .schemes
            .iter()
            .find(|s| !s.conditions.is_empty() && !s.sources.is_empty())
            .expect("a scheme with conditions and sources");
        let mut schemes = vec![fresh(base), fresh(base)];
        schemes[1].mots_cles.push(Text::from("une autre chose"));
        assert!(!same(&schemes[0].conditions[0], &schemes[1].conditions[0]));
        share(&mut schemes);
        assert!(same(&schemes[0].conditions[0], &schemes[1].conditions[0]));
        assert!(Arc::ptr_eq(&schemes[0].sources[0], &schemes[1].sources[0]));
        assert_eq!(schemes[0].conditions, base.conditions, "values unchanged");
        assert_eq!(
            schemes[1].mots_cles.last().map(|t| &**t),
            Some("une autre chose")
        );
        let first_source = &schemes[0].sources[0];
        assert!(schemes[0].sources[1..]
            .iter()
            .all(|x| **x == **first_source || !Arc::ptr_eq(x, first_source)));
    }
}
