//! `izin payments import FILE`: a contracted bank's collection file, imported with the same
//! storage settings as `serve`. The whole file is checked before anything is stored (a bad line
//! refuses it, naming the line); then each receipt is stored and matched in its own
//! transaction, exactly as the portal does, and a receipt imported before (same bank and
//! receipt number) is skipped, so importing a file again changes nothing.

use crate::config::Config;
use crate::serve::{Catalogues, build_app, open_store, prepare_data_dir};
use anyhow::{Context, bail};
use izin_app::payments::bank_file::{self, ImportError, ImportReport};
use izin_domain::audit::ClientInfo;
use std::io::Read;
use std::path::Path;

/// The largest file accepted: a bank's daily file is far smaller.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads the file whole, refusing one over [`MAX_FILE_BYTES`] or not UTF-8.
fn read(file: &Path) -> anyhow::Result<String> {
    let opened = std::fs::File::open(file)
        .with_context(|| format!("{}: cannot read the file", file.display()))?;
    let too_large = || {
        anyhow::anyhow!(
            "{}: the file is larger than {} MiB; split it into smaller files",
            file.display(),
            MAX_FILE_BYTES / (1024 * 1024)
        )
    };
    if opened.metadata().is_ok_and(|m| m.len() > MAX_FILE_BYTES) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    opened
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("{}: cannot read the file", file.display()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8 text ({e})", file.display()))
}

/// What the import did, as printed.
pub fn report_text(report: &ImportReport) -> String {
    let mut text = format!(
        "receipts: {}\nmatched: {}\nunmatched: {}\n",
        report.receipts,
        report.matched,
        report.unmatched.len()
    );
    for (receipt_no, reason) in &report.unmatched {
        text.push_str(&format!("  {receipt_no}: {reason}\n"));
    }
    text.push_str(&format!(
        "duplicates skipped: {}\napplications approved: {}\n",
        report.duplicates, report.approved
    ));
    text
}

pub async fn import(config: Config, file: &Path) -> anyhow::Result<()> {
    let text = read(file)?;
    // Checked before the database is opened: a refused file touches nothing.
    bank_file::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    prepare_data_dir(&config)?;
    let catalogues = Catalogues::load(&config)?;
    let store = open_store(&config).await?;
    let app = build_app(&config, store, catalogues).await?;
    let client = ClientInfo::new(None, Some("izin payments import (command line)"));
    let report = match app.payments().import_bank_file(&text, &client).await {
        Ok(report) => report,
        Err(ImportError::File(e)) => bail!("{}: {e}", file.display()),
        Err(ImportError::Payment(e)) => bail!(
            "{}: the import stopped: {e}. The receipts before it are stored; import the same \
             file again to finish (what is stored already is skipped)",
            file.display()
        ),
    };
    print!("{}", report_text(&report));
    if report.approved > 0 {
        println!("The approval mails are queued; a running `izin serve` sends them.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_names_each_unmatched_receipt() {
        let report = ImportReport {
            receipts: 4,
            matched: 2,
            unmatched: vec![("000125".into(), "wrong_amount")],
            duplicates: 1,
            approved: 1,
        };
        assert_eq!(
            report_text(&report),
            "receipts: 4\nmatched: 2\nunmatched: 1\n  000125: wrong_amount\n\
             duplicates skipped: 1\napplications approved: 1\n"
        );
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        let error = read(&path).expect_err("refused").to_string();
        assert!(error.contains("larger than 64 MiB"), "{error}");
    }
}
