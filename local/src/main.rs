//! `prepai-local` — run PrepAI on this machine, or print a token for it.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use prepai::AppContext;
use prepai::auth::LocalJwt;
use prepai::domain::QuotaLimits;
use prepai::entry::config::{Config, DEFAULT_DATA_DIR, StorageConfig, from_config};
use prepai::ports::{Clock, SystemClock};
use prepai_local::ServerState;
use prepai_local::secret::{self, SecretSource};
use prepai_local::web_app::{self, BuildOutcome};

#[derive(Parser)]
#[command(
    name = "prepai-local",
    about = "PrepAI's whole API on 127.0.0.1 with local storage"
)]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// Data directory (sessions, CVs, reports; and the generated signing secret).
    #[arg(long, env = "PREPAI_DATA_DIR", default_value = DEFAULT_DATA_DIR)]
    data: PathBuf,
    /// The built browser app to serve at `/`. Without it, the app in this checkout's `web/dist`, rebuilt first
    /// when its sources changed (needs Node.js).
    #[arg(long, env = "PREPAI_WEB_DIR")]
    web_dir: Option<PathBuf>,
    /// Serve the API only, without the browser app.
    #[arg(long, conflicts_with = "web_dir")]
    no_web: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Print a bearer token signed with the server's secret.
    Token {
        /// The user the token names (its `sub`).
        #[arg(long)]
        sub: String,
        /// A group to put in `cognito:groups` (repeatable), e.g. `--group admin`.
        #[arg(long = "group")]
        groups: Vec<String>,
        /// Hours until it expires.
        #[arg(long, default_value_t = 24 * 30)]
        hours: i64,
    },
}

const DEFAULT_SUB: &str = "local-user";

fn main() -> std::process::ExitCode {
    // Code runs re-execute this binary as a sandbox worker; that must happen before any runtime threads exist.
    prepai_sandbox::worker::run_if_requested();
    // The server holds the signing secret and the data directory; a worker of the same user that escaped its
    // interpreter must not be able to read its memory or environment through /proc or ptrace.
    if let Err(e) = prepai_sandbox::host::make_non_dumpable() {
        eprintln!("prepai-local: could not make the server non-dumpable ({e}); continuing");
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("prepai-local: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(Cli::parse())) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("prepai-local: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let (secret, source) = secret::load_or_create(&cli.data)
        .map_err(|e| format!("cannot read or create the signing secret: {e}"))?;
    let jwt = LocalJwt::new(&secret)?;
    if let Some(Command::Token { sub, groups, hours }) = cli.command {
        println!(
            "{}",
            jwt.mint(
                &sub,
                &groups,
                SystemClock.now(),
                chrono::Duration::hours(hours)
            )
        );
        return Ok(());
    }
    prepai::entry::init_tracing();
    let mut config = Config::from_env();
    if let StorageConfig::Filesystem { dir } = &mut config.storage {
        dir.clone_from(&cli.data);
        // Writes cut short by a crash or a kill leave temporary files (never a half-written object); this process
        // owns the directory, so none is in flight now.
        match prepai::adapters::local::FsObjectStore::new(dir.clone()).remove_leftover_temp_files()
        {
            Ok(0) => {}
            Ok(n) => {
                eprintln!("prepai-local: removed {n} unfinished write(s) left by an earlier run")
            }
            Err(e) => eprintln!(
                "prepai-local: could not tidy unfinished writes in {}: {e}",
                dir.display()
            ),
        }
    }
    // Your own machine: no daily quotas unless PREPAI_QUOTA_* ask for them.
    config.quotas =
        QuotaLimits::from_lookup(|name| std::env::var(name).ok(), QuotaLimits::UNLIMITED);
    let token = jwt.mint(
        DEFAULT_SUB,
        &[],
        SystemClock.now(),
        chrono::Duration::days(30),
    );
    let (speech, voice_notes) = prepai_local::speech::local_speech(config.voice).await;
    let ctx: AppContext = from_config(&config)
        .await
        .with_verifier(Arc::new(jwt))
        .with_code_runner(Arc::new(prepai_sandbox::LocalCodeRunner::default()))
        .with_speech(speech);
    let listener = tokio::net::TcpListener::bind(cli.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", cli.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    print_banner(addr, &config.storage, &source, &token);
    for note in voice_notes {
        println!("  {note}");
    }
    let mut state = ServerState::new(ctx);
    if let Some(dist) = web_dist(&cli) {
        state = state.with_web_dist(dist);
    }
    let state = Arc::new(state);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("\nprepai-local: shutting down");
    };
    prepai_local::serve(listener, state, shutdown)
        .await
        .map_err(|e| e.to_string())
}

/// The app to serve: the one named, or this checkout's, built now if its sources are newer than the build.
fn web_dist(cli: &Cli) -> Option<PathBuf> {
    if cli.no_web {
        return None;
    }
    if let Some(dir) = &cli.web_dir {
        return Some(dir.clone());
    }
    let source = web_app::source_dir();
    match web_app::build_if_stale(&source) {
        Ok(BuildOutcome::NoSources) => None,
        Ok(_) => Some(source.join("dist")),
        Err(problem) => {
            eprintln!("prepai-local: the web app was not rebuilt: {problem}");
            Some(source.join("dist"))
        }
    }
}

fn print_banner(addr: SocketAddr, storage: &StorageConfig, source: &SecretSource, token: &str) {
    // A closed stdout (a launcher that stopped reading) must not bring the server down.
    let mut out = std::io::stdout().lock();
    let storage = match storage {
        StorageConfig::Filesystem { dir } => format!("directory {}", dir.display()),
        StorageConfig::S3 { bucket, .. } => format!("S3 bucket {bucket}"),
    };
    let secret = match source {
        SecretSource::Environment => "PREPAI_JWT_SECRET".to_owned(),
        SecretSource::File(p) => format!("{} (kept from an earlier run)", p.display()),
        SecretSource::Generated(p) => format!("{} (new)", p.display()),
    };
    let _ = writeln!(
        out,
        "PrepAI local server listening on http://{addr}  (open it in a browser)"
    );
    let _ = writeln!(out, "  storage: {storage}");
    let _ = writeln!(out, "  signing secret: {secret}");
    let _ = writeln!(
        out,
        "  token for sub={DEFAULT_SUB} (30 days; `prepai-local token --sub NAME` makes others):"
    );
    let _ = writeln!(out, "\n{token}\n");
    let _ = writeln!(
        out,
        "  try: curl -H \"Authorization: Bearer <token>\" http://{addr}/api/sessions/list"
    );
}
