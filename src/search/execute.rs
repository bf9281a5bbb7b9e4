//! Running a search: plan, query, one pass for the page and the counts per theme,
//! re-ranking, snippets; and the suggestions under the search box.

use tantivy::collector::{Count, TopDocs};
use tantivy::{DocAddress, DocId, Order, Searcher};

use super::query::{self, Direct, Node, Plan};
use super::ranking::RERANK_WINDOW;
use super::snippet::Highlighter;
use super::themes::ThemeCounter;
use super::{Engine, Hit, Results, SearchError, SearchRequest, Sort};
use crate::scheme::{Availability, Scheme};

/// A search as both executions collect it: its plan and scoring tree, the order, the page.
struct Asked<'a> {
    searcher: &'a Searcher,
    scoring: Option<&'a Node>,
    plan: &'a Plan,
    req: &'a SearchRequest,
    sort: Sort,
    limit: usize,
}

impl Asked<'_> {
    /// How many of the best documents the re-ranking reads (relevance order).
    fn window(&self) -> usize {
        (self.req.offset + self.limit).max(RERANK_WINDOW)
    }
}

/// A search's page (score and address), its total and its counts per theme.
struct Found {
    page: Vec<(f32, DocAddress)>,
    total: usize,
    counts: Vec<u64>,
}

impl Engine {
    /// Runs a search: relevance (or name) order, filters, counts per theme, snippets.
    pub fn search(&self, req: &SearchRequest) -> Result<Results<'_>, SearchError> {
        let searcher = self.reader.searcher();
        let plan = query::plan(&req.text, &self.vocab, &self.data.synonyms);
        if plan.is_empty() && !req.text.trim().is_empty() {
            // Only symbols or emoji: nothing to search, and no wildcard either.
            return Ok(Results::empty());
        }
        let scoring = query::scoring_tree(&self.lookup(), &plan);
        let limit = req.limit.max(1);
        let sort = if scoring.is_none() {
            Sort::Name
        } else {
            req.sort
        };
        let asked = Asked {
            searcher: &searcher,
            scoring: scoring.as_ref(),
            plan: &plan,
            req,
            sort,
            limit,
        };
        let found = match self.collect_direct(&asked)? {
            Some(found) => found,
            None => self.collect_tantivy(&asked)?,
        };
        let Found {
            page: addresses,
            total,
            counts,
        } = found;
        let theme_counts = self.themes.named(&counts);
        let snippets = (req.snippets && !plan.is_empty())
            .then(|| Highlighter::new(&plan, &self.texts.lexicon));
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, addr) in addresses {
            let rank = self.rank_of(addr);
            let scheme = self.scheme_of_rank(rank)?;
            let snippet_html = snippets.as_ref().and_then(|h| {
                let (text, tokens) = self.texts.description(rank, scheme);
                h.html(text, &tokens)
            });
            hits.push(Hit {
                scheme,
                shown: self.shown_of_rank(rank)?,
                score,
                snippet_html,
            });
        }
        Ok(Results {
            total,
            hits,
            theme_counts,
            did_you_mean: plan.corrected(),
            words_without_match: plan.words_without_match(),
        })
    }

    /// A search's page, total and counts per theme, with tantivy's queries and collectors
    /// (an index without precomputed impacts and sets: larger, several segments, deletions).
    fn collect_tantivy(&self, asked: &Asked<'_>) -> Result<Found, SearchError> {
        let Asked {
            searcher,
            plan,
            req,
            sort,
            limit,
            ..
        } = *asked;
        let scoring = asked.scoring.map(Node::query);
        let full = query::full_query(&self.fields, scoring.as_deref(), &req.filters, true);
        // Without a theme filter, the counts per theme come from the same pass.
        let facets = req
            .filters
            .themes
            .is_empty()
            .then(|| ThemeCounter(self.themes.clone()));
        let (page, total, counts) = match sort {
            Sort::Relevance => {
                let top = TopDocs::with_limit(asked.window()).order_by_score();
                let (docs, total, counts) = searcher.search(&*full, &(top, Count, facets))?;
                let page = self.rerank(plan, docs, req, limit)?;
                (page, total, counts)
            }
            Sort::Name => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(req.offset)
                    .order_by_u64_field("name_rank", Order::Asc);
                let (docs, total, counts) = searcher.search(&*full, &(top, Count, facets))?;
                let page: Vec<(f32, DocAddress)> =
                    docs.into_iter().map(|(_, a)| (0.0, a)).collect();
                (page, total, counts)
            }
        };
        let counts = match counts {
            Some(counts) => counts,
            None => {
                let unthemed =
                    query::full_query(&self.fields, scoring.as_deref(), &req.filters, false);
                searcher.search(&*unthemed, &ThemeCounter(self.themes.clone()))?
            }
        };
        Ok(Found {
            page,
            total,
            counts,
        })
    }

    /// The same, evaluated straight on a small index (`query::Direct`) when the engine has
    /// its impacts and sets and they cover the search; `None` otherwise. Same pages, totals
    /// and counts as [`Engine::collect_tantivy`]: documents ordered by score, then by
    /// document number (tantivy's top-k), or by name rank.
    fn collect_direct(&self, asked: &Asked<'_>) -> Result<Option<Found>, SearchError> {
        let Asked {
            searcher,
            scoring,
            plan,
            req,
            sort,
            limit,
        } = *asked;
        let (Some(impacts), Some(table)) = (&self.impacts, &self.filter_table) else {
            return Ok(None);
        };
        let Some(kept) = table.keep(searcher, &self.fields, &req.filters, true) else {
            return Ok(None);
        };
        // With a theme filter, the counts per theme are those of the search without it.
        let counted = if req.filters.themes.is_empty() {
            None
        } else {
            match table.keep(searcher, &self.fields, &req.filters, false) {
                Some(k) => Some(k),
                None => return Ok(None),
            }
        };
        let matches = match scoring {
            Some(node) => match Direct::new(searcher, impacts, table).matches(node) {
                Some(m) => m,
                None => return Ok(None),
            },
            None => (0..table.max_doc()).map(|d| (d, 0.0)).collect(),
        };
        let mut counts = self.themes.zeros();
        let mut docs = Vec::with_capacity(matches.len());
        for (doc, score) in matches {
            if kept.has(doc) {
                docs.push((score, doc));
            }
            if counted.as_ref().unwrap_or(&kept).has(doc) {
                self.themes.count(0, doc, &mut counts);
            }
        }
        let total = docs.len();
        let address = |doc| DocAddress::new(0, doc);
        let page = match sort {
            Sort::Relevance => {
                docs.sort_unstable_by(|a, b| {
                    b.0.partial_cmp(&a.0)
                        .unwrap_or(std::cmp::Ordering::Equal)
                        .then(a.1.cmp(&b.1))
                });
                docs.truncate(asked.window());
                let docs = docs.into_iter().map(|(s, d)| (s, address(d))).collect();
                self.rerank(plan, docs, req, limit)?
            }
            Sort::Name => {
                let mut docs: Vec<(usize, DocId)> = docs
                    .into_iter()
                    .map(|(_, d)| (self.rank_of(address(d)), d))
                    .collect();
                docs.sort_unstable();
                docs.into_iter()
                    .skip(req.offset)
                    .take(limit)
                    .map(|(_, d)| (0.0, address(d)))
                    .collect()
            }
        };
        Ok(Some(Found {
            page,
            total,
            counts,
        }))
    }

    /// Schemes for the suggestion list under the search box (as you type): never a scheme
    /// closed or whose campaign is over on `today`, which the list could not mark as such.
    pub fn suggest(
        &self,
        text: &str,
        limit: usize,
        today: time::Date,
    ) -> Result<Vec<&Scheme>, SearchError> {
        // A blank box suggests nothing (a blank search would list everything); text without
        // searchable words already gets no result from `search`.
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        // The whole re-ranked window: closed schemes left out, the list still fills up.
        let req = SearchRequest {
            text: text.to_owned(),
            limit: limit.max(RERANK_WINDOW),
            ..SearchRequest::new(today)
        };
        Ok(self
            .search(&req)?
            .hits
            .into_iter()
            .map(|h| h.scheme)
            .filter(|s| {
                !matches!(
                    s.availability(today),
                    Availability::Closed | Availability::CampaignOver
                )
            })
            .take(limit)
            .collect())
    }
}
