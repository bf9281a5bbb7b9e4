//! Regression tests for issue 17 (hardening): index clean-up, CSV formulas, data size and
//! symlinks, `/healthz`, bounded errors, French rejections with security headers, embed errors.

use referentiel_jeunesse::search::Engine;

use crate::util::shipped_data;

/// Issue 17, point 4: the clean-up deletes only the folders the program creates.
#[test]
fn issue17_index_cleanup_keeps_what_it_did_not_create() {
    let root = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("precieux.txt"), "à garder").unwrap();
    let foreign = ["vault-backup", "v4-notes", "vieux", "v4-0123456789abcdeg"];
    for name in foreign {
        std::fs::create_dir(root.path().join(name)).unwrap();
        std::fs::write(root.path().join(name).join("f.txt"), "x").unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), root.path().join("v1-0123456789abcdef")).unwrap();
    let stale = ["v3-0123456789abcdef", ".building-42-0123456789abcdef"];
    for name in stale {
        std::fs::create_dir(root.path().join(name)).unwrap();
    }
    Engine::on_disk(shipped_data(), root.path()).expect("index");
    for name in foreign {
        assert!(
            root.path().join(name).join("f.txt").exists(),
            "{name} deleted"
        );
    }
    #[cfg(unix)]
    assert!(
        std::fs::symlink_metadata(root.path().join("v1-0123456789abcdef")).is_ok(),
        "symlink deleted"
    );
    assert!(outside.path().join("precieux.txt").exists());
    for name in stale {
        assert!(!root.path().join(name).exists(), "{name} kept");
    }
}
