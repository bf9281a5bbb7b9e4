//! Search: schema, French analyzers, index build, vocabulary, and query → results.

pub mod analyzer;
pub mod index;
pub mod phonetic;
pub mod query;
pub mod schema;
pub mod vocab;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use tantivy::collector::{Count, FacetCollector, TopDocs};

use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, Order, ReloadPolicy, Searcher};

pub use query::Filters;
use schema::Fields;
use vocab::Vocabulary;

use crate::data::Dataset;
use crate::scheme::{Availability, Scheme};
use crate::text;

/// Why the search layer failed (all are internal errors, never the visitor's fault).
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// tantivy failed to build, open or query the index.
    #[error("index : {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index folder could not be written or read.
    #[error("dossier de l’index : {0}")]
    Io(#[from] std::io::Error),
    /// The index folder has no completion marker (a build was interrupted).
    #[error("index incomplet")]
    Incomplete,
    /// The index could not be opened from its folder.
    #[error("ouverture de l’index : {0}")]
    Open(#[from] tantivy::directory::error::OpenDirectoryError),
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    Name,
}

/// A search as the web layer asks it (already bounded and validated).
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub text: String,
    pub filters: Filters,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
    pub snippets: bool,
    /// The day the search is made: ranking puts schemes usable on that day first.
    pub today: time::Date,
}

impl SearchRequest {
    /// An empty search on `today` (no text, no filter, no result asked).
    pub fn new(today: time::Date) -> SearchRequest {
        SearchRequest {
            text: String::new(),
            filters: Filters::default(),
            sort: Sort::default(),
            offset: 0,
            limit: 0,
            snippets: false,
            today,
        }
    }
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit<'a> {
    pub scheme: &'a Scheme,
    pub score: f32,
    /// HTML-escaped excerpt of the description with the matched words in `<mark>`.
    pub snippet_html: Option<String>,
}

/// A page of results and what the page needs around them.
#[derive(Debug, Clone)]
pub struct Results<'a> {
    pub total: usize,
    pub hits: Vec<Hit<'a>>,
    /// Matching schemes per theme slug, ignoring the theme filter.
    pub theme_counts: Vec<(String, u64)>,
    /// « Vouliez-vous dire … ? », built from the index's own vocabulary.
    pub did_you_mean: Option<String>,
}

/// Results fetched before re-ranking by coverage, at least.
const RERANK_WINDOW: usize = 100;

fn scheme_words(s: &Scheme) -> HashSet<String> {
    let mut out = HashSet::new();
    let texts = [&s.nom, &s.resume, &s.description, &s.porteur]
        .into_iter()
        .chain(&s.alias)
        .chain(&s.mots_cles)
        .chain(&s.avantages)
        .chain(&s.conditions)
        .chain(&s.demarches);
    for t in texts {
        out.extend(text::words(t));
    }
    let stems: Vec<String> = out.iter().filter_map(|w| analyzer::stem(w)).collect();
    out.extend(stems);
    out
}

/// Share of the plan's typed words that a scheme's words cover (1.0 when nothing typed).
fn coverage(plan: &query::Plan, stems: &[Vec<String>], words: &HashSet<String>) -> f32 {
    let typed: Vec<usize> = (0..plan.slots.len())
        .filter(|&i| !plan.slots[i].typed.is_empty())
        .collect();
    if typed.is_empty() {
        return 1.0;
    }
    let covered = typed
        .iter()
        .filter(|&&i| stems[i].iter().any(|w| words.contains(w)))
        .count();
    covered as f32 / typed.len() as f32
}

fn theme_collector() -> FacetCollector {
    let mut collector = FacetCollector::for_field("theme");
    collector.add_facet("/");
    collector
}

fn facet_counts(counts: &tantivy::collector::FacetCounts) -> Vec<(String, u64)> {
    counts
        .get("/")
        .map(|(facet, n)| {
            let slug = facet
                .to_path()
                .last()
                .map(|s| s.to_string())
                .unwrap_or_default();
            (slug, n)
        })
        .collect()
}

/// A data set with its index: what a running server swaps whole on reload.
pub struct Engine {
    pub data: Arc<Dataset>,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    vocab: Vocabulary,
    name_keys: Vec<String>,
    /// Folded words and stems of each scheme (same order as `data.schemes`), to measure
    /// how many of the query's words a result covers.
    words: Vec<HashSet<String>>,
    /// Whether opening needed a (re)build.
    pub rebuilt: bool,
    /// Whether the index lives in memory because `index/` could not be used.
    pub memory_fallback: bool,
}

impl Engine {
    /// Builds the index in memory.
    pub fn in_ram(data: Dataset) -> Result<Engine, SearchError> {
        let (index, fields) = index::build_in_ram(&data)?;
        Engine::new(data, index, fields, index::Opened::Built)
    }

    /// Opens `root`'s index for this data version or rebuilds it there.
    pub fn on_disk(data: Dataset, root: &Path) -> Result<Engine, SearchError> {
        let (index, fields, opened) = index::open_or_build(root, &data)?;
        Engine::new(data, index, fields, opened)
    }

    fn new(
        data: Dataset,
        index: Index,
        fields: Fields,
        opened: index::Opened,
    ) -> Result<Engine, SearchError> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let mut stems = fields.stem_fields().to_vec();
        stems.push(fields.description);
        let vocab = Vocabulary::build(&searcher, &fields.exact_fields(), &stems)?;
        let mut name_keys: Vec<String> = data
            .schemes
            .iter()
            .flat_map(|s| std::iter::once(&s.nom).chain(s.alias.iter()))
            .map(|n| index::name_key(n))
            .filter(|k| !k.is_empty())
            .collect();
        name_keys.sort();
        name_keys.dedup();
        let words = data.schemes.iter().map(scheme_words).collect();
        Ok(Engine {
            data: Arc::new(data),
            index,
            reader,
            fields,
            vocab,
            name_keys,
            words,
            rebuilt: opened != index::Opened::Reused,
            memory_fallback: opened == index::Opened::MemoryFallback,
        })
    }

    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn rank_of(&self, searcher: &Searcher, addr: DocAddress) -> Result<usize, SearchError> {
        let column = searcher
            .segment_reader(addr.segment_ord)
            .fast_fields()
            .u64("name_rank")?;
        Ok(column.first(addr.doc_id).unwrap_or(u64::MAX) as usize)
    }

    fn scheme_at(&self, searcher: &Searcher, addr: DocAddress) -> Result<&Scheme, SearchError> {
        let rank = self.rank_of(searcher, addr)?;
        self.data.schemes.get(rank).ok_or_else(|| {
            SearchError::Tantivy(tantivy::TantivyError::InternalError(format!(
                "rang inconnu {rank}"
            )))
        })
    }

    /// Re-ranks by how many typed words each result covers (Meilisearch's first rule,
    /// softened), then cuts the requested page.
    fn rerank(
        &self,
        searcher: &Searcher,
        plan: &query::Plan,
        docs: Vec<(f32, DocAddress)>,
        req: &SearchRequest,
        limit: usize,
    ) -> Result<Vec<(f32, DocAddress)>, SearchError> {
        let (offset, today) = (req.offset, req.today);
        let stems: Vec<Vec<String>> = plan
            .slots
            .iter()
            .map(|slot| {
                let mut forms = Vec::new();
                for (alt, _) in &slot.alts {
                    let ws: Vec<&String> = match alt {
                        query::Alt::Word(w) => vec![w],
                        query::Alt::Words(ws) => ws.iter().collect(),
                    };
                    for w in ws {
                        forms.push(w.clone());
                        forms.extend(analyzer::stem(w));
                    }
                }
                forms
            })
            .collect();
        let mut scored = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            let rank = self.rank_of(searcher, addr)?;
            let cov = self
                .words
                .get(rank)
                .map(|w| coverage(plan, &stems, w))
                .unwrap_or(1.0);
            // A scheme one cannot use now still shows, below those one can.
            let usable = match self.data.schemes.get(rank).map(|s| s.availability(today)) {
                Some(Availability::Closed) => 0.6,
                Some(Availability::CampaignOver | Availability::Paused | Availability::Planned) => {
                    0.8
                }
                _ => 1.0,
            };
            scored.push((score * (0.4 + 0.6 * cov) * usable, addr));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(scored.into_iter().skip(offset).take(limit).collect())
    }

    /// Runs a search: relevance (or name) order, filters, counts per theme, snippets.
    pub fn search(&self, req: &SearchRequest) -> Result<Results<'_>, SearchError> {
        let searcher = self.reader.searcher();
        let plan = query::plan(&req.text, &self.vocab, &self.data.synonyms);
        if plan.is_empty() && !req.text.trim().is_empty() {
            // Only symbols or emoji: nothing to search, and no wildcard either.
            return Ok(Results {
                total: 0,
                hits: Vec::new(),
                theme_counts: Vec::new(),
                did_you_mean: None,
            });
        }
        let scoring = query::scoring_query(&self.fields, &self.vocab, &plan, &self.name_keys);
        let full = query::full_query(&self.fields, scoring.as_deref(), &req.filters, true);
        let limit = req.limit.max(1);
        let sort = if scoring.is_none() {
            Sort::Name
        } else {
            req.sort
        };
        // Without a theme filter, the counts per theme come from the same pass.
        let facets = req.filters.themes.is_empty().then(theme_collector);
        let (addresses, total, counts) = match sort {
            Sort::Relevance => {
                let window = (req.offset + limit).max(RERANK_WINDOW);
                let top = TopDocs::with_limit(window).order_by_score();
                let (docs, total, counts) = searcher.search(&*full, &(top, Count, facets))?;
                let page = self.rerank(&searcher, &plan, docs, req, limit)?;
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
        let theme_counts = match counts {
            Some(counts) => facet_counts(&counts),
            None => {
                let unthemed =
                    query::full_query(&self.fields, scoring.as_deref(), &req.filters, false);
                facet_counts(&searcher.search(&*unthemed, &theme_collector())?)
            }
        };
        let snippets = if req.snippets && !plan.is_empty() {
            let mut generator = SnippetGenerator::new(
                query::snippet_terms(&plan),
                analyzer::stemmed(),
                self.fields.description,
                180,
            );
            generator.set_max_num_chars(180);
            Some(generator)
        } else {
            None
        };
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, addr) in addresses {
            let scheme = self.scheme_at(&searcher, addr)?;
            let snippet_html = snippets.as_ref().and_then(|g| {
                let mut s = g.snippet(&text::normalize(&scheme.description));
                s.set_snippet_prefix_postfix("<mark>", "</mark>");
                (!s.is_empty()).then(|| {
                    s.to_html()
                        .replace("&#39;", "’")
                        .replace("&#x27;", "’")
                        .replace('\'', "’")
                })
            });
            hits.push(Hit {
                scheme,
                score,
                snippet_html,
            });
        }
        Ok(Results {
            total,
            hits,
            theme_counts,
            did_you_mean: plan.corrected(),
        })
    }

    /// Schemes for the suggestion list under the search box (as you type).
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
        let req = SearchRequest {
            text: text.to_owned(),
            limit,
            ..SearchRequest::new(today)
        };
        Ok(self
            .search(&req)?
            .hits
            .into_iter()
            .map(|h| h.scheme)
            .collect())
    }

    pub fn index(&self) -> &Index {
        &self.index
    }
}
