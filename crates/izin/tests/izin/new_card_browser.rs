//! The New Card Application as a card holder clicks through it, in headless Chromium on the real
//! binary in demo mode, in Turkish on a phone: My Applications offers "Yeni Kart Başvurusu" for
//! the demo holder's active exemption; the card was lost; the amounts are shown before creating;
//! the application is created and listed (screenshots under target/screenshots/new-card-*).

use crate::browser::{
    Screenshots, click, connect, path, sign_in, start_driver, tools, wait_for_text,
};
use crate::support::Server;

/// Brings `css` into view so the screenshot shows it.
async fn scroll_to(client: &fantoccini::Client, css: &str) {
    client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'center'})",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap_or_else(|e| panic!("scroll to {css}: {e}"));
}

#[tokio::test]
async fn a_card_holder_asks_for_a_new_card_after_losing_it_in_turkish() {
    let Some(tools) = tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("data"), &["--demo"]).await;
    let (_driver, driver_url) = start_driver(&tools).await;
    let client = connect(&tools, &driver_url, &dir.path().join("profile"), 412, 915).await;
    let mut shots = Screenshots::new("new-card");
    sign_in(&client, &server, "anna.demo@izin.example").await;
    client
        .goto(&format!("{}/applications", server.base))
        .await
        .unwrap();
    click(&client, "[data-switch-language=tr]").await;
    wait_for_text(&client, &["Başvurularım", "Yeni Kart Başvurusu", "AKTİF"]).await;
    scroll_to(&client, "form[action$='/start/new-card']").await;
    shots.take(&client, "my-applications").await;

    click(
        &client,
        "form[action$='/start/new-card'] button[type=submit]",
    )
    .await;
    let text = wait_for_text(
        &client,
        &[
            "Kayıp / Çalıntı Nedeniyle Yeni Kart Talebi",
            "Kişisel Bilgi Değişikliği Nedeniyle Yeni Kart Talebi",
            "İdarenin Hatasından Kaynaklı Hatalı Basılan Kartın Yenilenmesi",
            "Ödenecek Tutarlar",
            "Sistemde Kayıtlı Adresiniz",
        ],
    )
    .await;
    assert!(text.contains("Değerli Kâğıt Bedeli"), "{text}");
    assert!(path(&client).await.ends_with("/card"));
    scroll_to(&client, "#reason").await;
    shots.take(&client, "card-step").await;

    click(&client, "#reason-lost_or_stolen").await;
    scroll_to(&client, "#reason-lost_or_stolen-amounts").await;
    shots.take(&client, "lost-chosen").await;
    click(&client, "#page-form button[type=submit]").await;
    let preview = wait_for_text(
        &client,
        &[
            "Yeni Kart Başvurumu Oluştur",
            "Başvurunuz onaylanırsa ödenecek harçlar",
            "Kayıp / Çalıntı Nedeniyle Yeni Kart Talebi",
        ],
    )
    .await;
    assert!(path(&client).await.ends_with("/preview"));
    assert!(preview.contains("Değerli kâğıt bedeli"), "{preview}");
    scroll_to(&client, "#fees-title").await;
    shots.take(&client, "preview").await;

    click(&client, "form[action$='/submit'] button[type=submit]").await;
    wait_for_text(&client, &["Başvurunuz oluşturuldu"]).await;
    shots.take(&client, "created").await;

    client
        .goto(&format!("{}/applications", server.base))
        .await
        .unwrap();
    // A lost card's price is fixed by its reason: it waits for payment at once.
    wait_for_text(&client, &["ÖDEME BEKLENİYOR", "Yeni Kart Başvurusu"]).await;
    // Pending: the exemption offers no second new card.
    assert!(
        client
            .find(fantoccini::Locator::Css(
                "form[action$='/start/new-card'] button[type=submit]"
            ))
            .await
            .is_err(),
        "a second new card is offered while one is pending"
    );
    shots.take(&client, "listed").await;
    client.close().await.unwrap();
}
