//! The partners' API: OpenAPI description checked against real answers, exports equal to
//! the API, conditional requests, CORS, communes.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use referentiel_jeunesse::web::openapi::EXAMPLES;

use crate::util::{get, request_with, test_state};

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
