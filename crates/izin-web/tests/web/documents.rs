//! Documents: every kind accepted, every bad file refused with a clear message and nothing left
//! behind, content decided by bytes, isolation between users, cited documents kept.

use crate::harness::{Browser, Page, Part, TestApp};
use axum::http::{Method, StatusCode};
use izin_documents::fixtures;
use serde_json::json;
use sha2::Digest;

crate::on_both_databases!(
    each_kind_is_accepted_and_served_back_only_as_a_download,
    bad_files_are_refused_with_a_clear_message_and_leave_nothing,
    file_names_are_kept_only_as_clean_display_text,
    another_users_session_gets_404_on_every_document_route,
    a_cited_document_cannot_be_deleted_and_replacing_it_keeps_it,
    the_documents_page_lists_replaces_and_deletes,
    orphaned_objects_are_swept,
    an_upload_forms_token_is_its_first_part_and_never_in_the_address,
    a_file_over_the_limit_is_told_the_limit_on_its_form,
);

async fn upload(
    client: &mut Browser<'_>,
    bearer: &str,
    kind: &str,
    file_name: &str,
    bytes: &[u8],
) -> Page {
    client
        .post_multipart(
            "/api/v1/me/documents",
            &[
                Part::Text("kind", kind),
                Part::File {
                    name: "file",
                    file_name,
                    content_type: "application/octet-stream",
                    bytes,
                },
            ],
            &[("authorization", bearer)],
        )
        .await
}

fn sha_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn each_kind_is_accepted_and_served_back_only_as_a_download(app: TestApp) {
    let bearer = app.api_user("kinds@example.com").await;
    let mut client = app.browser();
    let pdf = fixtures::two_page_pdf();
    for kind in ["passport", "turkish_proof", "diploma", "other"] {
        let created = upload(&mut client, &bearer, kind, "scan.pdf", &pdf).await;
        created.assert_status(StatusCode::CREATED);
        let body = created.json();
        assert_eq!(body["kind"], kind);
        assert_eq!(body["content_type"], "application/pdf");
        assert_eq!(body["size"], pdf.len());
        assert_eq!(
            body["sha256"],
            sha_hex(&pdf),
            "PDFs are stored byte for byte"
        );
        let content = client
            .api(
                Method::GET,
                &format!(
                    "/api/v1/me/documents/{}/content",
                    body["id"].as_str().unwrap()
                ),
                &bearer,
                None,
            )
            .await;
        content.assert_status(StatusCode::OK);
        assert_eq!(content.bytes, pdf);
        assert_eq!(content.header("content-type"), "application/pdf");
        assert!(
            content
                .header("content-disposition")
                .starts_with("attachment;")
        );
        assert_eq!(content.header("x-content-type-options"), "nosniff");
        assert_eq!(content.header("cache-control"), "no-store");
    }
    let photo = fixtures::jpeg_with_exif_gps(600, 800);
    let created = upload(&mut client, &bearer, "photo", "selfie.jpg", &photo).await;
    created.assert_status(StatusCode::CREATED);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let served = client
        .api(
            Method::GET,
            &format!("/api/v1/me/documents/{id}/content"),
            &bearer,
            None,
        )
        .await;
    assert_eq!(served.header("content-type"), "image/jpeg");
    let bytes = &served.bytes[..];
    assert!(
        !bytes.windows(4).any(|w| w == b"Exif"),
        "metadata such as GPS is gone"
    );
    assert_eq!(
        created.json()["sha256"],
        sha_hex(bytes),
        "the hash is of what is stored"
    );
    for (kind, name, bytes) in [
        ("photo", "p.png", fixtures::png(480, 640)),
        ("other", "o.png", fixtures::png(800, 600)),
        ("other", "o.jpg", fixtures::jpeg(300, 200)),
    ] {
        upload(&mut client, &bearer, kind, name, &bytes)
            .await
            .assert_status(StatusCode::CREATED);
    }
    let listed = client
        .api(Method::GET, "/api/v1/me/documents", &bearer, None)
        .await
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 8);
    assert_eq!(listed[0]["cited_by"], json!([]));
}

async fn bad_files_are_refused_with_a_clear_message_and_leave_nothing(app: TestApp) {
    let bearer = app.api_user("bad-files@example.com").await;
    let mut client = app.browser();
    let eleven_mb = fixtures::large_pdf(11 * 1024 * 1024);
    /// kind, file name, bytes, expected status, code, and a piece of the message.
    type Case = (
        &'static str,
        &'static str,
        Vec<u8>,
        StatusCode,
        &'static str,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            "passport",
            "image.pdf",
            fixtures::png(600, 800),
            StatusCode::UNPROCESSABLE_ENTITY,
            "upload-wrong-type",
            "This file is not PDF",
        ),
        (
            "passport",
            "cut.pdf",
            fixtures::truncated_pdf(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "pdf-truncated",
            "incomplete",
        ),
        (
            "diploma",
            "locked.pdf",
            fixtures::encrypted_pdf(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "pdf-encrypted",
            "password",
        ),
        (
            "diploma",
            "script.pdf",
            fixtures::pdf_with_javascript(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "pdf-javascript",
            "JavaScript",
        ),
        (
            "other",
            "hidden.pdf",
            fixtures::pdf_with_js_in_object_stream(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "pdf-javascript",
            "JavaScript",
        ),
        (
            "other",
            "launch.pdf",
            fixtures::pdf_with_launch_action(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "pdf-launch-action",
            "other programs",
        ),
        (
            "diploma",
            "xfa.pdf",
            fixtures::pdf_with_xfa_script(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "pdf-xfa",
            "XFA",
        ),
        (
            "other",
            "attached.pdf",
            fixtures::pdf_with_embedded_javascript_file(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "pdf-embedded-goto",
            "files attached to it",
        ),
        (
            "passport",
            "polyglot.pdf",
            fixtures::hostile_pdf(
                fixtures::Trick::DataAfterEnd,
                fixtures::Encoding::ALL[0],
                fixtures::Spelling::Plain,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "pdf-data-after-end",
            "after the end of the PDF",
        ),
        (
            "other",
            "empty.pdf",
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "upload-empty",
            "empty",
        ),
        (
            "other",
            "text.pdf",
            b"just some text, not a document".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "upload-wrong-type",
            "PDF, JPEG or PNG",
        ),
        (
            "other",
            "huge.pdf",
            eleven_mb,
            StatusCode::PAYLOAD_TOO_LARGE,
            "upload-too-large",
            "at most 10 MB",
        ),
        (
            "photo",
            "bomb.png",
            fixtures::png_bomb(20000, 20000),
            StatusCode::UNPROCESSABLE_ENTITY,
            "image-too-large",
            "20000 × 20000",
        ),
        (
            "photo",
            "deep-bomb.png",
            fixtures::png_bomb(5000, 6000),
            StatusCode::UNPROCESSABLE_ENTITY,
            "image-too-large",
            "at most 24 megapixels and 10000 pixels a side",
        ),
        (
            "photo",
            "bomb16.png",
            fixtures::png16_bomb(3000, 4000),
            StatusCode::UNPROCESSABLE_ENTITY,
            "image-too-large",
            "at most 3 megapixels",
        ),
        (
            "other",
            "bomb.jpg",
            fixtures::jpeg_bomb(8000, 6000, false),
            StatusCode::UNPROCESSABLE_ENTITY,
            "image-too-large",
            "8000 × 6000",
        ),
        (
            "photo",
            "wide.jpg",
            fixtures::jpeg(800, 600),
            StatusCode::UNPROCESSABLE_ENTITY,
            "image-not-portrait",
            "upright",
        ),
        (
            "photo",
            "tiny.jpg",
            fixtures::jpeg(300, 400),
            StatusCode::UNPROCESSABLE_ENTITY,
            "image-too-small",
            "at least 400 × 480",
        ),
        (
            "photo",
            "scan.pdf",
            fixtures::minimal_pdf(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "upload-wrong-type",
            "JPEG or PNG",
        ),
        (
            "photo",
            "cut.jpg",
            fixtures::jpeg(600, 800)[..2000].to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "image-undecodable",
            "damaged",
        ),
    ];
    for (kind, name, bytes, status, code, message) in cases {
        let refused = upload(&mut client, &bearer, kind, name, &bytes).await;
        assert_eq!(refused.status, status, "{name}: {}", refused.body);
        let problem = refused.json();
        assert_eq!(problem["errors"][0]["field"], "file", "{name}");
        assert_eq!(problem["errors"][0]["code"], code, "{name}");
        let text = problem["errors"][0]["message"].as_str().unwrap();
        assert!(
            text.contains(message),
            "{name}: {text:?} should contain {message:?}"
        );
    }
    let mut turkish = app.browser().with_header("accept-language", "tr");
    let refused = upload(
        &mut turkish,
        &bearer,
        "diploma",
        "locked.pdf",
        &fixtures::encrypted_pdf(),
    )
    .await;
    assert!(
        refused.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("parola")
    );
    // Nothing was stored: no rows, no objects.
    assert_eq!(
        client
            .api(Method::GET, "/api/v1/me/documents", &bearer, None)
            .await
            .json(),
        json!([])
    );
    assert!(
        app.stored_objects().await.is_empty(),
        "{:?}",
        app.stored_objects().await
    );
    let missing_kind = client
        .post_multipart(
            "/api/v1/me/documents",
            &[Part::File {
                name: "file",
                file_name: "a.pdf",
                content_type: "application/pdf",
                bytes: &fixtures::minimal_pdf(),
            }],
            &[("authorization", &bearer)],
        )
        .await;
    missing_kind.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let unknown_kind = upload(
        &mut client,
        &bearer,
        "selfie",
        "a.pdf",
        &fixtures::minimal_pdf(),
    )
    .await;
    assert_eq!(unknown_kind.json()["errors"][0]["field"], "kind");
}

async fn file_names_are_kept_only_as_clean_display_text(app: TestApp) {
    let bearer = app.api_user("names@example.com").await;
    let mut client = app.browser();
    let pdf = fixtures::minimal_pdf();
    for (given, expected) in [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\ayşe\\Diploma.pdf", "Diploma.pdf"),
        ("evil\r\nSet-Cookie: x.pdf", "evil%0D%0ASet-Cookie x.pdf"),
        ("Çalışma İzni — شهادة.pdf", "Çalışma İzni — شهادة.pdf"),
        ("photo.png", "photo.pdf"),
    ] {
        let created = upload(&mut client, &bearer, "other", given, &pdf).await;
        created.assert_status(StatusCode::CREATED);
        let name = created.json()["file_name"].as_str().unwrap().to_owned();
        assert!(
            !name.contains('/')
                && !name.contains('\\')
                && !name.contains('\r')
                && !name.contains('\n'),
            "{name:?}"
        );
        assert_eq!(name, expected, "from {given:?}");
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let served = client
            .api(
                Method::GET,
                &format!("/api/v1/me/documents/{id}/content"),
                &bearer,
                None,
            )
            .await;
        let disposition = served.header("content-disposition");
        assert!(!disposition.contains('\r') && !disposition.contains('\n'));
        assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
    }
    // Storage keys never come from the user's name.
    assert!(
        app.stored_objects()
            .await
            .iter()
            .all(|k| k.starts_with("documents/") && !k.contains("passwd"))
    );
}

async fn another_users_session_gets_404_on_every_document_route(app: TestApp) {
    let owner = app.api_user("owner@example.com").await;
    let mut client = app.browser();
    let id = upload(
        &mut client,
        &owner,
        "passport",
        "p.pdf",
        &fixtures::minimal_pdf(),
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let stranger = app.api_user("stranger@example.com").await;
    for (method, path) in [
        (Method::GET, format!("/api/v1/me/documents/{id}/content")),
        (Method::DELETE, format!("/api/v1/me/documents/{id}")),
    ] {
        let page = client.api(method.clone(), &path, &stranger, None).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{method} {path}");
        assert_eq!(page.json()["code"], "not-found");
    }
    assert_eq!(
        client
            .api(Method::GET, "/api/v1/me/documents", &stranger, None)
            .await
            .json(),
        json!([])
    );
    // The pages, with a signed-in stranger's browser.
    let mut browser = app.browser();
    let panel = browser.sign_in("stranger-pages@example.com").await;
    browser
        .get(&format!("/documents/{id}/download"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    browser
        .post_form(
            &format!("/documents/{id}/delete"),
            &[("csrf", &panel.csrf())],
        )
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let csrf = panel.csrf();
    browser
        .post_multipart(
            &format!("/documents/{id}/replace"),
            &[
                Part::Text("csrf", &csrf),
                Part::File {
                    name: "file",
                    file_name: "x.pdf",
                    content_type: "application/pdf",
                    bytes: &fixtures::minimal_pdf(),
                },
            ],
            &[],
        )
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // The owner still has it, untouched.
    client
        .api(
            Method::GET,
            &format!("/api/v1/me/documents/{id}/content"),
            &owner,
            None,
        )
        .await
        .assert_status(StatusCode::OK);
    // Unsigned requests are refused outright.
    app.browser()
        .get(&format!("/api/v1/me/documents/{id}/content"))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    app.browser()
        .get(&format!("/documents/{id}/download"))
        .await
        .assert_redirect("/login");
}

async fn a_cited_document_cannot_be_deleted_and_replacing_it_keeps_it(app: TestApp) {
    let bearer = app.api_user("cited@example.com").await;
    let mut client = app.browser();
    let id = upload(
        &mut client,
        &bearer,
        "diploma",
        "d.pdf",
        &fixtures::minimal_pdf(),
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let document = uuid::Uuid::parse_str(&id).unwrap();
    app.app
        .store
        .cite_document(document, uuid::Uuid::new_v4(), Some("2026-000042"), true)
        .await
        .unwrap();
    let refused = client
        .api(
            Method::DELETE,
            &format!("/api/v1/me/documents/{id}"),
            &bearer,
            None,
        )
        .await;
    refused.assert_status(StatusCode::CONFLICT);
    assert_eq!(refused.json()["code"], "document-cited");
    let listed = client
        .api(Method::GET, "/api/v1/me/documents", &bearer, None)
        .await
        .json();
    assert_eq!(
        listed[0]["cited_by"][0]["application_number"],
        "2026-000042"
    );
    assert_eq!(listed[0]["cited_by"][0]["submitted"], true);
    // Replacing through the page creates a new document and keeps the cited one.
    app.advance(time::Duration::minutes(2));
    let user = app
        .app
        .store
        .user_by_email_key("cited@example.com")
        .await
        .unwrap()
        .unwrap();
    let mut pages = app.browser();
    let panel = pages.sign_in("cited@example.com").await;
    let csrf = panel.csrf();
    let newer = fixtures::two_page_pdf();
    pages
        .post_multipart(
            &format!("/documents/{id}/replace"),
            &[
                Part::Text("csrf", &csrf),
                Part::File {
                    name: "file",
                    file_name: "d2.pdf",
                    content_type: "application/pdf",
                    bytes: &newer,
                },
            ],
            &[],
        )
        .await
        .assert_redirect("/documents?notice=replaced");
    let documents = app.app.store.documents(user.id).await.unwrap();
    assert_eq!(documents.len(), 2);
    assert!(
        documents.iter().any(|d| d.document.id == document),
        "the cited original is kept"
    );
    assert!(
        documents
            .iter()
            .any(|d| d.document.replaces == Some(document))
    );
    pages
        .get("/documents")
        .await
        .assert_contains("Cannot be deleted: a submitted application uses it.")
        .assert_contains("2026-000042");
}

async fn the_documents_page_lists_replaces_and_deletes(app: TestApp) {
    let mut browser = app.browser();
    let panel = browser.sign_in("docs-page@example.com").await;
    browser
        .get("/documents")
        .await
        .assert_contains("You have not uploaded any documents yet.");
    let csrf = panel.csrf();
    let uploaded = browser
        .post_multipart(
            "/documents",
            &[
                Part::Text("csrf", &csrf),
                Part::Text("kind", "other"),
                Part::File {
                    name: "file",
                    file_name: "sözleşme.pdf",
                    content_type: "application/pdf",
                    bytes: &fixtures::minimal_pdf(),
                },
            ],
            &[],
        )
        .await;
    uploaded.assert_redirect("/documents?notice=uploaded");
    let page = browser.get("/documents?notice=uploaded").await;
    page.assert_contains("sözleşme.pdf")
        .assert_contains("Other document")
        .assert_contains("The document was uploaded.");
    let refused = browser
        .post_multipart(
            "/documents",
            &[
                Part::Text("csrf", &csrf),
                Part::Text("kind", "passport"),
                Part::File {
                    name: "file",
                    file_name: "x.pdf",
                    content_type: "application/pdf",
                    bytes: &fixtures::png(400, 500),
                },
            ],
            &[],
        )
        .await;
    refused
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("This file is not PDF")
        .assert_contains("href=\"#file\"");
    // A multipart form without the token in its address is refused.
    browser
        .post_multipart("/documents", &[Part::Text("kind", "other")], &[])
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let user = app
        .app
        .store
        .user_by_email_key("docs-page@example.com")
        .await
        .unwrap()
        .unwrap();
    let id = app.app.store.documents(user.id).await.unwrap()[0]
        .document
        .id;
    browser
        .get(&format!("/documents/{id}/download"))
        .await
        .assert_status(StatusCode::OK);
    browser
        .post_form(
            &format!("/documents/{id}/delete"),
            &[("csrf", &page.csrf())],
        )
        .await
        .assert_redirect("/documents?notice=deleted");
    assert!(app.app.store.documents(user.id).await.unwrap().is_empty());
    assert!(
        app.stored_objects().await.is_empty(),
        "the bytes went with the row"
    );
}

async fn orphaned_objects_are_swept(app: TestApp) {
    let bearer = app.api_user("sweep@example.com").await;
    let mut client = app.browser();
    upload(
        &mut client,
        &bearer,
        "other",
        "kept.pdf",
        &fixtures::minimal_pdf(),
    )
    .await
    .assert_status(StatusCode::CREATED);
    // An object a crash left behind between storing the bytes and recording the row.
    app.app
        .files
        .put_bytes(
            "documents/orphan-from-a-crash",
            bytes::Bytes::from_static(b"%PDF-1.4 orphan"),
        )
        .await
        .unwrap();
    assert_eq!(app.stored_objects().await.len(), 2);
    // Young objects may be uploads in flight: they are left alone.
    app.app.documents().sweep_orphans().await.unwrap();
    assert_eq!(app.stored_objects().await.len(), 2);
    app.advance(time::Duration::hours(2));
    app.clock
        .set(time::OffsetDateTime::now_utc() + time::Duration::hours(2));
    assert_eq!(app.app.documents().sweep_orphans().await.unwrap(), 1);
    let left = app.stored_objects().await;
    assert_eq!(left.len(), 1);
    assert!(!left[0].contains("orphan"));
}

async fn an_upload_forms_token_is_its_first_part_and_never_in_the_address(app: TestApp) {
    let mut browser = app.browser();
    browser.sign_in("token-order@example.com").await;
    let page = browser.get("/documents").await;
    // The token travels in the form body only: no form action carries it.
    assert!(!page.body.contains("?csrf="), "{}", page.body);
    let token = page.csrf();
    let file = || Part::File {
        name: "file",
        file_name: "sözleşme.pdf",
        content_type: "application/pdf",
        bytes: fixtures::minimal_pdf().leak(),
    };
    // After the file: refused, before the file is stored.
    let after = browser
        .post_multipart(
            "/documents",
            &[
                Part::Text("kind", "other"),
                file(),
                Part::Text("csrf", &token),
            ],
            &[],
        )
        .await;
    after.assert_status(StatusCode::FORBIDDEN);
    // In the query string only: refused too.
    let in_query = browser
        .post_multipart(
            &format!("/documents?csrf={}", crate::harness::urlencode(&token)),
            &[Part::Text("kind", "other"), file()],
            &[],
        )
        .await;
    in_query.assert_status(StatusCode::FORBIDDEN);
    assert!(app.stored_objects().await.is_empty(), "nothing was stored");
    // First: accepted.
    browser
        .post_multipart(
            "/documents",
            &[
                Part::Text("csrf", &token),
                Part::Text("kind", "other"),
                file(),
            ],
            &[],
        )
        .await
        .assert_redirect("/documents?notice=uploaded");
    assert_eq!(app.stored_objects().await.len(), 1);
}

async fn a_file_over_the_limit_is_told_the_limit_on_its_form(app: TestApp) {
    let mut browser = app.browser();
    browser.sign_in("big-file@example.com").await;
    let page = browser.get("/documents").await;
    let token = page.csrf();
    // 11 MB of an otherwise fine PDF, sent the way a browser does.
    let mut big = fixtures::minimal_pdf();
    big.resize(11 * 1024 * 1024, b' ');
    let refused = browser
        .post_multipart(
            "/documents",
            &[
                Part::Text("csrf", &token),
                Part::Text("kind", "other"),
                Part::File {
                    name: "file",
                    file_name: "large.pdf",
                    content_type: "application/pdf",
                    bytes: &big,
                },
            ],
            &[],
        )
        .await;
    refused
        .assert_status(StatusCode::PAYLOAD_TOO_LARGE)
        .assert_contains("10 MB")
        // Still the Documents page with its form, not a generic error page.
        .assert_contains("action=\"/documents\"")
        .assert_contains("There is a problem");
    // 60 MB of "%PDF" and zeros is too large, not "too complex", and is not read to say so.
    let mut zeros = b"%PDF-1.7\n".to_vec();
    zeros.resize(60 * 1024 * 1024, 0);
    let (content_type, body) = crate::harness::multipart(&[
        Part::Text("csrf", &token),
        Part::Text("kind", "other"),
        Part::File {
            name: "file",
            file_name: "zeros.pdf",
            content_type: "application/pdf",
            bytes: &zeros,
        },
    ]);
    let length = body.len().to_string();
    let declared = browser
        .send(
            Method::POST,
            "/documents",
            Some(&content_type),
            body,
            &[("content-length", &length)],
        )
        .await;
    declared
        .assert_status(StatusCode::PAYLOAD_TOO_LARGE)
        .assert_contains("10 MB");
    assert!(!declared.body.contains("too complex"), "{}", declared.body);
    let bearer = app.api_user("big-file-api@example.com").await;
    let (content_type, body) = crate::harness::multipart(&[
        Part::Text("kind", "other"),
        Part::File {
            name: "file",
            file_name: "zeros.pdf",
            content_type: "application/pdf",
            bytes: &zeros,
        },
    ]);
    let api = browser
        .send(
            Method::POST,
            "/api/v1/me/documents",
            Some(&content_type),
            body,
            &[("authorization", &bearer)],
        )
        .await;
    api.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(api.json()["errors"][0]["code"], "upload-too-large");
    assert!(app.stored_objects().await.is_empty(), "nothing was stored");
}
