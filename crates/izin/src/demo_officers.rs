//! The demo's officers, one of each authority with every role and a fixed TOTP secret printed
//! at start-up, so a newcomer can try the back office. Demo data only: demo mode is refused
//! anywhere but on loopback, and the secret is public.

use izin_app::App;
use izin_app::officers::{self, OfficerError};
use izin_domain::audit::{Actor, ClientInfo};
use izin_domain::officer::{Authority, Role, Roles};
use izin_domain::totp::TotpSecret;

/// The demo officers' shared TOTP secret (base32; public, demo only).
pub const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// The demo officers' addresses, by authority.
pub const OFFICERS: [(Authority, &str); 2] = [
    (Authority::Labour, "officer.labour@izin.example"),
    (Authority::Migration, "officer.migration@izin.example"),
];

/// Adds the demo officers unless they exist; returns the line saying how to sign in as them.
pub async fn ensure_demo_officers(app: &App) -> anyhow::Result<String> {
    let secret = TotpSecret::parse(SECRET)
        .map_err(|e| anyhow::anyhow!("the demo officers' secret is broken: {e}"))?;
    let roles = Roles::of(&Role::ALL).map_err(|e| anyhow::anyhow!("demo roles: {e}"))?;
    let client = ClientInfo::new(None, Some("izin serve --demo (demo officers)"));
    for (authority, email) in OFFICERS {
        match officers::add_with_secret(
            app.store.as_ref(),
            app.clock.now(),
            email,
            authority,
            roles.clone(),
            secret.clone(),
            Actor::System,
            &client,
        )
        .await
        {
            Ok(_) | Err(OfficerError::EmailTaken) => {}
            Err(e) => return Err(anyhow::Error::new(e).context(format!("demo officer {email}"))),
        }
    }
    Ok(format!(
        "Officers (demo, every role): {} (labour) and {} (migration), TOTP secret {SECRET} — the back office's sign-in is not built yet.",
        OFFICERS[0].1, OFFICERS[1].1
    ))
}
