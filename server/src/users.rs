//! `kiosque-server user add|list|remove|password`: the newsroom's accounts. Passwords are read from
//! standard input, never from the command line (which `ps` and shell histories show): typed twice,
//! unechoed, on a terminal; one line from a pipe (`printf '%s\n' "$PASSWORD" | kiosque-server …`).

use std::io::{BufRead, IsTerminal};

use kiosque_server::accounts::{self, Role};
use kiosque_server::cli::UserCommand;
use kiosque_server::store::{Store, UserRow};
use kiosque_server::time::{now_ms, rfc3339_utc};

use crate::{open_existing, CLI_ACTOR};

pub async fn run(command: UserCommand) -> Result<(), String> {
    match command {
        UserCommand::Add { name, role, storage } => add(&open_existing(&storage).await?, &name, role).await,
        UserCommand::List { storage } => list(&open_existing(&storage).await?).await,
        UserCommand::Remove { name, storage } => remove(&open_existing(&storage).await?, &name).await,
        UserCommand::Password { name, storage } => password(&open_existing(&storage).await?, &name).await,
    }
}

/// The new password: twice with confirmation on a terminal, one line from a pipe.
fn read_password(name: &str) -> Result<String, String> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("Password for {name}: ")).map_err(|error| format!("cannot read the password: {error}"))?;
        let again = rpassword::prompt_password("The same again: ").map_err(|error| format!("cannot read the password: {error}"))?;
        if first != again {
            return Err("the two passwords differ; nothing changed".into());
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|error| format!("cannot read the password from standard input: {error}"))?;
        line.trim_end_matches(['\n', '\r']).to_string()
    };
    accounts::check_password(&password)?;
    Ok(password)
}

async fn hash(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || accounts::hash_password(&password)).await.map_err(|error| error.to_string())?
}

async fn add(store: &Store, name: &str, role: Role) -> Result<(), String> {
    accounts::check_name(name)?;
    if store.user(name).await.map_err(|error| error.to_string())?.is_some() {
        return Err(format!("an account “{name}” already exists (change its password with `user password {name}`)"));
    }
    let password_hash = hash(read_password(name)?).await?;
    let now = now_ms();
    let user = UserRow { name: name.to_string(), role: role.as_str().to_string(), password_hash, created_ms: now };
    if !store.add_user(user).await.map_err(|error| error.to_string())? {
        return Err(format!("an account “{name}” already exists"));
    }
    store
        .audit(CLI_ACTOR, "user add", None, Some(format!("{name} ({})", role.as_str())), now)
        .await
        .map_err(|error| error.to_string())?;
    println!("Account {name} ({}) created. Sign in at /admin/ (the admin API: /admin/api/session).", role.as_str());
    Ok(())
}

async fn list(store: &Store) -> Result<(), String> {
    let users = store.users().await.map_err(|error| error.to_string())?;
    if users.is_empty() {
        println!("No accounts. Create the first with `kiosque-server user add NAME --role admin`.");
    }
    for user in &users {
        println!("{}  {}  since {}", user.name, user.role, rfc3339_utc(user.created_ms));
    }
    Ok(())
}

async fn remove(store: &Store, name: &str) -> Result<(), String> {
    if !store.remove_user(name).await.map_err(|error| error.to_string())? {
        return Err(format!("no account “{name}”"));
    }
    store.audit(CLI_ACTOR, "user remove", None, Some(name.to_string()), now_ms()).await.map_err(|error| error.to_string())?;
    println!("Account {name} removed; its sessions are over.");
    Ok(())
}

async fn password(store: &Store, name: &str) -> Result<(), String> {
    if store.user(name).await.map_err(|error| error.to_string())?.is_none() {
        return Err(format!("no account “{name}”"));
    }
    let password_hash = hash(read_password(name)?).await?;
    if !store.set_password(name, password_hash).await.map_err(|error| error.to_string())? {
        return Err(format!("no account “{name}”"));
    }
    store.audit(CLI_ACTOR, "user password", None, Some(name.to_string()), now_ms()).await.map_err(|error| error.to_string())?;
    println!("Password of {name} changed; its sessions are over.");
    Ok(())
}
