//! The `comptes` command: create, list and disable editor accounts from the terminal.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use super::{Role, Store};
use crate::config::AccountCommand;
use crate::scheme::Slug;

pub fn run(cmd: AccountCommand) -> ExitCode {
    match run_inner(cmd) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The password: prompted twice (without echo) on a terminal, else one line of standard input.
fn read_password() -> Result<String, String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Mot de passe : ").map_err(|e| e.to_string())?;
        let again =
            rpassword::prompt_password("Le même, encore une fois : ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("Les deux mots de passe diffèrent : rien n’a été créé.".into());
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("lecture du mot de passe impossible : {e}"))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

fn run_inner(cmd: AccountCommand) -> Result<(), String> {
    match cmd {
        AccountCommand::Ajouter {
            identifiant,
            role,
            structure,
            state,
        } => {
            let role = match (role.as_str(), structure) {
                ("redaction", None) => Role::Redaction,
                ("redaction", Some(_)) => {
                    return Err("--structure ne va qu’avec --role structure.".into())
                }
                (_, Some(s)) => Role::Structure(Slug::parse(&s).ok_or_else(|| {
                    format!("--structure « {s} » : seulement a-z, 0-9 et tirets")
                })?),
                (_, None) => return Err("--role structure demande --structure ID.".into()),
            };
            let store = Store::open(&state.etat).map_err(|e| e.to_string())?;
            let password = read_password()?;
            store
                .add_account(&identifiant, role.clone(), &password)
                .map_err(|e| format!("Compte non créé : {e}"))?;
            let what = match &role {
                Role::Redaction => "rédaction".to_owned(),
                Role::Structure(s) => format!("structure « {s} »"),
            };
            println!(
                "Compte « {} » créé ({what}).",
                identifiant.trim().to_lowercase()
            );
            Ok(())
        }
        AccountCommand::Lister { state } => {
            let store = Store::open(&state.etat).map_err(|e| e.to_string())?;
            let accounts = store.accounts().map_err(|e| e.to_string())?;
            if accounts.is_empty() {
                println!("Aucun compte. Crée le premier avec : referentiel comptes ajouter IDENTIFIANT --role redaction");
            }
            for a in accounts {
                let role = match &a.role {
                    Role::Redaction => "redaction".to_owned(),
                    Role::Structure(s) => format!("structure {s}"),
                };
                let state = if a.active { "actif" } else { "désactivé" };
                println!("{:<32} {:<40} {state}", a.id, role);
            }
            Ok(())
        }
        AccountCommand::Desactiver { identifiant, state } => {
            let store = Store::open(&state.etat).map_err(|e| e.to_string())?;
            store
                .disable_account(&identifiant)
                .map_err(|e| e.to_string())?;
            println!("Compte « {identifiant} » désactivé ; ses sessions sont fermées.");
            Ok(())
        }
    }
}
