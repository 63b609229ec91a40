//! A throw-away PostgreSQL cluster for tests, started with the machine's `initdb` and `pg_ctl`.
//!
//! One cluster per checkout lives in the system temp directory; the first test that needs it
//! starts it (under a file lock, so parallel test processes agree) and later ones reuse it.
//! `cargo xtask test` stops it at the end. Durability is switched off: it is scratch space.
//! This file uses only `std` so that `xtask` can include it too.

use std::fs::{self, File};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Cluster {
    pub dir: PathBuf,
    pub port: u16,
}

impl Cluster {
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }
}

/// Where this checkout's cluster lives.
pub fn cluster_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    // FNV-1a of the checkout path: stable, so xtask finds the same directory.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in workspace.to_string_lossy().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    std::env::temp_dir().join(format!("izin-test-pg-{hash:016x}"))
}

/// The directory holding `initdb` and `pg_ctl`: from `PATH`, else the newest Debian install.
pub fn find_bin_dir() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() {
                return Some(dir);
            }
        }
    }
    let mut versions: Vec<PathBuf> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").is_file())
        .collect();
    versions.sort_by_key(|bin| {
        bin.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    versions.pop()
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

/// PostgreSQL refuses to run as root; as root, tools run as the `postgres` user.
fn pg_command(bin: &Path, tool: &str, as_postgres: bool) -> Command {
    if as_postgres {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        cmd
    } else {
        Command::new(bin.join(tool))
    }
}

fn run(mut cmd: Command, what: &str) -> Result<(), String> {
    let output = cmd
        .output()
        .map_err(|e| format!("{what}: cannot run: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn is_running(bin: &Path, data: &Path, as_postgres: bool) -> bool {
    let mut status = pg_command(bin, "pg_ctl", as_postgres);
    status.arg("status").arg("-D").arg(data);
    status.output().map(|o| o.status.success()).unwrap_or(false)
}

/// Starts this checkout's cluster unless it runs already.
pub fn ensure_running() -> Result<Cluster, String> {
    let bin = find_bin_dir().ok_or_else(|| {
        "no initdb/pg_ctl found (install PostgreSQL: apt-get install postgresql) and \
         IZIN_TEST_DATABASE_URL is not set"
            .to_owned()
    })?;
    let as_postgres = running_as_root();
    let dir = cluster_dir();
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let lock = File::create(dir.join("lock")).map_err(|e| format!("lock file: {e}"))?;
    lock.lock()
        .map_err(|e| format!("cannot lock {}: {e}", dir.display()))?;

    let data = dir.join("data");
    let port_file = dir.join("port");
    let running_port = fs::read_to_string(&port_file)
        .ok()
        .and_then(|p| p.trim().parse().ok());
    if let (true, Some(port)) = (is_running(&bin, &data, as_postgres), running_port) {
        return Ok(Cluster { dir, port });
    }
    if as_postgres {
        run(
            {
                let mut c = Command::new("chown");
                c.args(["-R", "postgres:postgres"]).arg(&dir);
                c
            },
            "chown",
        )?;
    }
    if !data.join("PG_VERSION").is_file() {
        let _ = fs::remove_dir_all(&data);
        let mut initdb = pg_command(&bin, "initdb", as_postgres);
        initdb.arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        ]);
        run(initdb, "initdb")?;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))?;
    let options = format!(
        "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{}' -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=400",
        dir.display()
    );
    let mut start = pg_command(&bin, "pg_ctl", as_postgres);
    start
        .arg("start")
        .arg("-D")
        .arg(&data)
        .arg("-l")
        .arg(dir.join("log"))
        .args(["-w", "-t", "60", "-o"])
        .arg(options);
    run(start, "pg_ctl start")?;
    fs::write(&port_file, port.to_string()).map_err(|e| format!("port file: {e}"))?;
    Ok(Cluster { dir, port })
}

/// Stops this checkout's cluster if it runs. Returns whether one was stopped.
pub fn stop() -> Result<bool, String> {
    let Some(bin) = find_bin_dir() else {
        return Ok(false);
    };
    let as_postgres = running_as_root();
    let data = cluster_dir().join("data");
    if !data.is_dir() || !is_running(&bin, &data, as_postgres) {
        return Ok(false);
    }
    let mut stop = pg_command(&bin, "pg_ctl", as_postgres);
    stop.arg("stop")
        .arg("-D")
        .arg(&data)
        .args(["-m", "fast", "-w"]);
    run(stop, "pg_ctl stop")?;
    Ok(true)
}
