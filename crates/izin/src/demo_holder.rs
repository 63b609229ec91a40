//! The demo card holder `izin serve --demo` makes sure of: Anna, whose work-permit exemption
//! (research, applied for from abroad, six months, so it came with a card) went through the
//! lifecycle as the portal and an officer would move it — submitted with every rule met,
//! evaluated, approved with fees, paid — so that a newcomer can sign in as her and try the New
//! Card Application with each of its three reasons.
//!
//! Everything goes through the services the pages and the API use: the e-mail-code sign-in
//! creates her account, User Information and the wizard's steps are saved and checked as typed,
//! the documents are uploaded (generated here, in memory) and checked like any upload. Demo
//! data only: demo mode is refused anywhere but on loopback.

use anyhow::{Context, bail};
use bytes::Bytes;
use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use izin_app::App;
use izin_app::applications::ApplicationError;
use izin_app::auth::{LoginChallenge, SessionLookup};
use izin_app::profile::{SaveError, SectionInput};
use izin_domain::application::work_permit_exemption::{EmploymentInput, PlaceInput};
use izin_domain::application::{Event, ExemptionStatus, Kind, Status};
use izin_domain::audit::{Actor, ClientInfo};
use izin_domain::calendar::{add_months, add_years, format_date, today_in_turkiye};
use izin_domain::documents::DocumentKind;
use izin_domain::otp::OneTimeCode;
use izin_domain::profile::{ContactInput, EducationInput, PassportInput, PersonalInput};
use izin_domain::records::User;
use izin_domain::{EmailAddress, Language};
use izin_store::{IssueLoginCode, IssueOutcome};
use std::convert::Infallible;
use uuid::Uuid;

/// The demo card holder's sign-in address.
pub const EMAIL: &str = "anna.demo@izin.example";
/// Her foreigner ID: the migration registry of demo/registry.json knows her under it, with the
/// surname she has now (Müller); the exemption was approved under the one she had (Schmidt).
const FOREIGNER_ID: &str = "99271840606";
/// Her passport, for which demo/registry.json holds a consulate reference number.
const PASSPORT: &str = "C4D5E6F7G";
/// The Berlin consulate's reference number for her passport and birth year (demo/registry.json).
const REFERENCE_NUMBER: &str = "2026BERL00271840";
/// Ankara / Çankaya in demo/registry.json: where the card is sent.
const ADDRESS_CODE: &str = "1928374650";
const CATEGORY: &str = "research-and-experience";
/// Postdoctoral Researcher, admitted for research.
const OCCUPATION: &str = "2310.05";
/// How the audit log names the start-up that did all this.
const USER_AGENT: &str = "izin serve --demo (demo card holder)";

/// Makes sure the demo card holder exists with her approved, ACTIVE exemption; returns the line
/// that tells a tester what to type. Does nothing more when she already has an approved
/// exemption; a start interrupted half-way is completed, not repeated.
pub async fn ensure_demo_holder(app: &App) -> anyhow::Result<String> {
    let line = format!(
        "New card: sign in as {EMAIL} (an approved, ACTIVE work-permit exemption with a card; \
         New Card Application is under Actions in My Applications)."
    );
    let client = ClientInfo::new(None, Some(USER_AGENT));
    let user = find_or_create_user(app, &client).await?;
    let service = app.applications();
    let exemptions: Vec<_> = service
        .list(&user)
        .await?
        .into_iter()
        .filter(|a| a.kind == Kind::WorkPermitExemption)
        .collect();
    if exemptions
        .iter()
        .any(|a| a.lifecycle.status == Status::Approval)
    {
        return Ok(line);
    }
    let in_progress = exemptions.iter().find(|a| {
        matches!(
            a.lifecycle.status,
            Status::Submitted | Status::UnderEvaluation | Status::PaymentPending
        )
    });
    let id = match in_progress {
        Some(submitted) => submitted.id,
        None => {
            // A draft left by an interrupted start is started afresh.
            for draft in exemptions
                .iter()
                .filter(|a| a.lifecycle.status == Status::Draft)
            {
                service
                    .delete_draft(&user, draft.id, &client)
                    .await
                    .map_err(explain)?;
            }
            fill_user_information(app, &user, &client).await?;
            submit_exemption(app, &user, &client).await?
        }
    };
    approve(app, &user, id, &client).await?;
    Ok(line)
}

/// Her account, created on first use by the e-mail-code sign-in as for anyone: a code is issued
/// and entered at once (its mail is never delivered), then the session is ended.
async fn find_or_create_user(app: &App, client: &ClientInfo) -> anyhow::Result<User> {
    let email = EmailAddress::parse(EMAIL).map_err(|e| anyhow::anyhow!("{EMAIL}: {e:?}"))?;
    if let Some(user) = app.store.user_by_email_key(email.key()).await? {
        return Ok(user);
    }
    let language = Language::En;
    let challenge = LoginChallenge::generate();
    let challenge_hash = challenge.hash();
    let code = OneTimeCode::generate(&mut rand::rng());
    let now = app.clock.now();
    let policy = app.policies.otp;
    let mut mail = izin_app::mails::login_code(
        &app.texts,
        language,
        &email,
        &code,
        policy.lifetime.whole_minutes(),
        now + policy.lifetime,
    );
    // Entered right here: the message is of no use to anyone, so it is never sent.
    mail.not_after = Some(now);
    let issued = app
        .store
        .issue_login_code(IssueLoginCode {
            code_hash: app.keys.code_hash(&challenge_hash, code.as_str()),
            challenge_hash,
            email: email.clone(),
            policy,
            now,
            mail,
            client: client.clone(),
            declared: None,
        })
        .await?;
    if let IssueOutcome::Refused(refusal) = issued {
        bail!("no sign-in code for {EMAIL}: {refusal:?}");
    }
    let signed_in = app
        .auth()
        .sign_in(
            challenge.as_str(),
            Some(EMAIL),
            code.as_str(),
            language,
            client,
        )
        .await
        .with_context(|| format!("cannot sign in as {EMAIL}"))?;
    if let SessionLookup::Active(session) = app.auth().session(&signed_in.token).await? {
        app.auth().sign_out(&session, client).await?;
    }
    Ok(signed_in.user)
}

/// Every section of User Information, complete, with the documents they point to. Her surname
/// is the one she had when the exemption was approved.
async fn fill_user_information(app: &App, user: &User, client: &ClientInfo) -> anyhow::Result<()> {
    if app.profiles().view(user).await?.completeness.complete {
        return Ok(());
    }
    let today = today_in_turkiye(app.clock.now());
    let photo = upload(
        app,
        user,
        DocumentKind::Photo,
        "photo.jpg",
        photo()?,
        client,
    )
    .await?;
    let scan = upload(
        app,
        user,
        DocumentKind::Passport,
        "passport.pdf",
        pdf(&[
            "FEDERAL REPUBLIC OF GERMANY - PASSPORT (demo)",
            "Surname: SCHMIDT",
            "Given names: ANNA",
            "Date of birth: 23.06.1990",
            &format!("Passport No.: {PASSPORT}"),
        ]),
        client,
    )
    .await?;
    let diploma = upload(
        app,
        user,
        DocumentKind::Diploma,
        "diploma.pdf",
        pdf(&[
            "Technische Universitaet Muenchen (demo)",
            "Doctor rerum naturalium",
            "awarded to Anna Schmidt, born 23 June 1990",
        ]),
        client,
    )
    .await?;
    let text = |s: &str| Some(s.to_owned());
    let sections = [
        SectionInput::Personal(PersonalInput {
            first_name: text("Anna"),
            last_name: text("Schmidt"),
            gender: text("female"),
            father_name: text("Thomas"),
            mother_name: text("Maria"),
            marital_status: text("single"),
            place_of_birth: text("Hamburg"),
            nationality: text("DEU"),
            date_of_birth: text("1990-06-23"),
            foreigner_id: text(FOREIGNER_ID),
            photo_document_id: Some(photo.to_string()),
            spouse: None,
        }),
        SectionInput::Contact(ContactInput {
            email: None,
            phone: text("+49 151 23456789"),
            address: text("Schanzenstraße 12, 20357 Hamburg, Germany"),
            second_email: None,
            second_phone: None,
        }),
        SectionInput::Passport(PassportInput {
            passport_type: text("ordinary"),
            passport_number: text(PASSPORT),
            issuing_country: text("DEU"),
            expiry_date: Some(format_date(add_years(today, 7))),
            scan_document_id: Some(scan.to_string()),
        }),
        SectionInput::Education(EducationInput {
            native_language: text("deu"),
            known_languages: vec!["eng".to_owned()],
            turkish_level: None,
            turkish_proof_document_id: None,
            education_level: text("doctorate"),
            high_school: text("Gymnasium Eppendorf, Hamburg"),
            university: text("Universität Hamburg"),
            postgraduate: text("Technische Universität München"),
            diploma_document_id: Some(diploma.to_string()),
        }),
    ];
    for section in &sections {
        app.profiles()
            .save(user, section, client)
            .await
            .map_err(|e| match e {
                SaveError::Invalid(violations) => {
                    anyhow::anyhow!("User Information refused: {violations:?}")
                }
                other => other.into(),
            })?;
    }
    let completeness = app.profiles().view(user).await?.completeness;
    if !completeness.complete {
        bail!("User Information is still incomplete: {completeness:?}");
    }
    Ok(())
}

/// The exemption, step by step as the wizard saves it, then "Create My Application". Returns
/// its id.
async fn submit_exemption(app: &App, user: &User, client: &ClientInfo) -> anyhow::Result<Uuid> {
    let service = app.applications();
    let today = today_in_turkiye(app.clock.now());
    let place = PlaceInput {
        place: Some("abroad".to_owned()),
        reference_number: Some(REFERENCE_NUMBER.to_owned()),
        ..PlaceInput::default()
    };
    let id = service
        .start_with_place(user, &place, client)
        .await
        .map_err(explain)?
        .id;
    service
        .save_category(user, id, CATEGORY, client)
        .await
        .map_err(explain)?;
    service
        .save_consent(user, id, true, client)
        .await
        .map_err(explain)?;
    // Six months from three weeks ahead: three months or longer, so a card comes with it.
    let start = today + time::Duration::weeks(3);
    let end = add_months(start, 6) - time::Duration::days(1);
    let text = |s: &str| Some(s.to_owned());
    let employment = EmploymentInput {
        occupation_code: text(OCCUPATION),
        start_date: Some(format_date(start)),
        end_date: Some(format_date(end)),
        certificate_requested: Some(false),
        residential_code: text(ADDRESS_CODE),
        address_type: text("workplace"),
        province: text("Ankara"),
        district: text("Çankaya"),
        about: text("Postdoctoral research stay at the university's materials science laboratory."),
        has_employer: Some(false),
        insurance_paid: text("abroad"),
        ..EmploymentInput::default()
    };
    service
        .save_employment(user, id, &employment, client)
        .await
        .map_err(explain)?;
    for (slot, file_name, lines) in [
        (
            "host-acceptance-letter",
            "acceptance-letter.pdf",
            [
                "Ankara University, Faculty of Engineering (demo)",
                "Letter of acceptance for Dr. Anna Schmidt",
                "Visiting postdoctoral researcher, six months",
            ],
        ),
        (
            "research-programme",
            "research-programme.pdf",
            [
                "Research programme (demo)",
                "Dr. Anna Schmidt - thin-film materials",
                "Six months at the materials science laboratory",
            ],
        ),
    ] {
        service
            .upload_to_slot(user, id, slot, file_name, one_chunk(pdf(&lines)), client)
            .await
            .map_err(explain)?;
    }
    let preview = service.preview(user, id).await.map_err(explain)?;
    if !preview.failures.is_empty() {
        bail!(
            "the demo exemption does not meet every rule: {:?}",
            preview.failures
        );
    }
    let number = service
        .submit(user, id, None, client)
        .await
        .map_err(explain)?;
    tracing::info!(%number, email = EMAIL, "demo card holder's exemption submitted");
    Ok(id)
}

/// Moves the submitted exemption on as an officer and the portal would: evaluation, approval
/// with fees (due for six months), the payment confirmed. Continues where an earlier start
/// stopped.
async fn approve(app: &App, user: &User, id: Uuid, client: &ClientInfo) -> anyhow::Result<()> {
    let service = app.applications();
    let officer = Actor::Officer(Uuid::new_v4());
    let mut lifecycle = service.get(user, id).await.map_err(explain)?.lifecycle;
    while lifecycle.status != Status::Approval {
        let (actor, event) = match lifecycle.status {
            Status::Submitted => (officer, Event::StartEvaluation),
            Status::UnderEvaluation => (officer, Event::ApproveWithFees),
            Status::PaymentPending => (Actor::System, Event::ConfirmPayment),
            other => bail!("the demo card holder's exemption is {other:?}: cannot approve it"),
        };
        lifecycle = service
            .apply(None, actor, id, event, None, client)
            .await
            .map_err(explain)
            .with_context(|| format!("{event:?} on the demo card holder's exemption"))?
            .lifecycle;
    }
    if lifecycle.exemption != Some(ExemptionStatus::Active) {
        bail!(
            "the demo card holder's exemption was approved but is {:?}",
            lifecycle.exemption
        );
    }
    Ok(())
}

/// An application error with the fields or rules it names.
fn explain(error: ApplicationError) -> anyhow::Error {
    match error {
        ApplicationError::Invalid(violations) => anyhow::anyhow!("refused: {violations:?}"),
        ApplicationError::Rules(failures) => anyhow::anyhow!("rules not met: {failures:?}"),
        other => other.into(),
    }
}

async fn upload(
    app: &App,
    user: &User,
    kind: DocumentKind,
    file_name: &str,
    bytes: Vec<u8>,
    client: &ClientInfo,
) -> anyhow::Result<Uuid> {
    let document = app
        .documents()
        .upload(user, kind, file_name, one_chunk(bytes), client)
        .await
        .with_context(|| format!("cannot upload the demo card holder's {file_name}"))?;
    Ok(document.id)
}

/// A whole file as the one-chunk stream an upload reads.
fn one_chunk(bytes: Vec<u8>) -> impl futures_util::Stream<Item = Result<Bytes, Infallible>> + Send {
    futures_util::stream::iter([Ok(Bytes::from(bytes))])
}

/// A portrait JPEG of 600×800 (a photo must be at least 400×480, portrait): a head and
/// shoulders in grey on a light background.
fn photo() -> anyhow::Result<Vec<u8>> {
    let (width, height) = (600u32, 800u32);
    let image = RgbImage::from_fn(width, height, |x, y| {
        let (dx, dy) = (f64::from(x) - 300.0, f64::from(y) - 330.0);
        let head = (dx / 130.0).powi(2) + (dy / 170.0).powi(2) <= 1.0;
        let (sx, sy) = (f64::from(x) - 300.0, f64::from(y) - 820.0);
        let shoulders = (sx / 280.0).powi(2) + (sy / 260.0).powi(2) <= 1.0;
        if head || shoulders {
            Rgb([118, 124, 132])
        } else {
            let shade = 236 - (y * 24 / height) as u8;
            Rgb([shade, shade, 240])
        }
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&image)
        .context("cannot make the demo card holder's photo")?;
    Ok(out)
}

/// A valid one-page PDF with `lines` of text (ASCII, Helvetica), with a real cross-reference
/// table.
fn pdf(lines: &[&str]) -> Vec<u8> {
    let escape = |line: &str| {
        line.chars()
            .filter(char::is_ascii)
            .flat_map(|c| match c {
                '(' | ')' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect::<String>()
    };
    let mut content = String::from("BT /F1 14 Tf 18 TL 72 770 Td");
    for line in lines {
        content.push_str(&format!(" ({}) Tj T*", escape(line)));
    }
    content.push_str(" ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
    ];
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (index, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", index + 1).as_bytes());
    }
    let xref = out.len();
    let size = objects.len() + 1;
    let mut tail = format!("xref\n0 {size}\n0000000000 65535 f \n");
    for offset in offsets {
        tail.push_str(&format!("{offset:010} 00000 n \n"));
    }
    tail.push_str(&format!(
        "trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ));
    out.extend_from_slice(tail.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_documents_pass_the_upload_checks() {
        let photo = photo().unwrap();
        let clean =
            izin_documents::inspect_image(&photo, &izin_documents::ImageRules::photo()).unwrap();
        assert_eq!((clean.width, clean.height), (600, 800));
        let pdf = pdf(&["Line (one)", "Ünicode is dropped"]);
        assert!(pdf.starts_with(b"%PDF-1.7"));
        assert!(String::from_utf8_lossy(&pdf).contains("(Line \\(one\\)) Tj"));
        izin_documents::inspect_pdf(&pdf).unwrap();
    }
}
