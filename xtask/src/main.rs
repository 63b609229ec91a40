//! `cargo xtask test` runs every test of the workspace with what the tests need:
//! it reports which tools are present (loudly, if some are missing), runs the suite (with
//! cargo-nextest when installed, else `cargo test`) and stops the throw-away PostgreSQL the
//! tests may have started. `cargo xtask bench` builds the release binaries and runs the
//! benchmark. Set `IZIN_REQUIRE_ALL=1` to make any missing tool an error, as CI does.

#[path = "../../crates/izin-testkit/src/pg_cluster.rs"]
#[allow(dead_code)]
mod pg_cluster;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("test") => test(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("pg-stop") => match pg_cluster::stop() {
            Ok(true) => {
                println!("stopped the test PostgreSQL");
                ExitCode::SUCCESS
            }
            Ok(false) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("xtask: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo xtask test [ARGS…] | bench [ARGS…] | pg-stop");
            ExitCode::from(2)
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

fn require_all() -> bool {
    std::env::var("IZIN_REQUIRE_ALL").is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

fn test(extra: &[String]) -> ExitCode {
    let mut missing = Vec::new();
    println!("== What the tests will use");
    match std::env::var("IZIN_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => println!("PostgreSQL: IZIN_TEST_DATABASE_URL"),
        _ => match pg_cluster::find_bin_dir() {
            Some(dir) => println!("PostgreSQL: a throw-away cluster from {}", dir.display()),
            None => missing
                .push("PostgreSQL (initdb/pg_ctl; Debian: postgresql) or IZIN_TEST_DATABASE_URL"),
        },
    }
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|p| on_path(p));
    match &chromium {
        Some(path) => println!("Browser: {}", path.display()),
        None => missing.push("Chromium (Debian: chromium)"),
    }
    match on_path("chromedriver") {
        Some(path) => println!("WebDriver: {}", path.display()),
        None => missing.push("ChromeDriver (Debian: chromium-driver)"),
    }
    if !missing.is_empty() {
        println!();
        for what in &missing {
            println!("*** MISSING: {what} — the tests that need it will be SKIPPED");
        }
        if require_all() {
            eprintln!(
                "xtask: IZIN_REQUIRE_ALL=1 and tools are missing; install them (see README) and run again"
            );
            return ExitCode::FAILURE;
        }
        println!();
    }

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let has_nextest = Command::new(&cargo)
        .args(["nextest", "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    let mut command = Command::new(&cargo);
    command.current_dir(workspace_root());
    if has_nextest {
        command.args(["nextest", "run", "--workspace", "--no-fail-fast"]);
    } else {
        command.args(["test", "--workspace", "--no-fail-fast"]);
    }
    command.args(extra);
    println!("== Running: {command:?}");
    let status = command.status();

    if std::env::var("IZIN_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        // The tests used a server the caller provided; leave it alone.
    } else if let Err(e) = pg_cluster::stop() {
        eprintln!("xtask: could not stop the test PostgreSQL: {e}");
    }
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("xtask: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}

fn bench(extra: &[String]) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = workspace_root();
    let built = Command::new(&cargo)
        .current_dir(&root)
        .args(["build", "--release", "-p", "izin", "-p", "izin-bench"])
        .status();
    if !built.is_ok_and(|s| s.success()) {
        eprintln!("xtask: the release build failed");
        return ExitCode::FAILURE;
    }
    // `cargo xtask bench -- --help` passes the separator along; the benchmark does not want it.
    let extra = match extra.first() {
        Some(first) if first == "--" => &extra[1..],
        _ => extra,
    };
    let status = Command::new(root.join("target/release/izin-bench"))
        .current_dir(&root)
        .args(extra)
        .status();
    if status.is_ok_and(|s| s.success()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
