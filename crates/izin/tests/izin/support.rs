//! Running real `izin` processes and talking to them over HTTP.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

pub fn izin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_izin"))
}

/// A running `izin serve`, stopped with SIGTERM when dropped.
pub struct Server {
    child: Option<Child>,
    pub base: String,
    pub stdout: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub async fn start(data_dir: &Path, extra: &[&str]) -> Server {
        let port = free_port();
        let mut child = izin()
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(data_dir)
            .args(extra)
            .env("IZIN_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start izin");
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let lines = stdout.clone();
        let pipe = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        let server = Server {
            child: Some(child),
            base: format!("http://127.0.0.1:{port}"),
            stdout,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(response) = server.request("GET", "/healthz", &[], None).await
                && response.status == 200
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "izin did not start on {}",
                server.base
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }

    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        json: Option<&serde_json::Value>,
    ) -> std::io::Result<Response> {
        let address = self.base.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(address).await?;
        let body = json.map(|j| j.to_string()).unwrap_or_default();
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        if json.is_some() {
            request.push_str("Content-Type: application/json\r\n");
        }
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(&body);
        stream.write_all(request.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Ok(Response {
            status,
            body: body.to_owned(),
        })
    }

    pub fn printed(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    /// Stops the server as an operator would (SIGTERM) and returns whether it exited cleanly.
    pub fn stop(&mut self) -> bool {
        let Some(mut child) = self.child.take() else {
            return true;
        };
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

pub struct Response {
    pub status: u16,
    pub body: String,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        // The body may be chunked; the JSON is the longest line starting with '{' or '['.
        let candidate = self
            .body
            .lines()
            .filter(|l| l.trim_start().starts_with(['{', '[']))
            .max_by_key(|l| l.len())
            .unwrap_or("");
        serde_json::from_str(candidate.trim())
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Waits for `count` mail files across `dirs`; returns their paths.
pub async fn wait_for_mail(dirs: &[PathBuf], count: usize) -> Vec<PathBuf> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mut found = Vec::new();
        for dir in dirs {
            if let Ok(entries) = std::fs::read_dir(dir) {
                for entry in entries.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if name.ends_with(".eml") && !name.starts_with('.') {
                        found.push(entry.path());
                    }
                }
            }
        }
        if found.len() >= count {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "expected {count} mail files in {dirs:?}, found {}",
            found.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The six-digit code in a delivered message.
pub fn code_in(eml: &Path) -> String {
    let raw = std::fs::read_to_string(eml).expect("read mail");
    let decoded = decode_quoted_printable(&raw);
    let re = regex_lite::Regex::new(r"\b(\d{3}) (\d{3})\b").unwrap();
    let captures = re
        .captures(&decoded)
        .unwrap_or_else(|| panic!("no code in {decoded}"));
    format!("{}{}", &captures[1], &captures[2])
}

fn decode_quoted_printable(raw: &str) -> String {
    raw.replace("=\r\n", "").replace("=20", " ")
}
