//! Login, sessions, cookies, CSRF and throttling (OWASP ASVS chapters 2, 3 and 4).

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use referentiel_jeunesse::store::Role;

use super::support::{Site, PASSWORD};

#[tokio::test]
async fn no_session_gives_303_for_pages_and_401_otherwise() {
    let site = Site::new().await;
    let mut browser = site.client();
    let r = browser.get("/redaction").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/connexion");
    let api = Request::builder()
        .uri("/redaction")
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .unwrap();
    assert_eq!(site.send(api).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn login_sets_a_new_session_id_with_strict_cookie_flags() {
    let site = Site::new().await;
    site.add("alice", Role::Redaction);
    let mut c = site.client();
    let form = c.get("/connexion").await;
    let before = c.cookie.clone().expect("pre-login cookie");
    let flags = form.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    for f in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(flags.contains(f), "{flags}");
    }
    assert!(!flags.contains("Secure"), "plain http in tests: {flags}");
    let r = c.login("alice", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let set = r.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let after = c.cookie.clone().unwrap();
    assert_ne!(before, after, "a new session id at login");
    // The pre-login cookie is worthless now.
    let mut old = site.client();
    old.cookie = Some(before);
    assert_eq!(old.get("/redaction").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn cookies_are_secure_and_host_prefixed_over_https() {
    let site = Site::with_base_url("https://jeunes.example.fr").await;
    let mut c = site.client();
    let r = c.get("/connexion").await;
    let set = r.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set.starts_with("__Host-redaction="), "{set}");
    assert!(
        set.contains("; Secure") && set.contains("HttpOnly"),
        "{set}"
    );
}

#[tokio::test]
async fn public_pages_set_no_cookie() {
    let site = Site::new().await;
    for uri in [
        "/",
        "/recherche?q=vacances",
        "/dispositifs/sac-ados",
        "/api/dispositifs",
        "/healthz",
    ] {
        let r = site
            .send(Request::builder().uri(uri).body(Body::empty()).unwrap())
            .await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(
            r.headers.get(header::SET_COOKIE).is_none(),
            "{uri} sets a cookie"
        );
    }
}

#[tokio::test]
async fn unknown_account_and_wrong_password_look_the_same() {
    let site = Site::new().await;
    site.add("alice", Role::Redaction);
    let mut a = site.client();
    let wrong = a.login("alice", "pas le bon mot de passe").await;
    let mut b = site.client();
    b.address = "192.0.2.11".into();
    let unknown = b.login("zoe", "pas le bon mot de passe").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, wrong.status);
    let message = |r: &crate::util::Reply| r.select("[role=alert]");
    assert_eq!(message(&wrong), message(&unknown));
    assert_eq!(
        message(&wrong),
        vec!["Identifiant ou mot de passe incorrect."]
    );
}

#[tokio::test]
async fn brute_force_is_throttled_per_account_then_released() {
    let site = Site::new().await;
    site.add("alice", Role::Redaction);
    let mut c = site.client();
    for _ in 0..5 {
        assert_eq!(
            c.login("alice", "mauvais mot de passe").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // From another address too, and even with the right password.
    let mut other = site.client();
    other.address = "198.51.100.7".into();
    let r = other.login("alice", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: i64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    site.now.advance(retry);
    assert_eq!(
        other.login("alice", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn brute_force_is_throttled_per_address() {
    let site = Site::new().await;
    site.add("alice", Role::Redaction);
    let mut c = site.client();
    for i in 0..5 {
        let r = c
            .login(&format!("inconnu{i}"), "mauvais mot de passe")
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = c.login("alice", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn missing_or_wrong_csrf_is_403_and_changes_nothing() {
    let site = Site::new().await;
    site.add("alice", Role::Redaction);
    let mut c = site.client();
    c.get("/connexion").await;
    let r = c
        .post_raw(
            "/connexion",
            "identifiant=alice&mot_de_passe=une+phrase+de+passe+solide",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "login without token");
    let r = c
        .post(
            "/connexion",
            &[
                ("identifiant", "alice"),
                ("mot_de_passe", PASSWORD),
                ("csrf", "0000"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "login with a wrong token");
    assert_eq!(
        c.login("alice", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let r = c.post_raw("/deconnexion", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "logout without token");
    assert_eq!(
        c.get("/redaction").await.status,
        StatusCode::OK,
        "still logged in"
    );
}

#[tokio::test]
async fn logout_ends_the_session() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let token = c.cookie.clone();
    let r = c.post("/deconnexion", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    c.cookie = token;
    assert_eq!(c.get("/redaction").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn sessions_expire_after_8_idle_hours_and_24_hours_in_all() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    site.now.advance(7 * 3600);
    assert_eq!(c.get("/redaction").await.status, StatusCode::OK);
    site.now.advance(8 * 3600 + 1);
    assert_eq!(
        c.get("/redaction").await.status,
        StatusCode::SEE_OTHER,
        "idle"
    );

    let mut c = site.client();
    c.login("alice", PASSWORD).await;
    for _ in 0..3 {
        site.now.advance(7 * 3600);
        assert_eq!(c.get("/redaction").await.status, StatusCode::OK);
    }
    site.now.advance(3 * 3600 + 1);
    assert_eq!(
        c.get("/redaction").await.status,
        StatusCode::SEE_OTHER,
        "absolute"
    );
}

#[tokio::test]
async fn editor_pages_are_not_cached_and_say_noindex() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let r = c.get("/redaction").await;
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
    assert!(r.headers.contains_key(header::CONTENT_SECURITY_POLICY));
    assert!(r.body.contains("noindex"));
}
