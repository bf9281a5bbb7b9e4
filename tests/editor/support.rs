//! A site with the editor on a copy of data/, a state database in a temporary folder and a
//! settable time; a tiny cookie-keeping client for the editor's forms.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use referentiel_jeunesse::clock::Clock;
use referentiel_jeunesse::data;
use referentiel_jeunesse::editor::Services;
use referentiel_jeunesse::search::Engine;
use referentiel_jeunesse::store::{Now, Role, Store};
use referentiel_jeunesse::web::reload::{self, Paths};
use referentiel_jeunesse::AppState;

use crate::util::{data_copy, request_with, Reply, TODAY};

pub const PASSWORD: &str = "une phrase de passe solide";

/// 10:00 UTC on the tests' day.
pub fn start_time() -> i64 {
    TODAY.midnight().assume_utc().unix_timestamp() + 10 * 3600
}

#[allow(dead_code)]
pub struct Site {
    pub state: AppState,
    pub data: tempfile::TempDir,
    pub etat: tempfile::TempDir,
    _index: tempfile::TempDir,
    pub store: Store,
    pub now: Now,
}

impl Site {
    pub async fn new() -> Site {
        Site::with_base_url("http://test.local").await
    }

    pub async fn with_base_url(base_url: &str) -> Site {
        let data = data_copy();
        let etat = tempfile::tempdir().unwrap();
        let index = tempfile::tempdir().unwrap();
        let loaded = data::load(data.path(), TODAY).expect("valid copy");
        let state = AppState::with_clock(
            Engine::in_ram(loaded).unwrap(),
            base_url.into(),
            Clock::Fixed(TODAY),
        );
        let now = Now::settable(start_time());
        let store = Store::open_with(etat.path(), now.clone()).unwrap();
        state.install_editor(Services::new(
            Ok(store.clone()),
            data.path().to_path_buf(),
            base_url,
        ));
        let reloader = reload::spawn(
            state.clone(),
            Paths {
                data: data.path().to_path_buf(),
                index: index.path().to_path_buf(),
            },
        );
        state.set_reloader(reloader);
        Site {
            state,
            data,
            etat,
            _index: index,
            store,
            now,
        }
    }

    pub fn add(&self, id: &str, role: Role) {
        self.store.add_account(id, role, PASSWORD).unwrap();
    }

    #[allow(dead_code)]
    pub fn file(&self, rel: &str) -> String {
        std::fs::read_to_string(self.data.path().join(rel)).unwrap()
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        request_with(self.state.clone(), req).await
    }

    pub fn client(&self) -> Client<'_> {
        Client {
            site: self,
            cookie: None,
            csrf: None,
            address: "192.0.2.10".into(),
        }
    }

    /// A client logged in as `id` (created with `role` first).
    pub async fn logged_in(&self, id: &str, role: Role) -> Client<'_> {
        self.add(id, role);
        let mut c = self.client();
        let r = c.login(id, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        c
    }
}

/// Keeps the session cookie and the last CSRF token seen, like a browser.
pub struct Client<'a> {
    pub site: &'a Site,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub address: String,
}

pub fn form_body(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// The value of the first `input[name=csrf]` of a page.
pub fn csrf_of(reply: &Reply) -> Option<String> {
    let doc = reply.html();
    let sel = scraper::Selector::parse("input[name=csrf]").unwrap();
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .map(str::to_owned)
}

impl Client<'_> {
    fn remember(&mut self, reply: &Reply) {
        if let Some(v) = reply.headers.get(header::SET_COOKIE) {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (_, value) = pair.split_once('=').unwrap();
            self.cookie = (!value.is_empty()).then(|| pair.to_owned());
        }
        if let Some(t) = csrf_of(reply) {
            self.csrf = Some(t);
        }
    }

    fn request(&self, method: &str, uri: &str) -> axum::http::request::Builder {
        let mut b = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::ACCEPT, "text/html");
        if let Some(c) = &self.cookie {
            b = b.header(header::COOKIE, c);
        }
        let addr: std::net::SocketAddr = format!("{}:40000", self.address).parse().unwrap();
        b.extension(axum::extract::ConnectInfo(addr))
    }

    pub async fn get(&mut self, uri: &str) -> Reply {
        let req = self.request("GET", uri).body(Body::empty()).unwrap();
        let r = self.site.send(req).await;
        self.remember(&r);
        r
    }

    /// Posts a form; the CSRF token is added unless the pairs carry their own.
    pub async fn post(&mut self, uri: &str, pairs: &[(&str, &str)]) -> Reply {
        let mut all: Vec<(&str, &str)> = pairs.to_vec();
        let token = self.csrf.clone().unwrap_or_default();
        if !pairs.iter().any(|(k, _)| *k == "csrf") {
            all.push(("csrf", &token));
        }
        self.post_raw(uri, &form_body(&all)).await
    }

    pub async fn post_raw(&mut self, uri: &str, body: &str) -> Reply {
        let req = self
            .request("POST", uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.to_owned()))
            .unwrap();
        let r = self.site.send(req).await;
        self.remember(&r);
        r
    }

    pub async fn login(&mut self, id: &str, password: &str) -> Reply {
        if self.csrf.is_none() || self.cookie.is_none() {
            let page = self.get("/connexion").await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        }
        let r = self
            .post(
                "/connexion",
                &[("identifiant", id), ("mot_de_passe", password)],
            )
            .await;
        if r.status == StatusCode::SEE_OTHER {
            let home = self.get("/redaction").await;
            assert_eq!(home.status, StatusCode::OK, "{}", home.body);
        }
        r
    }
}

/// The pairs a browser submits for the first form matching `selector` (without buttons).
#[allow(dead_code)]
pub fn form_pairs(reply: &Reply, selector: &str) -> Vec<(String, String)> {
    let doc = reply.html();
    let form_sel = scraper::Selector::parse(selector).unwrap();
    let form = doc.select(&form_sel).next().expect("form on the page");
    let fields = scraper::Selector::parse("input, textarea, select").unwrap();
    let option = scraper::Selector::parse("option").unwrap();
    let mut out = Vec::new();
    for e in form.select(&fields) {
        let v = e.value();
        let Some(name) = v.attr("name") else { continue };
        match v.name() {
            "textarea" => out.push((name.to_owned(), e.text().collect())),
            "select" => {
                let chosen = e
                    .select(&option)
                    .find(|o| o.value().attr("selected").is_some())
                    .or_else(|| e.select(&option).next());
                if let Some(o) = chosen {
                    out.push((
                        name.to_owned(),
                        o.value().attr("value").unwrap_or_default().to_owned(),
                    ));
                }
            }
            _ => match v.attr("type").unwrap_or("text") {
                "checkbox" | "radio" => {
                    if v.attr("checked").is_some() {
                        out.push((name.to_owned(), v.attr("value").unwrap_or("on").to_owned()));
                    }
                }
                "submit" | "button" => {}
                _ => out.push((
                    name.to_owned(),
                    v.attr("value").unwrap_or_default().to_owned(),
                )),
            },
        }
    }
    out
}

/// Replaces (or adds) a field's value in a list of pairs.
#[allow(dead_code)]
pub fn with(mut pairs: Vec<(String, String)>, name: &str, value: &str) -> Vec<(String, String)> {
    match pairs.iter_mut().find(|(k, _)| k == name) {
        Some(p) => p.1 = value.to_owned(),
        None => pairs.push((name.to_owned(), value.to_owned())),
    }
    pairs
}

impl Client<'_> {
    /// Posts pairs as they are (the page's own csrf field included).
    #[allow(dead_code)]
    pub async fn submit(&mut self, uri: &str, pairs: &[(String, String)]) -> Reply {
        let borrowed: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post(uri, &borrowed).await
    }
}
