//! The `izin` command: `izin serve` (the default) starts the portal; `izin migrate` brings the
//! database schema up to date and exits; `izin registry import FILE` fills the simulated
//! government registries; `izin officer add|list|disable` manages the authorities' officers;
//! `izin payments import FILE` imports a contracted bank's collection file.

mod allocator;
mod config;
mod demo_holder;
mod demo_officers;
mod keys;
mod officer;
mod payments;
mod registry;
mod serve;

use clap::{Parser, Subcommand};
use config::{Config, Flags, Mode};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "izin",
    version,
    about = "Izin: work-permit exemption and residence permit applications for foreigners in Türkiye"
)]
struct Cli {
    #[command(flatten)]
    flags: Flags,
    /// Without a command: start the portal in demo mode, as `izin serve --demo`.
    #[arg(long)]
    demo: bool,
    /// Without a command: start the portal in development mode, as `izin serve --dev`.
    #[arg(long)]
    dev: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the portal (the default).
    Serve {
        /// Demo mode: development mode (below) with the demo registry data
        /// (demo/registry.json) loaded into the simulated registries, dates moved to today.
        #[arg(long)]
        demo: bool,
        /// Development mode: serve the development tools (/dev/mailbox shows every message).
        /// Refused unless listening on loopback with an http:// base URL: never on a deployment.
        #[arg(long)]
        dev: bool,
    },
    /// Create or update the database schema, then exit.
    Migrate,
    /// The simulated government registries the application wizard asks.
    Registry {
        #[command(subcommand)]
        command: RegistryCommand,
    },
    /// The authorities' officers.
    Officer {
        #[command(subcommand)]
        command: OfficerCommand,
    },
    /// Payments that arrive other than by the revenue administration's notifications.
    Payments {
        #[command(subcommand)]
        command: PaymentsCommand,
    },
    /// The keys that sign Proof Documents.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Check a Proof Document offline: its signature against a key file. Says whether the
    /// signature is valid and the validity it states; cancellation needs /verify.
    VerifyDocument {
        /// The public keys, as /.well-known/izin-keys.json publishes them (or `izin keys export`).
        #[arg(long)]
        keys: PathBuf,
        /// A Proof Document PDF, or the text of its QR code.
        document: String,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Retire the signing key for a new one; documents signed with the old key keep verifying.
    Rotate,
    /// Print the public keys as JSON (what /.well-known/izin-keys.json publishes).
    Export,
}

#[derive(Debug, Subcommand)]
enum PaymentsCommand {
    /// Import a contracted bank's collection file (CSV, see the README): checked whole first, a
    /// bad line refuses the file and stores nothing; receipts imported before are skipped.
    Import {
        /// The collection file (at most 64 MiB).
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum OfficerCommand {
    /// Add an officer and print their enrolment (TOTP secret, otpauth URI, recovery codes) once.
    Add {
        /// The officer's sign-in address.
        email: String,
        /// `labour` (Ministry of Labour and Social Security) or `migration` (Presidency of
        /// Migration Management).
        #[arg(long)]
        authority: String,
        /// One or more of evaluator, approver, admin, separated by commas.
        #[arg(long)]
        role: String,
    },
    /// List the officers (of one authority with --authority).
    List {
        #[arg(long)]
        authority: Option<String>,
    },
    /// Disable an officer: no more sign-ins.
    Disable {
        /// The officer's sign-in address.
        email: String,
    },
}

#[derive(Debug, Subcommand)]
enum RegistryCommand {
    /// Add the records of a registry fixture (JSON, see the README) to the simulated registries.
    /// Records already there stay as they are; a file with a bad record imports nothing.
    Import {
        /// The fixture file.
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = match (cli.command, cli.demo, cli.dev) {
        (None, demo, dev) => Command::Serve { demo, dev },
        (Some(Command::Serve { demo, dev }), also_demo, also_dev) => Command::Serve {
            demo: demo || also_demo,
            dev: dev || also_dev,
        },
        (Some(_), true, _) => {
            eprintln!("izin: --demo goes with serve only");
            return ExitCode::from(2);
        }
        (Some(_), _, true) => {
            eprintln!("izin: --dev goes with serve only");
            return ExitCode::from(2);
        }
        (Some(command), false, false) => command,
    };
    let config = match Config::resolve(&cli.flags) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("izin: {e}");
            return ExitCode::from(2);
        }
    };
    if let Command::Serve { demo, dev } = &command
        && let Err(e) = config.check_mode(Mode::of(*demo, *dev))
    {
        eprintln!("izin: {e}");
        return ExitCode::from(2);
    }
    serve::init_logging(config.log_format);
    if !allocator::tune() {
        tracing::warn!("the allocator refused its settings; freed image buffers may be kept");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("izin: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match command {
            Command::Serve { demo, dev } => serve::serve(config, Mode::of(demo, dev)).await,
            Command::Migrate => serve::migrate(config).await,
            Command::Registry {
                command: RegistryCommand::Import { file },
            } => registry::import(config, &file).await,
            Command::Officer { command } => match command {
                OfficerCommand::Add {
                    email,
                    authority,
                    role,
                } => officer::add(config, &email, &authority, &role).await,
                OfficerCommand::List { authority } => {
                    officer::list(config, authority.as_deref()).await
                }
                OfficerCommand::Disable { email } => officer::disable(config, &email).await,
            },
            Command::Payments {
                command: PaymentsCommand::Import { file },
            } => payments::import(config, &file).await,
            Command::Keys { command } => match command {
                KeysCommand::Rotate => keys::rotate(config).await,
                KeysCommand::Export => keys::export(config).await,
            },
            Command::VerifyDocument { keys, document } => keys::verify_document(&keys, &document),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("izin: {e:#}");
            ExitCode::FAILURE
        }
    }
}
