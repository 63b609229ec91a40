//! Two foreigners in headless Chromium, on the real binary with the demo registries: one in
//! Türkiye with an active residence right (in English), one abroad with a consulate reference
//! (in Turkish). Each signs in, fills User Information, goes through every step of New
//! Application to "Create My Application" and finds the application in My Applications with its
//! history. Every step is photographed under target/screenshots/.

use crate::browser::{
    Screenshots, choose, click, connect, fixture_files, page_text, path, sign_in, start_driver,
    tools, type_into, wait_for_text,
};
use crate::support::Server;
use fantoccini::{Client, Locator};
use std::path::Path;

/// One person's User Information, typed into the four section forms.
pub(crate) struct Person<'a> {
    pub(crate) first_name: &'a str,
    pub(crate) nationality: &'a str,
    /// Day/month/year, as the form asks for it.
    pub(crate) born: &'a str,
    pub(crate) foreigner_id: Option<&'a str>,
    pub(crate) passport_number: &'a str,
    /// The country that issued the passport (ISO 3166-1 alpha-3).
    pub(crate) passport_country: &'a str,
}

async fn save_section(client: &Client, done: &str) {
    click(client, "form[data-section] button[type=submit]").await;
    wait_for_text(client, &[done]).await;
}

pub(crate) async fn fill_user_information(
    client: &Client,
    server: &Server,
    files: &Path,
    person: &Person<'_>,
    saved: &str,
    shots: &mut Screenshots,
) {
    let (photo, passport, _proof, diploma) = fixture_files(files);
    client
        .goto(&format!("{}/profile/personal", server.base))
        .await
        .unwrap();
    type_into(client, "#photo_document_id", photo.to_str().unwrap()).await;
    type_into(client, "#first_name", person.first_name).await;
    type_into(client, "#last_name", "Yılmaz").await;
    click(client, "input[name=gender][value=female]").await;
    type_into(client, "#father_name", "Mehmet").await;
    type_into(client, "#mother_name", "Gülnara").await;
    choose(client, "marital_status", "single").await;
    type_into(client, "#place_of_birth", "Bakı").await;
    choose(client, "nationality", person.nationality).await;
    type_into(client, "#date_of_birth", person.born).await;
    if let Some(id) = person.foreigner_id {
        type_into(client, "#foreigner_id", id).await;
    }
    shots.take(client, "profile-personal").await;
    save_section(client, saved).await;

    client
        .goto(&format!("{}/profile/contact", server.base))
        .await
        .unwrap();
    type_into(client, "#phone", "+90 532 123 45 67").await;
    type_into(
        client,
        "#address",
        "Kızılay Mh. Atatürk Blv. No: 5, Çankaya / Ankara",
    )
    .await;
    save_section(client, saved).await;

    client
        .goto(&format!("{}/profile/passport", server.base))
        .await
        .unwrap();
    choose(client, "passport_type", "ordinary").await;
    type_into(client, "#passport_number", person.passport_number).await;
    choose(client, "issuing_country", person.passport_country).await;
    type_into(client, "#expiry_date", "31/01/2031").await;
    type_into(client, "#scan_document_id", passport.to_str().unwrap()).await;
    save_section(client, saved).await;

    client
        .goto(&format!("{}/profile/education", server.base))
        .await
        .unwrap();
    choose(client, "native_language", "aze").await;
    choose(client, "education_level", "secondary").await;
    type_into(client, "#diploma_document_id", diploma.to_str().unwrap()).await;
    save_section(client, saved).await;
    client
        .goto(&format!("{}/profile", server.base))
        .await
        .unwrap();
    shots.take(client, "profile-complete").await;
}

/// Steps 3 to 8 and "Create My Application", the same for both people; returns the number.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn category_to_creation(
    client: &Client,
    files: &Path,
    texts: &Texts<'_>,
    shots: &mut Screenshots,
) -> String {
    wait_for_text(client, &[texts.wrong_type]).await;
    click(client, "input[name=category][value=compulsory-internship]").await;
    shots.take(client, "category").await;
    click(client, "form button.button-primary").await;

    wait_for_text(client, &["6698"]).await;
    click(client, "#kvkk_explicit_consent").await;
    shots.take(client, "consent").await;
    click(client, "form button.button-primary").await;

    wait_for_text(client, &[texts.limit]).await;
    // The internship's occupation is already chosen.
    let occupation = client
        .find(Locator::Css("#occupation_code"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(occupation.as_deref(), Some("9901.02"));
    // From today (Türkiye's day), so that the approved exemption is VALID at once.
    let today = izin_domain::calendar::today_in_turkiye(time::OffsetDateTime::now_utc());
    type_into(
        client,
        "#start_date",
        &izin_domain::calendar::display_date(today),
    )
    .await;
    type_into(client, "#end_date", "26/02/2027").await;
    click(client, "input[name=certificate_requested][value=false]").await;
    // Three months or longer would ask for the residential code; this period does not.
    let residential = client
        .find(Locator::Css("[data-field=residential_code]"))
        .await
        .unwrap();
    assert!(
        !residential.is_displayed().await.unwrap(),
        "the address is asked only for a card"
    );
    choose(client, "province", "İstanbul").await;
    choose(client, "district", "Fatih").await;
    type_into(client, "#about", texts.about).await;
    click(client, "input[name=has_employer][value=true]").await;
    type_into(client, "#sgk_number", "28540010111812660342762000").await;
    type_into(client, "#monthly_gross_salary", "0").await;
    choose(client, "currency", "TRY").await;
    let contract = files.join("staj başvuru formu.pdf");
    std::fs::write(&contract, izin_documents::fixtures::minimal_pdf()).unwrap();
    type_into(
        client,
        "#employment_contract_document_id",
        contract.to_str().unwrap(),
    )
    .await;
    click(client, "input[name=insurance_paid][value=domestic]").await;
    shots.take(client, "employment").await;
    click(client, "form[data-wizard-form] button[type=submit]").await;

    wait_for_text(client, &[texts.student_id]).await;
    shots.take(client, "documents-empty").await;
    for slot in [
        "student-id",
        "mandatory-internship-certificate",
        "internship-application-form",
    ] {
        let file = files.join(format!("{slot}.pdf"));
        std::fs::write(&file, izin_documents::fixtures::minimal_pdf()).unwrap();
        type_into(
            client,
            &format!("#slot-{slot}-file"),
            file.to_str().unwrap(),
        )
        .await;
        click(client, &format!("#slot-{slot} form.slot-upload button")).await;
        wait_for_text(client, &[&format!("{slot}.pdf")]).await;
    }
    shots.take(client, "documents-uploaded").await;
    click(client, ".form-actions a.button-primary").await;

    wait_for_text(client, &[texts.add_other]).await;
    type_into(client, "#other_information", texts.other).await;
    shots.take(client, "additional").await;
    click(client, "button[name=then][value=preview]").await;

    let preview = wait_for_text(client, &[texts.attention, texts.create]).await;
    assert!(preview.contains(texts.other), "{preview}");
    shots.take(client, "preview").await;
    click(client, "form[action$='/submit'] button[type=submit]").await;

    wait_for_text(client, &[texts.created]).await;
    shots.take(client, "created").await;
    let number = client
        .find(Locator::Css("[data-number]"))
        .await
        .unwrap()
        .attr("data-number")
        .await
        .unwrap()
        .expect("the application number");
    assert!(number.starts_with("20"), "{number}");
    number
}

pub(crate) struct Texts<'a> {
    pub(crate) wrong_type: &'a str,
    pub(crate) limit: &'a str,
    pub(crate) about: &'a str,
    pub(crate) student_id: &'a str,
    pub(crate) add_other: &'a str,
    pub(crate) other: &'a str,
    pub(crate) attention: &'a str,
    pub(crate) create: &'a str,
    pub(crate) created: &'a str,
    pub(crate) my_applications: &'a str,
    pub(crate) submitted: &'a str,
    pub(crate) history_created: &'a str,
}

async fn my_applications(
    client: &Client,
    number: &str,
    texts: &Texts<'_>,
    shots: &mut Screenshots,
) {
    click(client, "a.button-primary[href='/applications']").await;
    let list = wait_for_text(client, &[texts.my_applications, number, texts.submitted]).await;
    assert_eq!(list.matches(number).count(), 1, "{list}");
    shots.take(client, "my-applications").await;
    click(client, "td.actions a").await;
    wait_for_text(client, &[number, texts.history_created]).await;
    shots.take(client, "detail").await;
}

#[tokio::test]
async fn foreigners_in_turkiye_and_abroad_create_applications_in_both_languages() {
    let Some(tools) = tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("data"), &["--demo"]).await;
    let (_driver, driver_url) = start_driver(&tools).await;

    // In Türkiye, with an active residence permit, in English, on a phone.
    let files = dir.path().join("files-en");
    std::fs::create_dir_all(&files).unwrap();
    let client = connect(
        &tools,
        &driver_url,
        &dir.path().join("profile-en"),
        412,
        915,
    )
    .await;
    let mut shots = Screenshots::new("application-en");
    sign_in(&client, &server, "in-turkiye@example.com").await;
    let person = Person {
        first_name: "Ayşe",
        nationality: "DEU",
        born: "01/04/1990",
        foreigner_id: Some("99587021348"),
        passport_number: "C01X00T47",
        passport_country: "DEU",
    };
    fill_user_information(&client, &server, &files, &person, "Saved.", &mut shots).await;
    click(&client, "a[href='/applications/new']").await;
    let inquiry = wait_for_text(
        &client,
        &["Active Residence Right Inquiry", "Inquiry (Completed)"],
    )
    .await;
    assert!(inquiry.contains("Residence permit"), "{inquiry}");
    shots.take(&client, "inquiry-and-place").await;
    click(&client, "input[name=place][value=domestic]").await;
    click(&client, "form button.button-primary").await;
    let english = Texts {
        wrong_type: "Applications made by selecting the wrong type will be rejected",
        limit: "You can apply for no more than 12 months",
        about: "I am a 3rd grade student. I request an exemption for my mandatory internship of 40 working days.",
        student_id: "Student ID",
        add_other: "Add Other Document",
        other: "My school's letter is attached.",
        attention: "Attention! Your application has not been created yet!",
        create: "Create My Application",
        created: "Your application has been created",
        my_applications: "My Applications",
        submitted: "SUBMITTED",
        history_created: "Application created",
    };
    let number = category_to_creation(&client, &files, &english, &mut shots).await;
    my_applications(&client, &number, &english, &mut shots).await;
    client.close().await.unwrap();

    // Abroad, with a consulate's reference number, in Turkish, on a desktop.
    let files = dir.path().join("files-tr");
    std::fs::create_dir_all(&files).unwrap();
    let client = connect(
        &tools,
        &driver_url,
        &dir.path().join("profile-tr"),
        1280,
        900,
    )
    .await;
    let mut shots = Screenshots::new("application-tr");
    sign_in(&client, &server, "abroad@example.com").await;
    click(&client, "[data-switch-language=tr]").await;
    wait_for_text(&client, &["Yeni Başvuru"]).await;
    let person = Person {
        first_name: "Leyla",
        nationality: "AZE",
        born: "15/06/1987",
        foreigner_id: None,
        passport_number: "C03456789",
        passport_country: "AZE",
    };
    fill_user_information(&client, &server, &files, &person, "Kaydedildi.", &mut shots).await;
    click(&client, "a[href='/applications/new']").await;
    wait_for_text(
        &client,
        &[
            "Aktif İkamet Hakkı Sorgulama",
            "Yabancı kimlik numaranızı girmediyseniz",
        ],
    )
    .await;
    shots.take(&client, "inquiry-yellow-message").await;
    // Domestic without a residence right: the passport of User Information is shown (nothing
    // to type again), and a previous passport's fields appear only when the box is ticked.
    click(&client, "input[name=place][value=domestic]").await;
    let own = client
        .find(Locator::Css("[data-own-passport-number]"))
        .await
        .unwrap();
    assert_eq!(own.text().await.unwrap(), "C03456789");
    let previous = client
        .find(Locator::Css("[data-previous-passport]"))
        .await
        .unwrap();
    assert!(
        !previous.is_displayed().await.unwrap(),
        "hidden until ticked"
    );
    click(&client, "input[name=previous_passport]").await;
    assert!(previous.is_displayed().await.unwrap());
    assert!(
        client
            .find(Locator::Css("#previous_passport_number"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap()
    );
    // Its country is one more "Type to filter the list" box: a chosen country stays while part
    // of another name is typed.
    choose(&client, "previous_passport_country", "AZE").await;
    crate::wizard_browser::filter(&client, "previous_passport_country", "alm", "AZE").await;
    shots.take(&client, "place-previous-passport").await;
    click(&client, "input[name=previous_passport]").await;
    assert!(!previous.is_displayed().await.unwrap());
    click(&client, "input[name=place][value=abroad]").await;
    // A wrong reference number is explained; what was typed stays.
    type_into(&client, "#reference_number", "2026BAKU00000000").await;
    click(&client, "form button.button-primary").await;
    wait_for_text(
        &client,
        &["Bir sorun var", "böyle bir referans numarası yok"],
    )
    .await;
    shots.take(&client, "place-refused").await;
    let field = client
        .find(Locator::Css("#reference_number"))
        .await
        .unwrap();
    assert_eq!(
        field.prop("value").await.unwrap().as_deref(),
        Some("2026BAKU00000000")
    );
    field.clear().await.unwrap();
    field.send_keys("2026BAKU00352011").await.unwrap();
    click(&client, "form button.button-primary").await;
    let turkish = Texts {
        wrong_type: "Yanlış tür seçilerek yapılan başvurular reddedilecektir",
        limit: "en fazla 12 ay",
        about: "Bilgisayar mühendisliği 3. sınıf öğrencisiyim; zorunlu stajım için muafiyet talep ediyorum.",
        student_id: "Öğrenci Belgesi",
        add_other: "Diğer Belge Ekle",
        other: "Okulumun yazısı ektedir.",
        attention: "Dikkat! Başvurunuz henüz oluşturulmadı!",
        create: "Başvurumu Oluştur",
        created: "Başvurunuz oluşturuldu",
        my_applications: "Başvurularım",
        submitted: "GÖNDERİLDİ",
        history_created: "Başvuru oluşturuldu",
    };
    let number_tr = category_to_creation(&client, &files, &turkish, &mut shots).await;
    assert_ne!(number, number_tr);
    my_applications(&client, &number_tr, &turkish, &mut shots).await;
    assert!(path(&client).await.starts_with("/applications/"));
    let detail = page_text(&client).await;
    assert!(detail.contains("Yurt Dışı Başvuru"), "{detail}");
    client.close().await.unwrap();
}
