//! Delivering mail: as RFC 5322 `.eml` files in an outbox directory (the default, for trying the
//! portal and for development) or through an SMTP server. The durable queue lives in the
//! database; a [`Mailer`] only hands one message over and says whether that worked.

use async_trait::async_trait;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use time::OffsetDateTime;

/// One message ready to hand over.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// The outbox id: the `Message-ID` is derived from it, so a redelivery after a crash is
    /// recognisable as the same message.
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub created_at: OffsetDateTime,
    /// Files sent with the message (the Proof Document with an approval).
    pub attachments: Vec<MailFile>,
}

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFile {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The message can never be delivered (a malformed address); retrying will not help.
    #[error("undeliverable: {0}")]
    Permanent(String),
    /// Worth retrying later (server down, disk full, …).
    #[error("delivery failed: {0}")]
    Temporary(String),
}

#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn deliver(&self, envelope: &Envelope) -> Result<(), MailError>;
    /// A short description for start-up logs, without credentials.
    fn describe(&self) -> String;
    /// The directory messages are written to, when they are.
    fn outbox_dir(&self) -> Option<&Path> {
        None
    }
}

fn build_message(from: &Mailbox, host: &str, envelope: &Envelope) -> Result<Message, MailError> {
    let to: Mailbox = envelope
        .to
        .parse()
        .map_err(|e| MailError::Permanent(format!("recipient address: {e}")))?;
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(envelope.subject.clone())
        .date(SystemTime::from(envelope.created_at))
        .message_id(Some(format!("<outbox-{}@{host}>", envelope.id)))
        .raw_header(header::HeaderValue::new(
            header::HeaderName::new_from_ascii_str("Auto-Submitted"),
            "auto-generated".to_owned(),
        ));
    let body = match (&envelope.html, envelope.attachments.is_empty()) {
        (Some(html), true) => builder.multipart(MultiPart::alternative_plain_html(
            envelope.text.clone(),
            html.clone(),
        )),
        (None, true) => builder.singlepart(SinglePart::plain(envelope.text.clone())),
        (html, false) => {
            let mut mixed = match html {
                Some(html) => MultiPart::mixed().multipart(MultiPart::alternative_plain_html(
                    envelope.text.clone(),
                    html.clone(),
                )),
                None => MultiPart::mixed().singlepart(SinglePart::plain(envelope.text.clone())),
            };
            for file in &envelope.attachments {
                let content_type = header::ContentType::parse(&file.content_type)
                    .map_err(|e| MailError::Permanent(format!("attachment content type: {e}")))?;
                mixed = mixed.singlepart(
                    Attachment::new(file.file_name.clone()).body(file.bytes.clone(), content_type),
                );
            }
            builder.multipart(mixed)
        }
    };
    body.map_err(|e| MailError::Permanent(format!("cannot build message: {e}")))
}

/// Writes each message as one `.eml` file; a file appears only when complete.
pub struct OutboxDirMailer {
    dir: PathBuf,
    from: Mailbox,
    host: String,
}

impl OutboxDirMailer {
    pub fn new(dir: PathBuf, from: Mailbox, host: String) -> std::io::Result<Self> {
        std::fs::create_dir_all(&dir)?;
        Ok(Self { dir, from, host })
    }

    /// The file a message is written to: sortable by time, unique by outbox id.
    pub fn file_name(envelope: &Envelope) -> String {
        let t = envelope.created_at;
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z-{:010}.eml",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            envelope.id
        )
    }
}

#[async_trait]
impl Mailer for OutboxDirMailer {
    async fn deliver(&self, envelope: &Envelope) -> Result<(), MailError> {
        let bytes = build_message(&self.from, &self.host, envelope)?.formatted();
        let final_path = self.dir.join(Self::file_name(envelope));
        let temp_path = self.dir.join(format!(".{}.tmp", Self::file_name(envelope)));
        let write = async {
            use tokio::io::AsyncWriteExt;
            let mut file = tokio::fs::File::create(&temp_path).await?;
            file.write_all(&bytes).await?;
            file.sync_all().await?;
            drop(file);
            tokio::fs::rename(&temp_path, &final_path).await
        };
        write.await.map_err(|e| {
            let _ = std::fs::remove_file(&temp_path);
            MailError::Temporary(format!("cannot write {}: {e}", final_path.display()))
        })
    }

    fn describe(&self) -> String {
        format!("files in {}", self.dir.display())
    }

    fn outbox_dir(&self) -> Option<&Path> {
        Some(&self.dir)
    }
}

/// Sends through an SMTP server given as `smtp://`, `smtps://` (implicit TLS) or
/// `smtp://…?tls=required` (STARTTLS) URL, with optional `user:password@`.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    host: String,
    described: String,
}

impl SmtpMailer {
    pub fn new(url: &str, from: Mailbox, host: String) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("not a usable SMTP URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        Ok(Self {
            transport,
            from,
            host,
            described: redact_url(url),
        })
    }
}

/// Hides the password of a URL for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn deliver(&self, envelope: &Envelope) -> Result<(), MailError> {
        let message = build_message(&self.from, &self.host, envelope)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(MailError::Permanent(e.to_string())),
            Err(e) => Err(MailError::Temporary(e.to_string())),
        }
    }

    fn describe(&self) -> String {
        format!("SMTP {}", self.described)
    }
}

/// A message read back from an outbox directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    pub file_name: String,
    pub to: String,
    pub subject: String,
    pub date: String,
    pub text: String,
    /// Attached files: name, content type and content.
    pub attachments: Vec<MailFile>,
}

/// Lists the messages in an outbox directory, newest first.
pub fn read_outbox(dir: &Path) -> std::io::Result<Vec<StoredMessage>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".eml") && !name.starts_with('.'))
        .collect();
    names.sort_unstable_by(|a, b| b.cmp(a));
    Ok(names
        .into_iter()
        .filter_map(|name| read_message(dir, &name).ok())
        .collect())
}

/// Reads one message of an outbox directory by file name (which must be a plain `.eml` name).
pub fn read_message(dir: &Path, file_name: &str) -> std::io::Result<StoredMessage> {
    let plain_name = file_name.ends_with(".eml")
        && !file_name.starts_with('.')
        && file_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    if !plain_name {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such message",
        ));
    }
    let raw = std::fs::read(dir.join(file_name))?;
    let parsed = mailparse::parse_mail(&raw)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
    use mailparse::MailHeaderMap;
    let header = |name: &str| parsed.headers.get_first_value(name).unwrap_or_default();
    let mut parts = Vec::new();
    leaves(&parsed, &mut parts);
    let text = parts
        .iter()
        .find(|part| part.ctype.mimetype == "text/plain" && attachment_name(part).is_none())
        .and_then(|part| part.get_body().ok())
        .unwrap_or_default();
    let attachments = parts
        .iter()
        .filter_map(|part| {
            Some(MailFile {
                file_name: attachment_name(part)?,
                content_type: part.ctype.mimetype.clone(),
                bytes: part.get_body_raw().ok()?,
            })
        })
        .collect();
    Ok(StoredMessage {
        file_name: file_name.to_owned(),
        to: header("To"),
        subject: header("Subject"),
        date: header("Date"),
        text,
        attachments,
    })
}

/// The parts of a message that hold content, however deeply multiparts nest them.
fn leaves<'a>(part: &'a mailparse::ParsedMail<'a>, into: &mut Vec<&'a mailparse::ParsedMail<'a>>) {
    if part.subparts.is_empty() {
        into.push(part);
    } else {
        for sub in &part.subparts {
            leaves(sub, into);
        }
    }
}

fn attachment_name(part: &mailparse::ParsedMail<'_>) -> Option<String> {
    let disposition = part.get_content_disposition();
    (disposition.disposition == mailparse::DispositionType::Attachment)
        .then(|| disposition.params.get("filename").cloned())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn envelope(id: i64, html: bool) -> Envelope {
        Envelope {
            id,
            to: "Ayşe Yılmaz <ayse@example.com>".into(),
            subject: "Giriş kodunuz — Izin".into(),
            text: "Kodunuz: 123456\nİyi günler.".into(),
            html: html.then(|| "<p>Kodunuz: <b>123456</b></p>".into()),
            created_at: datetime!(2026-11-22 10:11:12 UTC),
            attachments: Vec::new(),
        }
    }

    #[tokio::test]
    async fn attachments_are_written_and_read_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = OutboxDirMailer::new(
            dir.path().join("outbox"),
            "Izin <no-reply@izin.test>".parse().unwrap(),
            "izin.test".into(),
        )
        .unwrap();
        let pdf: Vec<u8> = b"%PDF-1.7\n"
            .iter()
            .copied()
            .chain((0..=255u8).cycle().take(5000))
            .collect();
        for html in [false, true] {
            let mut mail = envelope(if html { 10 } else { 9 }, html);
            mail.attachments.push(MailFile {
                file_name: "proof-document-2026-0000001-23.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: pdf.clone(),
            });
            mailer.deliver(&mail).await.unwrap();
        }
        let messages = read_outbox(&dir.path().join("outbox")).unwrap();
        assert_eq!(messages.len(), 2);
        for message in messages {
            assert!(message.text.contains("Kodunuz: 123456"), "{}", message.text);
            assert_eq!(message.attachments.len(), 1);
            let file = &message.attachments[0];
            assert_eq!(file.file_name, "proof-document-2026-0000001-23.pdf");
            assert_eq!(file.content_type, "application/pdf");
            assert_eq!(
                file.bytes, pdf,
                "binary content survives the transfer encoding"
            );
        }
    }

    #[tokio::test]
    async fn outbox_files_are_rfc5322_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = OutboxDirMailer::new(
            dir.path().join("outbox"),
            "Izin <no-reply@izin.test>".parse().unwrap(),
            "izin.test".into(),
        )
        .unwrap();
        mailer.deliver(&envelope(7, false)).await.unwrap();
        mailer.deliver(&envelope(8, true)).await.unwrap();
        // Delivering the same message again overwrites the same file.
        mailer.deliver(&envelope(8, true)).await.unwrap();
        let messages = read_outbox(&dir.path().join("outbox")).unwrap();
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].file_name, "20261122T101112Z-0000000008.eml");
        for message in &messages {
            assert_eq!(message.subject, "Giriş kodunuz — Izin");
            assert!(message.to.contains("ayse@example.com"));
            assert!(message.text.contains("Kodunuz: 123456"), "{}", message.text);
            assert!(message.text.contains("İyi günler") || message.file_name.ends_with("8.eml"));
        }
        let raw = std::fs::read_to_string(dir.path().join("outbox").join(&messages[1].file_name))
            .unwrap();
        assert!(raw.contains("Message-ID: <outbox-7@izin.test>"), "{raw}");
        assert!(raw.contains("Auto-Submitted: auto-generated"));
        assert!(raw.contains("\r\n"), "lines end in CRLF");
    }

    #[test]
    fn reading_refuses_paths_outside_the_outbox() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["../x.eml", "a/b.eml", ".hidden.eml", "x.txt"] {
            assert!(read_message(dir.path(), name).is_err(), "{name}");
        }
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("smtps://mailer:s3cret@mail.example.com:465"),
            "smtps://mailer:***@mail.example.com:465"
        );
        assert_eq!(redact_url("smtp://localhost:25"), "smtp://localhost:25");
    }

    #[test]
    fn smtp_urls_are_checked() {
        let from: Mailbox = "Izin <no-reply@izin.test>".parse().unwrap();
        assert!(SmtpMailer::new("smtp://localhost:2525", from.clone(), "h".into()).is_ok());
        assert!(SmtpMailer::new("http://localhost", from, "h".into()).is_err());
    }
}
