//! `cargo xtask test` runs every test of the workspace with what the tests need:
//! it reports which tools are present (loudly, if some are missing), runs the suite (with
//! cargo-nextest when installed, else `cargo test`), then the API conformance run (schemathesis
//! against a running portal, on SQLite and on PostgreSQL) and stops the throw-away PostgreSQL
//! the tests may have started. `cargo xtask test -- FILTER` runs only the matching tests, without
//! the conformance run; `cargo xtask conformance` runs only that. `cargo xtask bench` builds the
//! release binaries and runs the benchmark. Set `IZIN_REQUIRE_ALL=1` to make any missing tool an
//! error, as CI does.

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
        Some("conformance") => {
            let outcome = conformance();
            stop_test_cluster();
            outcome
        }
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
            eprintln!("usage: cargo xtask test [ARGS…] | conformance | bench [ARGS…] | pg-stop");
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
    let suite = match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("xtask: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    };
    // A filtered run is someone working on a few tests; the conformance run is the whole API.
    let conformance = if extra.is_empty() {
        conformance()
    } else {
        ExitCode::SUCCESS
    };
    stop_test_cluster();
    if suite == ExitCode::SUCCESS && conformance == ExitCode::SUCCESS {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn caller_database() -> Option<String> {
    std::env::var("IZIN_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

fn stop_test_cluster() {
    if caller_database().is_some() {
        // The tests used a server the caller provided; leave it alone.
    } else if let Err(e) = pg_cluster::stop() {
        eprintln!("xtask: could not stop the test PostgreSQL: {e}");
    }
}

/// A missing tool for the conformance run: an error under `IZIN_REQUIRE_ALL`, else a loud skip.
fn conformance_unavailable(why: &str) -> ExitCode {
    println!("*** MISSING: {why} — the API conformance run is SKIPPED");
    if require_all() {
        eprintln!("xtask: IZIN_REQUIRE_ALL=1 and the API conformance run cannot run");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Schemathesis (pinned in `tools/api-conformance/requirements.txt`, installed into a virtual
/// environment under `target/`) against `izin serve --dev`, on SQLite and then on a fresh
/// PostgreSQL database.
fn conformance() -> ExitCode {
    let root = workspace_root();
    let tool = root.join("tools/api-conformance");
    println!("== API conformance (schemathesis)");
    let Some(python) = on_path("python3") else {
        return conformance_unavailable("python3 with venv (Debian: python3-venv)");
    };
    let venv = root.join("target/api-conformance-venv");
    let schemathesis = venv.join("bin/schemathesis");
    let stamp = venv.join("requirements.txt");
    let wanted = std::fs::read_to_string(tool.join("requirements.txt")).unwrap_or_default();
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str())
        || !schemathesis.is_file()
    {
        let _ = std::fs::remove_dir_all(&venv);
        let created = Command::new(&python)
            .args(["-m", "venv"])
            .arg(&venv)
            .status();
        if !created.is_ok_and(|s| s.success()) {
            return conformance_unavailable("python3 -m venv (Debian: python3-venv)");
        }
        let installed = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(tool.join("requirements.txt"))
            .status();
        if !installed.is_ok_and(|s| s.success()) {
            return conformance_unavailable("schemathesis from PyPI (pip install failed)");
        }
        let _ = std::fs::write(&stamp, &wanted);
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = Command::new(&cargo)
        .current_dir(&root)
        .args(["build", "--quiet", "-p", "izin"])
        .status();
    if !built.is_ok_and(|s| s.success()) {
        eprintln!("xtask: building izin for the conformance run failed");
        return ExitCode::FAILURE;
    }
    let run = |database_url: Option<&str>| {
        let mut command = Command::new(&python);
        command
            .current_dir(&root)
            .arg(tool.join("run.py"))
            .arg("--izin")
            .arg(root.join("target/debug/izin"))
            .arg("--schemathesis")
            .arg(&schemathesis);
        if let Some(url) = database_url {
            command.args(["--database-url", url]);
        }
        command.status().is_ok_and(|s| s.success())
    };
    let mut ok = run(None);
    match fresh_postgres_database() {
        Ok((url, drop)) => {
            ok &= run(Some(&url));
            drop();
        }
        Err(why) => {
            if conformance_unavailable(&format!("PostgreSQL for the conformance run ({why})"))
                == ExitCode::FAILURE
            {
                ok = false;
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// An empty database on the caller's server (`IZIN_TEST_DATABASE_URL`) or on this checkout's
/// throw-away cluster, made with `psql`; named per process so that runs never share one.
fn fresh_postgres_database() -> Result<(String, impl FnOnce()), String> {
    let server = match caller_database() {
        Some(url) => url,
        None => pg_cluster::ensure_running()?.url(),
    };
    let psql = pg_cluster::find_bin_dir()
        .map(|dir| dir.join("psql"))
        .filter(|p| p.is_file())
        .or_else(|| on_path("psql"))
        .ok_or("no psql (Debian: postgresql-client)")?;
    let name = format!("izin_conformance_{}", std::process::id());
    let execute = {
        let (psql, server) = (psql.clone(), server.clone());
        move |statement: &str| {
            Command::new(&psql)
                .args(["--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-d"])
                .arg(&server)
                .args(["-c", statement])
                .status()
                .is_ok_and(|s| s.success())
        }
    };
    for statement in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        if !execute(&statement) {
            return Err(format!("psql could not run `{statement}`"));
        }
    }
    // Swap the database name: the last path segment of the URL, before any query.
    let (base, query) = server.split_once('?').unwrap_or((&server, ""));
    let prefix = base.rsplit_once('/').map_or(base, |(p, _)| p);
    let mut url = format!("{prefix}/{name}");
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    let drop = move || {
        if !execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")) {
            eprintln!("xtask: could not drop the conformance database {name}");
        }
    };
    Ok((url, drop))
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
