//! `kiosque-server`: serves the API, or moderates comments and backs up the database.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use kiosque_server::cli::{Cli, Command, ServeOptions, StorageArgs};
use kiosque_server::store::{Database, Store};
use kiosque_server::store::Action;
use kiosque_server::time::{now_ms, rfc3339_utc};

mod users;

/// Who the audit trail names for what is done from the command line.
const CLI_ACTOR: &str = "command line";

fn main() -> ExitCode {
    // clap prints usage mistakes and exits with status 2, and --help / --version with 0.
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("kiosque-server: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async move {
        match cli.command {
            None => serve(cli.serve.options()).await,
            Some(Command::Pending { storage }) => pending(&open_existing(&storage).await?).await,
            Some(Command::Approve { id, storage }) => approve(&open_existing(&storage).await?, id).await,
            Some(Command::Delete { id, storage }) => delete(&open_existing(&storage).await?, id).await,
            Some(Command::Restore { id, storage }) => restore(&open_existing(&storage).await?, id).await,
            Some(Command::User { command }) => users::run(command).await,
            Some(Command::Export { email, storage }) => export(&open_existing(&storage).await?, &email).await,
            Some(Command::Erase { email, storage }) => erase(&open_existing(&storage).await?, &email).await,
            Some(Command::Backup { file, storage }) => backup(&open_existing(&storage).await?, &file).await,
            Some(Command::ImportWxr { file, storage }) => import_wxr(&storage, &file).await,
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kiosque-server: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(options: ServeOptions) -> Result<(), String> {
    kiosque_server::observe::init_logs(options.log_format, options.log_level).map_err(|error| error.to_string())?;
    let addr = options.addr;
    let summary = format!(
        "moderation {}, captcha {}, rate limit {}, database {}{}{}",
        if options.moderation { "on" } else { "off" },
        options.captcha.name(),
        options.rate_limit.map_or("off".to_string(), |limit| format!("{} burst, {}/min", limit.burst, limit.per_minute)),
        options.database(),
        options.static_dir.as_ref().map(|dir| format!(", static {}", dir.display())).unwrap_or_default(),
        if options.test_mode { ", TEST MODE" } else { "" },
    );
    let state = kiosque_server::prepare(options).await.map_err(|error| error.to_string())?;
    let articles = state.library.len();
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|error| format!("cannot listen on {addr}: {error}"))?;
    let bound = listener.local_addr().map_err(|error| error.to_string())?;
    // On stdout, one line, so scripts and tests can find the port when given port 0.
    println!("kiosque-server listening on http://{bound} ({articles} articles; {summary})");
    let _ = std::io::stdout().flush();
    tracing::info!(address = %bound, articles, "listening");
    kiosque_server::run(state, listener, shutdown_signal()).await.map_err(|error| error.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM (what `kill`, systemd and container runtimes send).
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("stopping, finishing requests in flight");
}

/// The subcommands work on a server's existing data, never on a new empty SQLite file.
pub(crate) async fn open_existing(storage: &StorageArgs) -> Result<Store, String> {
    let database = storage.database();
    if let Database::Sqlite(path) = &database {
        if !path.is_file() {
            let data = storage.data.display();
            return Err(format!("no database at {} (start the server with --data {data} or --database {database} first)", path.display()));
        }
    }
    Store::open(&database).await.map_err(|error| format!("cannot open the database {database}: {error}"))
}

async fn pending(store: &Store) -> Result<(), String> {
    let comments = store.pending().await.map_err(|error| error.to_string())?;
    if comments.is_empty() {
        println!("No comments waiting for moderation.");
        return Ok(());
    }
    for comment in &comments {
        let reply = comment.parent_id.map(|parent| format!("  reply to #{parent}")).unwrap_or_default();
        println!("#{}  {}  {}{reply}", comment.id, comment.article_id, rfc3339_utc(comment.created_ms));
        let email = comment.author_email.as_ref().map(|email| format!(" <{email}>")).unwrap_or_default();
        let url = comment.author_url.as_ref().map(|url| format!("  {url}")).unwrap_or_default();
        println!("    {}{email}{url}", comment.author_name);
        for line in comment.text.lines() {
            println!("    | {line}");
        }
        println!();
    }
    println!("{} pending. Publish with `kiosque-server approve ID`, remove with `kiosque-server delete ID`.", comments.len());
    Ok(())
}

/// Applies `action` to one comment; `false` (said on stdout) when it was in that state already.
async fn moderate(store: &Store, id: i64, action: Action) -> Result<bool, String> {
    let changed = store.moderate(vec![id], action, CLI_ACTOR, now_ms()).await.map_err(|error| error.to_string())?;
    if changed.contains(&id) {
        return Ok(true);
    }
    let comment = store.comment(id).await.map_err(|error| error.to_string())?.ok_or_else(|| format!("no comment #{id}"))?;
    println!("Comment #{id} is {} already; nothing changed.", comment.status.as_str());
    Ok(false)
}

async fn approve(store: &Store, id: i64) -> Result<(), String> {
    if moderate(store, id, Action::Approve).await? {
        println!("Comment #{id} approved.");
    }
    Ok(())
}

async fn delete(store: &Store, id: i64) -> Result<(), String> {
    if moderate(store, id, Action::Delete).await? {
        println!("Comment #{id} deleted (replies kept; its text stays in the database: `restore {id}` brings it back).");
    }
    Ok(())
}

async fn restore(store: &Store, id: i64) -> Result<(), String> {
    match store.comment(id).await.map_err(|error| error.to_string())? {
        Some(comment) if comment.text.is_empty() => return Err(format!("comment #{id} was erased; there is nothing to restore")),
        _ => {}
    }
    if moderate(store, id, Action::Restore).await? {
        println!("Comment #{id} restored and published.");
    }
    Ok(())
}

async fn export(store: &Store, email: &str) -> Result<(), String> {
    let rows = store.export(email).await.map_err(|error| error.to_string())?;
    store
        .audit(CLI_ACTOR, "export", None, Some(format!("{} comments", rows.len())), now_ms())
        .await
        .map_err(|error| error.to_string())?;
    let mut exported = kiosque_server::admin::export_json(&rows);
    let subscriptions = store.export_subscriptions(email).await.map_err(|error| error.to_string())?;
    exported["reply_notifications"] = kiosque_server::notifications::export_json(&subscriptions);
    let json = serde_json::to_string_pretty(&exported).map_err(|error| error.to_string())?;
    println!("{json}");
    Ok(())
}

async fn erase(store: &Store, email: &str) -> Result<(), String> {
    if email.trim().is_empty() {
        return Err("--email: the reader's address".into());
    }
    let erased = store.erase(email, CLI_ACTOR, now_ms()).await.map_err(|error| error.to_string())?;
    println!("{} comments erased (their places in the threads show \"comment deleted\").", erased.len());
    Ok(())
}

/// Reads the whole export before touching the database: a file that is not a WordPress export
/// changes nothing, and the comments go in in one transaction.
async fn import_wxr(storage: &StorageArgs, file: &Path) -> Result<(), String> {
    let xml = std::fs::read(file).map_err(|error| format!("cannot read {}: {error}", file.display()))?;
    let xml = String::from_utf8(xml).map_err(|_| format!("{} is not UTF-8 text; WordPress writes its exports in UTF-8", file.display()))?;
    let export = kiosque_server::wxr::read_export(&xml).map_err(|error| format!("{}: {error}", file.display()))?;
    // The server's database, created if this is its first use (the import may come before the server).
    let database = storage.database();
    let store = Store::open(&database).await.map_err(|error| format!("cannot open the database {database}: {error}"))?;
    let outcomes = store.import_comments(export.site.clone(), export.comments.clone()).await.map_err(|error| error.to_string())?;
    let articles = kiosque_server::wxr::summarize(&export, &outcomes);
    println!("Imported from {} ({}).", file.display(), export.site);
    println!("{}", kiosque_server::wxr::summary_text(&articles));
    Ok(())
}

async fn backup(store: &Store, file: &Path) -> Result<(), String> {
    store.backup(file).await.map_err(|error| error.to_string())?;
    println!("Backed up to {}. To restore: stop the server, then put this file in place of the database file.", file.display());
    Ok(())
}
