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
    /// Open the sign-in link in the default browser (xdg-open, or open on macOS); a failure is only reported.
    #[arg(long)]
    open: bool,
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
        /// Seconds until it expires, instead of --hours (a short-lived token shows the app refreshing it).
        #[arg(long, conflicts_with = "hours")]
        seconds: Option<i64>,
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
    let jwt = Arc::new(LocalJwt::new(&secret)?);
    if let Some(Command::Token {
        sub,
        groups,
        hours,
        seconds,
    }) = cli.command
    {
        let ttl = seconds.map_or_else(|| chrono::Duration::hours(hours), chrono::Duration::seconds);
        println!("{}", jwt.mint(&sub, &groups, SystemClock.now(), ttl));
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
        .with_verifier(jwt.clone())
        .with_code_runner(Arc::new(prepai_sandbox::LocalCodeRunner::default()))
        .with_speech(speech);
    let listener = tokio::net::TcpListener::bind(cli.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", cli.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let link = sign_in_link(addr, &token);
    print_banner(addr, &config.storage, &source, &link);
    for note in voice_notes {
        println!("  {note}");
    }
    if cli.open {
        open_in_browser(&link);
    }
    let mut state = ServerState::new(ctx).with_local_tokens(jwt);
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

/// The app's address with the token in its fragment: browsers never send a fragment to the server, so the token
/// stays out of every request line and log; the app reads it, keeps it in the tab, and removes it from the address
/// bar.
pub fn sign_in_link(addr: SocketAddr, token: &str) -> String {
    let host = if addr.ip().is_unspecified() {
        format!("127.0.0.1:{}", addr.port())
    } else {
        addr.to_string()
    };
    format!("http://{host}/#token={token}")
}

/// Hands the link to the desktop's opener; where there is none (a server, a container) the link is printed anyway.
fn open_in_browser(link: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(opener)
        .arg(link)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        // Reap it in the background; its exit status says nothing we could act on.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => {
            eprintln!("prepai-local: could not open a browser ({opener}: {e}); open the link above")
        }
    }
}

fn print_banner(addr: SocketAddr, storage: &StorageConfig, source: &SecretSource, link: &str) {
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
        "  sign in as {DEFAULT_SUB} with this link (30 days; the token is in the #fragment, which browsers never send \
         to a server; the app refreshes it before it expires):"
    );
    let _ = writeln!(out, "\n  {link}\n");
    let _ = writeln!(
        out,
        "  API from a terminal: TOKEN=$(prepai-local --data <dir> token --sub NAME); curl -H \"Authorization: Bearer \
         $TOKEN\" http://{addr}/api/sessions/list"
    );
}
