//! `izin officer add|list|disable`: the authorities' officers, managed from the command line
//! with the same storage settings as `serve`. `add` prints the new officer's enrolment (TOTP
//! secret, its `otpauth://` URI and the recovery codes) once: nothing can show it again.

use crate::config::Config;
use crate::serve::{open_store, prepare_data_dir};
use anyhow::{Context, bail};
use izin_app::officers::{self, Enrolment, OfficerError};
use izin_domain::audit::{Actor, ClientInfo};
use izin_domain::officer::{Authority, Roles};
use time::OffsetDateTime;

fn command_line(what: &str) -> ClientInfo {
    ClientInfo::new(None, Some(&format!("izin officer {what} (command line)")))
}

/// The enrolment as printed: what the administrator hands over.
pub fn enrolment_text(enrolment: &Enrolment) -> String {
    let officer = &enrolment.officer;
    let grouped: Vec<String> = enrolment
        .secret
        .base32()
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let mut text = format!(
        "Officer added: {} ({}: {})\n\
         Hand this to the officer once, in person or over a trusted channel; it cannot be shown again.\n\
         TOTP secret (type it into an authenticator app): {}\n\
         otpauth URI (for a QR code): {}\n\
         Recovery codes (each works once, when the app is lost):\n",
        officer.email,
        officer.authority.code(),
        officer.roles.codes(),
        grouped.join(" "),
        enrolment.uri,
    );
    for code in &enrolment.recovery_codes {
        text.push_str(&format!("  {}\n", code.as_str()));
    }
    text
}

pub async fn add(config: Config, email: &str, authority: &str, roles: &str) -> anyhow::Result<()> {
    let Some(authority) = Authority::parse(authority) else {
        bail!("--authority is labour or migration, not {authority:?}");
    };
    let roles = Roles::parse(roles).map_err(|e| anyhow::anyhow!("--role: {e}"))?;
    prepare_data_dir(&config)?;
    let store = open_store(&config).await?;
    let enrolment = officers::add(
        store.as_ref(),
        OffsetDateTime::now_utc(),
        email,
        authority,
        roles,
        Actor::System,
        &command_line("add"),
    )
    .await
    .map_err(|e| match e {
        OfficerError::EmailTaken => anyhow::anyhow!("{email}: an officer with this address exists"),
        other => anyhow::Error::new(other).context(format!("cannot add {email}")),
    })?;
    print!("{}", enrolment_text(&enrolment));
    Ok(())
}

pub async fn list(config: Config, authority: Option<&str>) -> anyhow::Result<()> {
    let authority = match authority {
        None => None,
        Some(code) => Some(
            Authority::parse(code)
                .with_context(|| format!("--authority is labour or migration, not {code:?}"))?,
        ),
    };
    prepare_data_dir(&config)?;
    let store = open_store(&config).await?;
    let found = officers::list(store.as_ref(), authority)
        .await
        .context("cannot list the officers")?;
    if found.is_empty() {
        println!("No officers.");
    }
    for officer in found {
        let state = match officer.disabled_at {
            Some(at) => format!("disabled {}", at.date()),
            None => "active".to_owned(),
        };
        println!(
            "{}\t{}\t{}\t{state}",
            officer.email,
            officer.authority.code(),
            officer.roles.codes()
        );
    }
    Ok(())
}

pub async fn disable(config: Config, email: &str) -> anyhow::Result<()> {
    prepare_data_dir(&config)?;
    let store = open_store(&config).await?;
    match officers::disable(
        store.as_ref(),
        OffsetDateTime::now_utc(),
        email,
        Actor::System,
        &command_line("disable"),
    )
    .await
    {
        Ok(officer) => {
            println!("Disabled: {} ({})", officer.email, officer.authority.code());
            Ok(())
        }
        Err(OfficerError::NotFound) => bail!("{email}: no officer has this address"),
        Err(OfficerError::AlreadyDisabled) => {
            println!("{email} was disabled already.");
            Ok(())
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!("cannot disable {email}"))),
    }
}
