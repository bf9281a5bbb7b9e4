//! Counts per theme of a search's matches, from a table built with the engine (each
//! document's themes as small numbers) instead of tantivy's facet collector, which reads
//! the facet column and its dictionary again on every search.

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::scheme::Scheme;

/// Every theme slug of the schemes, sorted (the facet order), and each indexed document's
/// themes as indices into that list, by segment.
#[derive(Default)]
pub(super) struct ThemeTable {
    slugs: Vec<String>,
    segments: Vec<SegmentThemes>,
}

/// Document `d`'s themes are `ids[starts[d]..starts[d + 1]]`.
#[derive(Default)]
struct SegmentThemes {
    starts: Vec<u32>,
    ids: Vec<u16>,
}

impl ThemeTable {
    /// `ranks[segment][doc]` is the document's position in `schemes`.
    pub(super) fn build(schemes: &[Scheme], ranks: &[Vec<u32>]) -> ThemeTable {
        let mut slugs: Vec<String> = schemes
            .iter()
            .flat_map(|s| s.thematiques.iter().map(|t| t.to_string()))
            .collect();
        slugs.sort();
        slugs.dedup();
        let segments = ranks
            .iter()
            .map(|docs| {
                let mut seg = SegmentThemes {
                    starts: Vec::with_capacity(docs.len() + 1),
                    ids: Vec::new(),
                };
                seg.starts.push(0);
                for &rank in docs {
                    if let Some(s) = schemes.get(rank as usize) {
                        let mut ids: Vec<u16> = s
                            .thematiques
                            .iter()
                            .filter_map(|t| {
                                let i = slugs.binary_search_by(|x| x.as_str().cmp(t.as_str()));
                                i.ok().and_then(|i| u16::try_from(i).ok())
                            })
                            .collect();
                        ids.sort_unstable();
                        ids.dedup();
                        seg.ids.extend(ids);
                    }
                    seg.starts.push(seg.ids.len() as u32);
                }
                seg
            })
            .collect();
        ThemeTable { slugs, segments }
    }

    /// A count of zero per theme.
    pub(super) fn zeros(&self) -> Vec<u64> {
        vec![0; self.slugs.len()]
    }

    /// Adds document `doc` of segment `segment` to the counts of its themes.
    pub(super) fn count(&self, segment: usize, doc: DocId, counts: &mut [u64]) {
        let Some(seg) = self.segments.get(segment) else {
            return;
        };
        let d = doc as usize;
        if let (Some(&a), Some(&b)) = (seg.starts.get(d), seg.starts.get(d + 1)) {
            for &id in &seg.ids[a as usize..b as usize] {
                counts[usize::from(id)] += 1;
            }
        }
    }

    /// The non-zero counts as (slug, count), in slug order.
    pub(super) fn named(&self, counts: &[u64]) -> Vec<(String, u64)> {
        self.slugs
            .iter()
            .zip(counts)
            .filter(|(_, &n)| n > 0)
            .map(|(s, &n)| (s.clone(), n))
            .collect()
    }
}

/// Counts the matches of each theme.
pub(super) struct ThemeCounter(pub Arc<ThemeTable>);

pub(super) struct SegmentThemeCounter {
    table: Arc<ThemeTable>,
    segment: usize,
    counts: Vec<u64>,
}

impl Collector for ThemeCounter {
    type Fruit = Vec<u64>;
    type Child = SegmentThemeCounter;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentThemeCounter> {
        Ok(SegmentThemeCounter {
            table: self.0.clone(),
            segment: segment as usize,
            counts: self.0.zeros(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u64>>) -> tantivy::Result<Vec<u64>> {
        let mut total = vec![0; self.0.slugs.len()];
        for f in fruits {
            for (t, n) in total.iter_mut().zip(f) {
                *t += n;
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentThemeCounter {
    type Fruit = Vec<u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.table.count(self.segment, doc, &mut self.counts);
    }

    fn harvest(self) -> Vec<u64> {
        self.counts
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::FacetCollector;

    use super::*;
    use crate::search::query::{self, Filters};
    use crate::search::Engine;

    #[test]
    fn counts_are_tantivys_facet_counts() {
        let data = crate::data::shipped();
        let publics: Vec<String> = data.publics.iter().map(|p| p.slug.to_string()).collect();
        let engine = Engine::in_ram(data).expect("engine");
        let searcher = engine.reader.searcher();
        let texts = [
            "",
            "vacances",
            "permis de conduire",
            "servise civik",
            "sport",
            "aide",
            "stage",
        ];
        let mut compared = 0;
        for text in texts {
            for (age, public) in [(None, None), (Some(17), None), (Some(12), publics.first())] {
                let plan = query::plan(text, &engine.vocab, &engine.data.synonyms);
                let scoring = query::scoring_query(&engine.lookup(), &plan);
                let filters = Filters {
                    age,
                    publics: public.cloned().into_iter().collect(),
                    ..Filters::default()
                };
                let full = query::full_query(&engine.fields, scoring.as_deref(), &filters, true);
                let mut facets = FacetCollector::for_field("theme");
                facets.add_facet("/");
                let (expected, ours) = searcher
                    .search(&*full, &(facets, ThemeCounter(engine.themes.clone())))
                    .expect("search");
                let expected: Vec<(String, u64)> = expected
                    .get("/")
                    .map(|(f, n)| (f.to_path().last().expect("a theme").to_string(), n))
                    .collect();
                assert!(!expected.is_empty() || text == "servise civik", "{text}");
                assert_eq!(engine.themes.named(&ours), expected, "{text} {age:?}");
                compared += 1;
            }
        }
        assert_eq!(compared, texts.len() * 3);
    }
}
