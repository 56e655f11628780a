//! `kiosque-server`: serves the API, or moderates comments (`pending`, `approve`, `delete`).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use kiosque_server::cli::{self, Command, ServeOptions};
use kiosque_server::store::{Store, DATABASE_FILE};
use kiosque_server::time::rfc3339_utc;

fn main() -> ExitCode {
    let command = match cli::parse(std::env::args().skip(1).collect()) {
        Ok(command) => command,
        Err(cli::UsageError(message)) => {
            eprintln!("kiosque-server: {message} (see kiosque-server --help)");
            return ExitCode::from(2);
        }
    };
    let outcome = match command {
        Command::Help => {
            print!("{}", cli::USAGE);
            Ok(())
        }
        Command::Serve(options) => serve(options),
        Command::Pending { data } => open_existing(&data).and_then(|store| pending(&store)),
        Command::Approve { id, data } => open_existing(&data).and_then(|store| approve(&store, id)),
        Command::Delete { id, data } => open_existing(&data).and_then(|store| delete(&store, id)),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kiosque-server: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(options: ServeOptions) -> Result<(), String> {
    kiosque_server::observe::init_logs(options.log_format, options.log_level).map_err(|error| error.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|error| error.to_string())?;
    runtime.block_on(async {
        let addr = options.addr;
        let summary = format!(
            "moderation {}, captcha {}, rate limit {}, data {}{}{}",
            if options.moderation { "on" } else { "off" },
            options.captcha.name(),
            options.rate_limit.map_or("off".to_string(), |limit| format!("{} burst, {}/min", limit.burst, limit.per_minute)),
            options.data.display(),
            options.static_dir.as_ref().map(|dir| format!(", static {}", dir.display())).unwrap_or_default(),
            if options.test_mode { ", TEST MODE" } else { "" },
        );
        let state = kiosque_server::prepare(options).map_err(|error| error.to_string())?;
        let articles = state.library.len();
        let listener =
            tokio::net::TcpListener::bind(addr).await.map_err(|error| format!("cannot listen on {addr}: {error}"))?;
        let bound = listener.local_addr().map_err(|error| error.to_string())?;
        // On stdout, one line, so scripts and tests can find the port when given port 0.
        println!("kiosque-server listening on http://{bound} ({articles} articles; {summary})");
        let _ = std::io::stdout().flush();
        tracing::info!(address = %bound, articles, "listening");
        kiosque_server::run(state, listener, shutdown_signal()).await.map_err(|error| error.to_string())?;
        tracing::info!("stopped");
        Ok(())
    })
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

/// The moderation commands work on a server's existing data, never on a new empty one.
fn open_existing(data: &Path) -> Result<Store, String> {
    if !data.join(DATABASE_FILE).is_file() {
        return Err(format!("no database in {} (start the server with --data {} first)", data.display(), data.display()));
    }
    Store::open(data).map_err(|error| format!("cannot open the database in {}: {error}", data.display()))
}

fn pending(store: &Store) -> Result<(), String> {
    let comments = store.pending().map_err(|error| error.to_string())?;
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

fn approve(store: &Store, id: i64) -> Result<(), String> {
    match store.approve(id) {
        Ok(true) => {
            println!("Comment #{id} approved.");
            Ok(())
        }
        Ok(false) => Err(format!("no comment #{id}")),
        Err(error) => Err(error.to_string()),
    }
}

fn delete(store: &Store, id: i64) -> Result<(), String> {
    match store.delete(id) {
        Ok(0) => Err(format!("no comment #{id}")),
        Ok(1) => {
            println!("Comment #{id} deleted.");
            Ok(())
        }
        Ok(count) => {
            println!("Comment #{id} deleted, with its {} replies.", count - 1);
            Ok(())
        }
        Err(error) => Err(error.to_string()),
    }
}
