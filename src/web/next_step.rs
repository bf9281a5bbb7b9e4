//! What a scheme page offers next: one official action (the page to apply, else the official
//! site, else the latest official page read), the place finder for the commune already typed,
//! and the way back to the results the visitor came from (`retour`, a same-site path).

use super::params::pairs;
use super::views::Link;
use crate::data::Dataset;
use crate::scheme::{Scheme, Slug, SourceKind};

/// Longest accepted `retour` address, in bytes.
const MAX_RETURN_BYTES: usize = 2000;
/// Longest commune text carried to the place finder, in characters.
const MAX_COMMUNE_CHARS: usize = 100;

/// The official action of a scheme: `lien_demarche`, else `contact.site`, else the most
/// recently read page of an official source. `None` when the data has none of them.
pub fn official_action(s: &Scheme) -> Option<Link> {
    if let Some(l) = &s.lien_demarche {
        return Some(Link {
            href: l.url.clone(),
            label: l.libelle.clone(),
            detail: on_host(&l.url),
        });
    }
    if let Some(site) = &s.contact.site {
        return Some(Link {
            href: site.clone(),
            label: "Aller sur le site officiel".to_owned(),
            detail: on_host(site),
        });
    }
    s.sources
        .iter()
        .filter(|x| x.kind == SourceKind::Official)
        .filter_map(|x| x.url.as_ref().map(|u| (x.consulte_le, u)))
        .max_by_key(|(read, _)| *read)
        .map(|(_, url)| Link {
            href: url.clone(),
            label: "Voir la page officielle".to_owned(),
            detail: on_host(url),
        })
}

/// « sur pasdecalais.fr »: where an official link leads.
fn on_host(url: &str) -> String {
    host(url).map(|h| format!("sur {h}")).unwrap_or_default()
}

/// The host of an `http(s)://` address, without `www.`.
fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(host.strip_prefix("www.").unwrap_or(host)).filter(|h| !h.is_empty())
}

/// The place finder, when the next step is a place (a place lists the scheme) or when the data
/// gives no official action: `/structures?commune=…` with the commune already typed.
pub fn place_finder(
    s: &Scheme,
    data: &Dataset,
    commune: Option<&str>,
    has_action: bool,
) -> Option<Link> {
    let at_a_place = data.open_places().any(|p| p.dispositifs.contains(&s.id));
    if !at_a_place && has_action {
        return None;
    }
    let (href, near) = match commune {
        Some(c) => (
            format!(
                "/structures?commune={}",
                form_urlencoded::byte_serialize(c.as_bytes()).collect::<String>()
            ),
            format!("près de {c}"),
        ),
        None => ("/structures".to_owned(), "près de chez toi".to_owned()),
    };
    let label = if at_a_place {
        format!("Trouver un lieu {near}")
    } else {
        format!("Demander conseil dans un lieu {near}")
    };
    Some(Link {
        href,
        label,
        detail: String::new(),
    })
}

/// What the scheme page's address says about where the visitor came from.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// The results page to go back to, validated as a same-site path.
    pub retour: Option<String>,
    /// The commune the visitor typed (in the answers or in the search they came from).
    pub commune: Option<String>,
}

/// Reads `retour` and the commune typed from a scheme page's query string.
pub fn origin(raw: Option<&str>) -> Origin {
    let mut o = Origin::default();
    let mut commune_in_retour = None;
    for (k, v) in pairs(raw) {
        match k.as_str() {
            "retour" => {
                o.retour = safe_return(&v);
                commune_in_retour = o.retour.as_deref().and_then(|r| {
                    let query = r.split_once('?')?.1;
                    pairs(Some(query))
                        .into_iter()
                        .find(|(k, _)| k == "commune")
                        .map(|(_, v)| v)
                });
            }
            "commune" => o.commune = typed_commune(&v),
            _ => {}
        }
    }
    if o.commune.is_none() {
        o.commune = commune_in_retour.as_deref().and_then(typed_commune);
    }
    o
}

fn typed_commune(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty() && v.chars().count() <= MAX_COMMUNE_CHARS && !v.chars().any(char::is_control))
        .then(|| v.to_owned())
}

/// `v` when it is a path of this site's results pages (`/recherche`, `/thematiques/<slug>`,
/// `/publics/<slug>`, `/selection`, `/pour-moi`) with an optional query string; anything that
/// could leave the site (`//host`, `\`, a scheme, spaces or control characters) is refused.
pub fn safe_return(v: &str) -> Option<String> {
    if v.len() > MAX_RETURN_BYTES
        || !v.starts_with('/')
        || v.chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\' || c == '#')
    {
        return None;
    }
    let path = v.split('?').next().unwrap_or_default();
    let slug_under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| Slug::parse(rest).is_some())
    };
    let listed = matches!(path, "/recherche" | "/selection" | "/pour-moi")
        || slug_under("/thematiques/")
        || slug_under("/publics/");
    listed.then(|| v.to_owned())
}

/// The address of a scheme page that remembers the results page `back` (a path with its query).
pub fn with_return(scheme_path: &str, back: &str) -> String {
    Return::to(back).at(scheme_path)
}

/// The query that sends a scheme page back to a results page, encoded once for all the
/// cards of the page.
pub struct Return(String);

impl Return {
    /// Back to `back` (a path with its query).
    pub fn to(back: &str) -> Return {
        let mut query = String::with_capacity(8 + back.len() * 3 / 2);
        query.push_str("?retour=");
        query.extend(form_urlencoded::byte_serialize(back.as_bytes()));
        Return(query)
    }

    /// The address of the scheme page at `scheme_path` with this way back.
    pub fn at(&self, scheme_path: &str) -> String {
        let mut url = String::with_capacity(scheme_path.len() + self.0.len());
        url.push_str(scheme_path);
        url.push_str(&self.0);
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_paths_stay_on_the_site() {
        for ok in [
            "/recherche?q=sac+ados&age=17",
            "/thematiques/vacances-loisirs?page=2",
            "/publics/collegiens",
            "/selection?ids=a,b",
        ] {
            assert_eq!(safe_return(ok).as_deref(), Some(ok));
        }
        for bad in [
            "https://evil.example/",
            "//evil.example/recherche",
            "/\\evil.example",
            "javascript:alert(1)",
            "/recherche?q=a b",
            "/dispositifs/sac-ados",
            "/thematiques/../api",
            "/recherche#x",
            "",
        ] {
            assert_eq!(safe_return(bad), None, "{bad}");
        }
    }

    #[test]
    fn origin_takes_the_commune_from_the_answers_then_from_the_search() {
        let back = "/recherche?q=permis&commune=Lens";
        let raw = with_return("/dispositifs/x", back);
        let o = origin(raw.split_once('?').map(|(_, q)| q));
        assert_eq!(o.retour.as_deref(), Some(back));
        assert_eq!(o.commune.as_deref(), Some("Lens"));
        let o = origin(Some("commune=Arras&retour=%2Frecherche%3Fcommune%3DLens"));
        assert_eq!(o.commune.as_deref(), Some("Arras"));
    }
}
