//! Accounts: Argon2id hashes, the password policy, the `comptes` command, migrations.

use std::io::Write;
use std::process::{Command, Stdio};

use referentiel_jeunesse::scheme::Slug;
use referentiel_jeunesse::store::{Role, Store, StoreError};

const GOOD: &str = "une phrase de passe solide";

#[test]
fn passwords_are_stored_as_argon2id_and_verified() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.add_account("Alice", Role::Redaction, GOOD).unwrap();
    let hash: String = rusqlite::Connection::open(dir.path().join("etat.sqlite3"))
        .unwrap()
        .query_row("SELECT hash FROM accounts WHERE id = 'alice'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(GOOD));
    assert!(store.verify_login("alice", GOOD).unwrap().is_some());
    assert!(store.verify_login(" ALICE ", GOOD).unwrap().is_some());
    assert!(store
        .verify_login("alice", "une phrase de passe solidE")
        .unwrap()
        .is_none());
    assert!(store.verify_login("bob", GOOD).unwrap().is_none());
}

#[test]
fn weak_passwords_and_bad_identifiers_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for weak in [
        "court",
        "motdepasse123",
        "Azertyuiop12",
        "aaaaaaaaaaaaaaaa",
        "alice-alice-alice",
    ] {
        let e = store
            .add_account("alice", Role::Redaction, weak)
            .unwrap_err();
        assert!(matches!(e, StoreError::WeakPassword(_)), "{weak}: {e}");
    }
    for bad in ["a", "../etc", "nom avec espace", ""] {
        let e = store.add_account(bad, Role::Redaction, GOOD).unwrap_err();
        assert!(matches!(e, StoreError::InvalidAccount(_)), "{bad}: {e}");
    }
    assert!(store.accounts().unwrap().is_empty(), "nothing created");
    store.add_account("alice", Role::Redaction, GOOD).unwrap();
    let again = store
        .add_account("alice", Role::Redaction, GOOD)
        .unwrap_err();
    assert!(matches!(again, StoreError::AccountExists(_)));
}

#[test]
fn disabled_accounts_cannot_log_in_and_lose_their_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let ml = Role::Structure(Slug::parse("pij-mericourt").unwrap());
    store.add_account("pij", ml.clone(), GOOD).unwrap();
    let account = store.verify_login("pij", GOOD).unwrap().expect("logs in");
    assert_eq!(account.role, ml);
    let session = store.create_session(Some(account)).unwrap();
    assert!(store.session(&session.token).unwrap().is_some());
    store.disable_account("pij").unwrap();
    assert!(store.verify_login("pij", GOOD).unwrap().is_none());
    assert!(store.session(&session.token).unwrap().is_none());
}

#[test]
fn migrations_run_once_and_reopening_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("etat")).unwrap();
    let version = store.schema_version().unwrap();
    assert!(version >= 3, "{version}");
    store.add_account("alice", Role::Redaction, GOOD).unwrap();
    drop(store);
    let again = Store::open(&dir.path().join("etat")).unwrap();
    assert_eq!(again.schema_version().unwrap(), version);
    assert_eq!(again.accounts().unwrap().len(), 1);
}

fn comptes(etat: &std::path::Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_referentiel"))
        .arg("comptes")
        .args(args)
        .arg("--etat")
        .arg(etat)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn comptes_command_adds_lists_and_disables() {
    let dir = tempfile::tempdir().unwrap();
    let etat = dir.path().join("etat");
    let (ok, out, err) = comptes(
        &etat,
        &["ajouter", "alice", "--role", "redaction"],
        &format!("{GOOD}\n"),
    );
    assert!(ok, "{out}{err}");
    let (ok, _, err) = comptes(&etat, &["ajouter", "bob", "--role", "redaction"], "court\n");
    assert!(!ok);
    assert!(err.contains("trop court"), "{err}");
    let (ok, _, err) = comptes(
        &etat,
        &["ajouter", "pij", "--role", "structure"],
        &format!("{GOOD}\n"),
    );
    assert!(!ok && err.contains("--structure"), "{err}");
    let (ok, _, _) = comptes(
        &etat,
        &[
            "ajouter",
            "pij",
            "--role",
            "structure",
            "--structure",
            "pij-mericourt",
        ],
        &format!("{GOOD}\n"),
    );
    assert!(ok);
    let (ok, out, _) = comptes(&etat, &["lister"], "");
    assert!(ok);
    assert!(
        out.contains("alice") && out.contains("structure pij-mericourt"),
        "{out}"
    );
    assert!(!out.contains("bob"));
    let (ok, _, _) = comptes(&etat, &["desactiver", "alice"], "");
    assert!(ok);
    let (_, out, _) = comptes(&etat, &["lister"], "");
    assert!(
        out.lines()
            .any(|l| l.starts_with("alice") && l.contains("désactivé")),
        "{out}"
    );
}
