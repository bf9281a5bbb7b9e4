//! Source hosts sorted by trust (`domaines.json`): official, press, refused; tracking parameters.

use super::raw::RawDomains;
use crate::scheme::SourceKind;

/// The lists of `domaines.json`, lower-cased.
#[derive(Debug, Clone, Default)]
pub struct Domains {
    official: Vec<String>,
    press: Vec<String>,
    refused: Vec<String>,
    tracking: Vec<String>,
}

/// The host of an `http(s)://` address, lower-cased, without port or `www.`.
pub fn host(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    let host = host.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_owned())
}

/// Whether `host` is `domain` or one of its subdomains.
fn under(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

impl Domains {
    pub fn new(raw: RawDomains) -> Domains {
        let lower = |v: Vec<String>| -> Vec<String> {
            v.into_iter()
                .map(|d| d.trim().trim_start_matches('.').to_ascii_lowercase())
                .filter(|d| !d.is_empty())
                .collect()
        };
        Domains {
            official: lower(raw.officiels),
            press: lower(raw.presse),
            refused: lower(raw.interdits),
            tracking: raw
                .parametres_de_suivi
                .into_iter()
                .map(|p| p.to_ascii_lowercase())
                .collect(),
        }
    }

    /// The kind of a source: the seed (no address) is official; otherwise by host.
    pub fn kind(&self, url: Option<&str>) -> SourceKind {
        let Some(h) = url.and_then(host) else {
            return SourceKind::Official;
        };
        if self.official.iter().any(|d| under(&h, d)) {
            SourceKind::Official
        } else if self.press.iter().any(|d| under(&h, d)) {
            SourceKind::Press
        } else {
            SourceKind::Other
        }
    }

    /// Whether the address is on a staging or test host that must never be cited.
    pub fn is_refused(&self, url: &str) -> bool {
        host(url).is_some_and(|h| self.refused.iter().any(|d| under(&h, d)))
    }

    /// The tracking parameters an address carries (`utm_source`, `fbclid`…).
    pub fn tracking_params(&self, url: &str) -> Vec<String> {
        let Some((_, query)) = url.split_once('?') else {
            return Vec::new();
        };
        let query = query.split('#').next().unwrap_or_default();
        query
            .split('&')
            .filter_map(|kv| kv.split('=').next())
            .map(str::to_ascii_lowercase)
            .filter(|k| {
                self.tracking
                    .iter()
                    .any(|t| k == t || (t.ends_with('_') && k.starts_with(t.as_str())))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domains() -> Domains {
        Domains::new(RawDomains {
            officiels: vec!["gouv.fr".into(), "pasdecalais.fr".into()],
            presse: vec!["lavoixdunord.fr".into()],
            interdits: vec!["telmedia.dev".into()],
            parametres_de_suivi: vec!["utm_".into(), "fbclid".into()],
        })
    }

    #[test]
    fn hosts_are_matched_on_domain_boundaries() {
        let d = domains();
        assert_eq!(
            d.kind(Some("https://www.service-civique.gouv.fr/x")),
            SourceKind::Official
        );
        assert_eq!(d.kind(Some("https://pasdecalais.fr")), SourceKind::Official);
        assert_eq!(
            d.kind(Some("https://notpasdecalais.fr/")),
            SourceKind::Other
        );
        assert_eq!(d.kind(Some("https://gouv.fr.evil.com/")), SourceKind::Other);
        assert_eq!(
            d.kind(Some("https://www.lavoixdunord.fr/a")),
            SourceKind::Press
        );
        assert_eq!(d.kind(None), SourceKind::Official);
    }

    #[test]
    fn staging_hosts_and_tracking_parameters_are_found() {
        let d = domains();
        assert!(d.is_refused("https://jeunesdu62.telmedia.dev/page"));
        assert!(!d.is_refused("https://jeunes.pasdecalais.fr/"));
        assert_eq!(
            d.tracking_params("https://a.fr/p?id=3&utm_source=x&FBCLID=y#top"),
            vec!["utm_source", "fbclid"]
        );
        assert!(d.tracking_params("https://a.fr/p?id=3").is_empty());
    }
}
