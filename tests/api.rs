//! The partners' API: OpenAPI description checked against real answers, exports equal to
//! the API, conditional requests, CORS, communes.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use referentiel_jeunesse::web::openapi::EXAMPLES;

use crate::util::{encode, get, request_with, test_state};

#[tokio::test]
async fn openapi_is_valid_and_every_documented_path_answers_as_documented() {
    let spec = get("/api/openapi.json").await.json();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let paths = spec["paths"].as_object().unwrap();
    assert!(paths.len() >= 8);
    for (path, item) in paths {
        let (_, example) = EXAMPLES
            .iter()
            .find(|(p, _)| p == path)
            .unwrap_or_else(|| panic!("no example for {path}"));
        let r = get(example).await;
        let status = r.status.as_u16().to_string();
        let response = &item["get"]["responses"][&status];
        assert!(
            response.is_object(),
            "{example} answered {status}, undocumented"
        );
        let schema = response["content"]["application/json"]["schema"].clone();
        let mut root = serde_json::json!({ "components": spec["components"].clone() });
        root.as_object_mut()
            .unwrap()
            .extend(schema.as_object().unwrap().clone());
        let validator =
            jsonschema::validator_for(&root).unwrap_or_else(|e| panic!("{path}: bad schema {e}"));
        let body = r.json();
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(
            errors.is_empty(),
            "{example} does not match its schema: {errors:?}"
        );
    }
}

#[tokio::test]
async fn documented_error_answers_follow_the_error_schema() {
    for uri in [
        "/api/dispositifs?age=abc",
        "/api/dispositifs/inconnu",
        "/api/communes?q=Atlantis",
        "/api/nulle-part",
    ] {
        let r = get(uri).await;
        assert!(r.status.is_client_error(), "{uri}");
        let v = r.json();
        assert_eq!(
            v["erreur"]["statut"].as_u64().unwrap() as u16,
            r.status.as_u16()
        );
        assert!(!v["erreur"]["message"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn exports_hold_exactly_the_schemes_the_api_lists() {
    let api: Vec<String> = get("/api/dispositifs?par_page=100").await.json()["dispositifs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    let mut api_sorted = api.clone();
    api_sorted.sort();
    let json = get("/donnees/dispositifs.json").await.json();
    let mut from_json: Vec<String> = json["dispositifs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    from_json.sort();
    assert_eq!(from_json, api_sorted);
    let csv = get("/donnees/dispositifs.csv").await;
    assert!(csv.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let mut from_csv: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
    from_csv.sort();
    assert_eq!(from_csv, api_sorted);
    assert!(get("/donnees").await.body.contains("Licence Ouverte 2.0"));
}

#[tokio::test]
async fn repeated_requests_with_if_none_match_get_304() {
    for uri in [
        "/api/dispositifs?q=permis",
        "/donnees/dispositifs.csv",
        "/api/dispositifs/sac-ados",
    ] {
        let first = get(uri).await;
        let etag = first.headers[header::ETAG].to_str().unwrap().to_owned();
        assert!(first.headers.contains_key(header::LAST_MODIFIED));
        let req = Request::builder()
            .uri(uri)
            .header(header::IF_NONE_MATCH, &etag)
            .body(Body::empty())
            .unwrap();
        let again = request_with(test_state(), req).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert!(again.body.is_empty());
        let req = Request::builder()
            .uri(uri)
            .header(header::IF_NONE_MATCH, "\"autre\"")
            .body(Body::empty())
            .unwrap();
        assert_eq!(request_with(test_state(), req).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn api_allows_cross_origin_get() {
    let req = Request::builder()
        .uri("/api/thematiques")
        .header(header::ORIGIN, "https://exemple.org")
        .body(Body::empty())
        .unwrap();
    let r = request_with(test_state(), req).await;
    assert_eq!(r.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
}

#[tokio::test]
async fn pagination_is_bounded() {
    let r = get("/api/dispositifs?par_page=5&page=2").await;
    let v = r.json();
    assert_eq!(v["dispositifs"].as_array().unwrap().len(), 5);
    assert_eq!(v["page"], 2);
    for uri in [
        "/api/dispositifs?par_page=1000",
        "/api/dispositifs?page=0",
        "/api/dispositifs?page=abc",
    ] {
        assert_eq!(get(uri).await.status, StatusCode::BAD_REQUEST, "{uri}");
    }
}

#[tokio::test]
async fn commune_lookup_by_name_and_postal_code() {
    let v = get("/api/communes?q=Li%C3%A9vin").await.json();
    assert_eq!(v[0]["code"], "62510");
    assert!(v[0]["epci"].is_string());
    let v = get("/api/communes?q=62000").await.json();
    assert!(
        v.as_array().unwrap().len() >= 2,
        "a shared postal code lists its communes"
    );
}

#[tokio::test]
async fn embed_limits_to_its_filters_and_opens_links_in_new_tab() {
    let r = get("/embed?theme=permis-mobilite").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.html();
    let sel = scraper::Selector::parse(".carte a").unwrap();
    let links: Vec<_> = doc.select(&sel).collect();
    assert!(!links.is_empty());
    assert!(links
        .iter()
        .all(|a| a.value().attr("target") == Some("_blank")));
    assert!(r.body.contains("name=\"theme\" value=\"permis-mobilite\""));
    assert!(get("/integrer").await.body.contains("&lt;iframe"));
}

#[tokio::test]
async fn pro_table_filters_sorts_and_exports_the_selection() {
    let r = get("/pro?theme=permis-mobilite&ordre=nom").await;
    assert_eq!(r.status, StatusCode::OK);
    let rows = r.select("tbody tr td:first-child > a");
    assert!(!rows.is_empty());
    let mut sorted = rows.clone();
    sorted.sort_by_key(|s| referentiel_jeunesse::text::fold(s));
    assert_eq!(rows, sorted);
    let csv = get("/pro/export.csv?theme=permis-mobilite").await;
    let n = csv::Reader::from_reader(csv.body.as_bytes())
        .records()
        .count();
    assert_eq!(n, rows.len());
    assert_eq!(
        get("/pro?ordre=hasard").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn sitemap_and_robots() {
    let s = get("/sitemap.xml").await;
    assert!(s.body.contains("/dispositifs/sac-ados"));
    let r = get("/robots.txt").await;
    assert!(r.body.contains("Sitemap:"));
}

#[tokio::test]
async fn api_page_lists_endpoints_with_live_examples() {
    let r = get("/api").await;
    assert_eq!(r.status, StatusCode::OK);
    let codes = r.select("h3 code");
    assert!(
        codes.iter().any(|c| c == "GET /api/dispositifs"),
        "{codes:?}"
    );
    assert!(
        r.select("pre code")
            .iter()
            .any(|c| c.contains("\"dispositifs\"")),
        "shows a real answer"
    );
}

/// Validates `body` against a schema of the document (with its components).
fn assert_schema(spec: &serde_json::Value, schema: &serde_json::Value, body: &serde_json::Value) {
    let mut root = serde_json::json!({ "components": spec["components"].clone() });
    root.as_object_mut()
        .unwrap()
        .extend(schema.as_object().unwrap().clone());
    let validator = jsonschema::validator_for(&root).expect("valid schema");
    let errors: Vec<String> = validator.iter_errors(body).map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "{body} does not match {schema}: {errors:?}"
    );
}

/// The schema of one value of a documented parameter (the items of a list).
fn value_schema(param: &serde_json::Value) -> serde_json::Value {
    let mut s = param["schema"].clone();
    if s["type"] == "array" {
        s = s["items"].clone();
    }
    match s["oneOf"].as_array() {
        Some(one) if one.len() == 1 => one[0].clone(),
        _ => s,
    }
}

fn as_query_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What the document says each query parameter accepts and refuses, asked of the server:
/// every bound, every listed value, every required parameter. The document is the one served
/// (with the data's lists), read as a partner would.
#[tokio::test]
async fn documented_bounds_are_the_enforced_bounds() {
    let spec = get("/api/openapi.json").await.json();
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        let op = &item["get"];
        let params: Vec<&serde_json::Value> = op["parameters"]
            .as_array()
            .map(|a| a.iter().filter(|p| p["in"] == "query").collect())
            .unwrap_or_default();
        if params.is_empty() {
            continue;
        }
        let error_schema = op["responses"]["400"]["content"]["application/json"]["schema"].clone();
        assert!(error_schema.is_object(), "{path}: no documented 400");
        let required: Vec<(String, String)> = params
            .iter()
            .filter(|p| p["required"] == true)
            .map(|p| {
                let example = p
                    .get("example")
                    .unwrap_or_else(|| panic!("{path}: required {} has no example", p["name"]));
                (
                    p["name"].as_str().unwrap().to_owned(),
                    as_query_value(example),
                )
            })
            .collect();
        let ask = |name: &str, value: Option<&str>| {
            let mut s = form_urlencoded::Serializer::new(String::new());
            for (k, v) in &required {
                if k != name {
                    s.append_pair(k, v);
                }
            }
            if let Some(v) = value {
                s.append_pair(name, v);
            }
            format!("{path}?{}", s.finish())
        };
        for p in &params {
            let name = p["name"].as_str().unwrap();
            let schema = value_schema(p);
            let (mut accepted, mut refused) = (Vec::new(), Vec::new());
            if let Some(values) = schema["enum"].as_array() {
                accepted.extend(values.iter().map(as_query_value));
                refused.push("zz-inconnu".to_owned());
            }
            if schema["type"] == "integer" {
                let min = schema["minimum"].as_i64().expect("integers have a minimum");
                let max = schema["maximum"].as_i64().expect("integers have a maximum");
                accepted.extend([min.to_string(), max.to_string()]);
                refused.extend([(min - 1).to_string(), (max + 1).to_string(), "abc".into()]);
            }
            if let Some(max) = schema["maxLength"].as_u64() {
                refused.push("é".repeat(max as usize + 1));
            }
            if schema["minLength"].as_u64().unwrap_or(0) > 0 {
                refused.push(String::new());
            }
            accepted.extend(p.get("example").map(as_query_value));
            for v in &accepted {
                let uri = ask(name, Some(v));
                let r = get(&uri).await;
                assert!(
                    r.status != StatusCode::BAD_REQUEST && r.status.as_u16() < 500,
                    "{uri} is valid by the document but answered {}: {}",
                    r.status,
                    r.body
                );
            }
            for v in &refused {
                let uri = ask(name, Some(v));
                let r = get(&uri).await;
                assert_eq!(
                    r.status,
                    StatusCode::BAD_REQUEST,
                    "{uri} is invalid by the document: {}",
                    r.body
                );
                assert_schema(&spec, &error_schema, &r.json());
            }
            if p["required"] == true {
                assert_eq!(get(&ask(name, None)).await.status, StatusCode::BAD_REQUEST);
            } else if p["schema"]["type"] != "array" {
                if let Some(v) = accepted.first() {
                    let uri = format!("{}&{name}={}", ask(name, Some(v)), encode(v));
                    assert_eq!(get(&uri).await.status, StatusCode::BAD_REQUEST, "{uri}");
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} parameters checked");
}

/// Schemathesis found `page=0&par_page=0` valid by the document (no minimum) and refused.
#[tokio::test]
async fn regression_18_page_minimums_are_documented() {
    let spec = get("/api/openapi.json").await.json();
    let params = spec["paths"]["/api/dispositifs"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .clone();
    for name in ["page", "par_page"] {
        let p = params.iter().find(|p| p["name"] == name).unwrap();
        assert_eq!(p["schema"]["minimum"], 1, "{name}");
    }
    assert_eq!(
        get("/api/dispositifs?page=0&par_page=0").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get("/api/dispositifs?page=1&par_page=1").await.status,
        StatusCode::OK
    );
}

/// `/api/communes?q=` was valid by the document (no minimum length) and refused.
#[tokio::test]
async fn regression_18_empty_commune_query_is_documented_as_invalid() {
    let spec = get("/api/openapi.json").await.json();
    let q = &spec["paths"]["/api/communes"]["get"]["parameters"][0];
    assert_eq!(q["name"], "q");
    assert_eq!(q["schema"]["minLength"], 1);
    assert_eq!(
        get("/api/communes?q=").await.status,
        StatusCode::BAD_REQUEST
    );
}

/// `/api/suggestions` without `q` was invalid by the document (required) and answered 200.
#[tokio::test]
async fn regression_18_suggestions_without_q_are_refused() {
    let spec = get("/api/openapi.json").await.json();
    let q = &spec["paths"]["/api/suggestions"]["get"]["parameters"][0];
    assert_eq!(
        (q["name"].as_str(), q["required"].as_bool()),
        (Some("q"), Some(true))
    );
    let r = get("/api/suggestions").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["erreur"]["statut"], 400);
    assert_eq!(get("/api/suggestions?q=").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_document_lists_the_data_closed_lists() {
    let spec = get("/api/openapi.json").await.json();
    let themes: Vec<String> = get("/api/thematiques")
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap().to_owned())
        .collect();
    let p = spec["paths"]["/api/dispositifs"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "theme")
        .unwrap()
        .clone();
    let listed: Vec<String> = p["schema"]["items"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, themes);
}

/// Every operation declares its 304 and, when it reads parameters, its 400, with the JSON
/// error object as schema.
#[tokio::test]
async fn every_operation_declares_its_answers() {
    let spec = get("/api/openapi.json").await.json();
    for (path, item) in spec["paths"].as_object().unwrap() {
        let responses = &item["get"]["responses"];
        if path != "/healthz" {
            assert!(responses["304"].is_object(), "{path}: no 304");
        }
        if item["get"]["parameters"]
            .as_array()
            .is_some_and(|p| !p.is_empty())
        {
            let code = if path.contains('{') { "404" } else { "400" };
            assert_eq!(
                responses[code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorBody",
                "{path} {code}"
            );
        }
    }
}

fn fresh_state() -> referentiel_jeunesse::AppState {
    referentiel_jeunesse::AppState::with_clock(
        referentiel_jeunesse::search::Engine::in_ram(crate::util::shipped_data()).unwrap(),
        "http://test.local".into(),
        referentiel_jeunesse::clock::Clock::Fixed(crate::util::TODAY),
    )
}

async fn get_on(state: &referentiel_jeunesse::AppState, uri: &str) -> crate::util::Reply {
    let req = Request::builder().uri(uri).body(Body::empty()).unwrap();
    request_with(state.clone(), req).await
}

/// The cache was keyed on the raw address: another order or an unknown parameter made a
/// new entry, so anyone could bypass it or flush the useful entries.
#[tokio::test]
async fn regression_17_6_cache_keys_on_known_parameters_in_one_order() {
    let state = fresh_state();
    for uri in [
        "/api/dispositifs?q=permis&age=17",
        "/api/dispositifs?age=17&q=permis",
        "/api/dispositifs?age=17&q=permis&utm_source=x&page=1",
    ] {
        assert_eq!(get_on(&state, uri).await.status, StatusCode::OK, "{uri}");
    }
    assert_eq!(state.cache().len(), 1);
    for uri in [
        "/recherche?q=permis&theme=permis-mobilite&age=17",
        "/recherche?age=17&theme=permis-mobilite&q=%20permis&inconnu=1",
        "/recherche?age=17&theme=permis-mobilite&theme=permis-mobilite&q=permis&tri=pertinence",
    ] {
        assert_eq!(get_on(&state, uri).await.status, StatusCode::OK, "{uri}");
    }
    assert_eq!(state.cache().len(), 2);
    // A refused query is not cached; a path that reads no parameters is not cached with some.
    get_on(&state, "/api/dispositifs?age=abc").await;
    get_on(&state, "/dispositifs/sac-ados?x=1").await;
    get_on(&state, "/dispositifs/sac-ados?x=2").await;
    assert_eq!(state.cache().len(), 2);
    // A different answer gets its own entry.
    get_on(&state, "/api/dispositifs?q=permis&age=18").await;
    assert_eq!(state.cache().len(), 3);
}

#[tokio::test]
async fn equivalent_addresses_share_one_etag() {
    let a = get("/api/dispositifs?q=permis&age=17").await;
    let b = get("/api/dispositifs?age=17&q=permis&utm_source=x").await;
    assert_eq!(a.headers[header::ETAG], b.headers[header::ETAG]);
    let c = get("/api/dispositifs?age=18&q=permis").await;
    assert_ne!(a.headers[header::ETAG], c.headers[header::ETAG]);
}

/// Schemathesis found `/api/structures?dispositif=u` valid by the document (no list) and
/// refused: every closed list of the new endpoints is now written in the document, from the
/// same rule that checks it.
#[tokio::test]
async fn regression_18_new_endpoints_document_their_closed_lists() {
    let spec = get("/api/openapi.json").await.json();
    let values = |path: &str, name: &str| -> Vec<String> {
        let p = spec["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} has no {name}"))
            .clone();
        let schema = if p["schema"]["type"] == "array" {
            p["schema"]["items"].clone()
        } else {
            p["schema"].clone()
        };
        schema["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{path} {name}: no enum in {p}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    assert!(values("/api/structures", "dispositif").contains(&"sac-ados".to_owned()));
    assert!(values("/api/structures", "type").contains(&"mission-locale".to_owned()));
    assert!(values("/api/pour-moi", "situation").contains(&"handicap".to_owned()));
    assert!(values("/api/pour-moi", "theme").contains(&"vacances-loisirs".to_owned()));
    let r = get("/api/structures?dispositif=u").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Le dispositif"), "{}", r.body);
}

/// The search parameters are parsed once per request and kept in its extensions for the
/// ETag, the cache key and the handler; they are reused only for the same data version and
/// the same reading (API or page), so a reload in between or another reading parses again.
#[test]
fn parsed_search_parameters_are_reused_only_for_the_same_data_and_reading() {
    use referentiel_jeunesse::web::cache::Canonical;
    let data = crate::util::shipped_data();
    let mut ext = axum::http::Extensions::new();
    let raw = Some("age=17&q=permis&inconnu=1");
    let c = Canonical::of(&mut ext, "/api/dispositifs", raw, &data);
    assert_eq!(c.query(), Some("q=permis&age=17"));
    let p = Canonical::search(&ext, &data, true).expect("parsed for the API");
    assert_eq!((p.q.as_str(), p.age), ("permis", Some(17)));
    assert!(
        Canonical::search(&ext, &data, false).is_none(),
        "read as a page"
    );
    let mut reloaded = crate::util::shipped_data();
    reloaded.fingerprint = "autre-version".into();
    assert!(
        Canonical::search(&ext, &reloaded, true).is_none(),
        "data reloaded"
    );
    // Asked again against the new data, it is parsed again.
    let again = Canonical::of(&mut ext, "/api/dispositifs", Some("q=bafa"), &reloaded);
    assert_eq!(again.query(), Some("q=bafa"));
    // A refused query gives no key and no parameters.
    let mut ext = axum::http::Extensions::new();
    assert_eq!(
        Canonical::of(&mut ext, "/api/dispositifs", Some("age=abc"), &data).query(),
        None
    );
    assert!(Canonical::search(&ext, &data, true).is_none());
}

/// Each listed scheme's address is its sheet's, on the site's base address, and is the one
/// the scheme's own detail answer gives; the list is JSON with its content type.
#[tokio::test]
async fn listed_addresses_are_the_sheets() {
    let r = get("/api/dispositifs?q=permis&par_page=40").await;
    assert_eq!(
        r.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let v = r.json();
    let list = v["dispositifs"].as_array().expect("list");
    assert!(!list.is_empty());
    for d in list {
        let id = d["id"].as_str().expect("id");
        let url = d["url"].as_str().expect("url");
        assert!(url.ends_with(&format!("/dispositifs/{id}")), "{url}");
        let detail = get(&format!("/api/dispositifs/{id}")).await.json();
        assert_eq!(detail["url"].as_str(), Some(url), "{id}");
    }
}

/// A list's names and summaries (escaped once per engine) are the schemes' own texts, those
/// of the scheme's own answer and of the shipped data, on a first and a second search.
#[tokio::test]
async fn listed_texts_are_the_schemes_own() {
    let data = crate::util::shipped_data();
    let mut compared = 0;
    for q in ["", "permis", "job d’été", "permis"] {
        let v = get(&format!("/api/dispositifs?q={}&par_page=100", encode(q)))
            .await
            .json();
        for d in v["dispositifs"].as_array().expect("list") {
            let id = d["id"].as_str().expect("id");
            let scheme = data
                .schemes
                .iter()
                .find(|s| s.id.as_str() == id)
                .expect("a shipped scheme");
            assert_eq!(d["nom"].as_str(), Some(scheme.nom.as_str()), "{id}");
            assert_eq!(d["resume"].as_str(), Some(scheme.resume.as_str()), "{id}");
            compared += 1;
        }
    }
    assert!(compared > 100, "{compared}");
}
