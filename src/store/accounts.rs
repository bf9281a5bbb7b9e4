//! Accounts: Argon2id password hashes, the password policy, roles, verification with the same
//! cost for an unknown account as for a wrong password.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rusqlite::{params, OptionalExtension};

use super::{Store, StoreError};
use crate::scheme::Slug;

/// Shortest accepted password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest accepted password (hashing cost stays bounded).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Passwords refused whatever their length (compared without case, spaces or accents).
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "azertyuiop12",
    "azertyuiop123",
    "azertyuiopqsdf",
    "qwertyuiop12",
    "qwertyuiop123",
    "motdepasse12",
    "motdepasse123",
    "motdepasse1234",
    "password1234",
    "password12345",
    "passwordpassword",
    "motdepassemotdepasse",
    "pasdecalais62",
    "pasdecalais62000",
    "jeunesse2024",
    "jeunesse2025",
    "jeunesse2026",
    "bonjour12345",
    "soleil123456",
    "iloveyou1234",
    "aaaaaaaaaaaa",
    "000000000000",
    "111111111111",
    "administrateur",
    "administrateur1",
    "referentiel62",
    "redaction2026",
];

/// What an account may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// The Département's team: every scheme and structure, approvals, synonyms.
    Redaction,
    /// A place: proposes changes to its own structure only.
    Structure(Slug),
}

impl Role {
    pub fn label(&self) -> &'static str {
        match self {
            Role::Redaction => "redaction",
            Role::Structure(_) => "structure",
        }
    }
}

/// An account as stored (without its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub role: Role,
    pub active: bool,
}

/// Normalises and checks an identifier: 2 to 64 of `a-z 0-9 . _ - @`.
pub fn identifier(raw: &str) -> Result<String, StoreError> {
    let id = raw.trim().to_lowercase();
    let ok = (2..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_@".contains(&b));
    if ok {
        Ok(id)
    } else {
        Err(StoreError::InvalidAccount(format!(
            "identifiant « {raw} » : de 2 à 64 caractères parmi a-z, 0-9, « . », « - », « _ » et « @ »"
        )))
    }
}

/// The password policy: length, and not a common password (nor the identifier itself).
pub fn check_password(id: &str, password: &str) -> Result<(), StoreError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(StoreError::WeakPassword(format!(
            "mot de passe trop court : au moins {MIN_PASSWORD_CHARS} caractères ({chars} donnés)"
        )));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(StoreError::WeakPassword(format!(
            "mot de passe trop long : au plus {MAX_PASSWORD_CHARS} caractères"
        )));
    }
    let plain: String = crate::text::fold(password)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let distinct = {
        let mut c: Vec<char> = plain.chars().collect();
        c.sort_unstable();
        c.dedup();
        c.len()
    };
    if COMMON_PASSWORDS.contains(&plain.as_str())
        || distinct < 4
        || (id.len() >= 4 && plain.contains(id))
    {
        return Err(StoreError::WeakPassword(
            "mot de passe trop courant ou trop simple : choisis une phrase de passe à toi".into(),
        ));
    }
    Ok(())
}

/// Argon2id with the crate's defaults (19 MiB, 2 passes, 1 lane: OWASP's recommendation).
fn hasher() -> Argon2<'static> {
    Argon2::default()
}

pub fn hash_password(password: &str) -> Result<String, StoreError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| StoreError::Random(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| StoreError::Hash(e.to_string()))?;
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Hash(e.to_string()))
}

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| hasher().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// A hash checked when the account does not exist, so that both cases cost the same.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("compte-inexistant-pour-le-temps-constant").unwrap_or_default());

fn role_from(role: &str, structure: Option<String>) -> Role {
    match (role, structure.as_deref().and_then(Slug::parse)) {
        ("structure", Some(s)) => Role::Structure(s),
        _ => Role::Redaction,
    }
}

impl Store {
    /// Creates an account after checking the identifier and the password policy.
    pub fn add_account(&self, raw_id: &str, role: Role, password: &str) -> Result<(), StoreError> {
        let id = identifier(raw_id)?;
        check_password(&id, password)?;
        let hash = hash_password(password)?;
        let structure = match &role {
            Role::Redaction => None,
            Role::Structure(s) => Some(s.to_string()),
        };
        let done = self.conn().execute(
            "INSERT INTO accounts (id, role, structure, hash, active, created_at)
             VALUES (?1, ?2, ?3, ?4, 1, ?5) ON CONFLICT(id) DO NOTHING",
            params![id, role.label(), structure, hash, self.now()],
        )?;
        if done == 0 {
            return Err(StoreError::AccountExists(id));
        }
        Ok(())
    }

    pub fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT id, role, structure, active FROM accounts ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(Account {
                id: r.get(0)?,
                role: role_from(&r.get::<_, String>(1)?, r.get(2)?),
                active: r.get::<_, i64>(3)? != 0,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Disables an account and ends its sessions.
    pub fn disable_account(&self, raw_id: &str) -> Result<(), StoreError> {
        let id = raw_id.trim().to_lowercase();
        let conn = self.conn();
        let n = conn.execute("UPDATE accounts SET active = 0 WHERE id = ?1", [&id])?;
        if n == 0 {
            return Err(StoreError::UnknownAccount(id));
        }
        conn.execute("DELETE FROM sessions WHERE account = ?1", [&id])?;
        Ok(())
    }

    /// An active account by identifier.
    pub fn account(&self, id: &str) -> Result<Option<Account>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id, role, structure, active FROM accounts WHERE id = ?1 AND active = 1",
                [id],
                |r| {
                    Ok(Account {
                        id: r.get(0)?,
                        role: role_from(&r.get::<_, String>(1)?, r.get(2)?),
                        active: true,
                    })
                },
            )
            .optional()?)
    }

    /// Checks a login. Blocking (Argon2): call it off the async threads. An unknown or
    /// disabled account costs one verification too, and answers `None` like a wrong password.
    pub fn verify_login(
        &self,
        raw_id: &str,
        password: &str,
    ) -> Result<Option<Account>, StoreError> {
        let id = raw_id.trim().to_lowercase();
        let stored: Option<String> = self
            .conn()
            .query_row(
                "SELECT hash FROM accounts WHERE id = ?1 AND active = 1",
                [&id],
                |r| r.get(0),
            )
            .optional()?;
        let password = if password.chars().count() > MAX_PASSWORD_CHARS {
            ""
        } else {
            password
        };
        match stored {
            Some(hash) if verify(password, &hash) => self.account(&id),
            Some(_) => Ok(None),
            None => {
                verify(password, &DUMMY_HASH);
                Ok(None)
            }
        }
    }
}
