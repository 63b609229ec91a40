//! Step 5: workplace and employer information: the job, the period, the workplace and the
//! employer, checked against the registries.

use super::*;

#[derive(Template)]
#[template(path = "applications/form.html")]
pub(crate) struct FormPage<'a> {
    l: Layout<'a>,
    w: WizardFrame,
    errors: FormErrors,
    fields: Vec<FormField>,
    found: HashMap<&'static str, String>,
    action: String,
    previous: String,
}

pub(crate) fn employment_values(
    catalog: &izin_domain::catalog::ExemptionCatalog,
    draft: &Draft,
) -> Values {
    let input = EmploymentInput::from(&draft.employment);
    let mut v = Values::default();
    v.set_opt("occupation_code", input.occupation_code);
    v.set_opt("start_date", draft.employment.start_date.map(date));
    v.set_opt("end_date", draft.employment.end_date.map(date));
    v.set_opt("certificate_requested", input.certificate_requested);
    v.set_opt("residential_code", input.residential_code);
    v.set_opt("address_type", input.address_type);
    v.set_opt("province", input.province);
    v.set_opt("district", input.district);
    v.set_opt("about", input.about);
    v.set_opt("has_employer", input.has_employer);
    v.set_opt("sgk_number", input.sgk_number);
    v.set_opt(
        "monthly_gross_salary",
        input
            .monthly_gross_salary
            .and_then(|s| s.as_str().map(str::to_owned)),
    );
    v.set_opt("currency", input.currency);
    v.set_opt(
        "employment_contract_document_id",
        input.employment_contract_document_id,
    );
    v.set_opt("insurance_paid", input.insurance_paid);
    // The category's usual occupation (9901.02 for internships) is offered until one is chosen.
    if draft.employment.occupation_code.is_none()
        && let Some((_, category)) = catalog.category(&draft.category)
        && let Some(default) = &category.default_occupation
    {
        v.set("occupation_code", default.clone());
    }
    v
}

pub(crate) fn employment_input(v: &Values) -> EmploymentInput {
    let flag = |name: &str| v.get(name).map(|raw| raw == "true");
    EmploymentInput {
        occupation_code: v.get("occupation_code"),
        start_date: v.get("start_date"),
        end_date: v.get("end_date"),
        certificate_requested: flag("certificate_requested"),
        residential_code: v.get("residential_code"),
        address_type: v.get("address_type"),
        province: v.get("province"),
        district: v.get("district"),
        about: v.get("about"),
        has_employer: flag("has_employer"),
        sgk_number: v.get("sgk_number"),
        monthly_gross_salary: v.get("monthly_gross_salary").map(serde_json::Value::String),
        currency: v.get("currency"),
        employment_contract_document_id: v.get("employment_contract_document_id"),
        insurance_paid: v.get("insurance_paid"),
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn render_employment(
    state: &WebState,
    ctx: &Ctx,
    record: &ApplicationRecord,
    draft: &Draft,
    values: &Values,
    errors: FormErrors,
    documents: &HashMap<Uuid, Document>,
    saved: bool,
) -> Response {
    let language = ctx.language;
    let catalog = &state.app.catalog;
    let field = |id: &str, kind: &'static str| {
        let mut f = FormField::new(id, kind, ctx.t(&format!("field-{id}")).to_owned());
        let hint_id = format!("field-{id}-hint");
        f.hint = ctx.texts.has(&hint_id).then(|| ctx.t(&hint_id).to_owned());
        f.value = values.one(id);
        f.error = errors.get(id).map(str::to_owned);
        f
    };
    let choices = |id: &str, items: Vec<(String, String)>| -> Vec<Choice> {
        let selected = values.one(id);
        items
            .into_iter()
            .map(|(code, label)| Choice {
                selected: code == selected,
                code,
                label,
            })
            .collect()
    };
    let radios = |id: &str, items: Vec<(&str, &str)>| {
        let mut f = field(id, "radios");
        f.options = choices(
            id,
            items
                .into_iter()
                .map(|(code, label)| (code.to_owned(), ctx.t(label).to_owned()))
                .collect(),
        );
        f
    };
    let mut fields = Vec::new();
    let category = catalog.category(&draft.category).map(|(_, c)| c);
    let mut occupation = field("occupation_code", "select");
    occupation.searchable = true;
    occupation.options = choices(
        "occupation_code",
        catalog
            .occupations
            .iter()
            // A category that admits only some occupations offers only those.
            .filter(|o| category.is_none_or(|c| c.admits_occupation(&o.code)))
            .map(|o| {
                (
                    o.code.clone(),
                    format!("{} {}", o.code, o.names.get(language)),
                )
            })
            .collect(),
    );
    fields.push(occupation);
    let months = category.map_or(12, |c| c.max_months);
    let mut start = field("start_date", "text");
    start.inputmode = "numeric";
    start.maxlength = 10;
    start.hint = Some(ctx.t("field-period-hint").to_owned());
    start.group = Some((
        ctx.t("employment-period-heading").to_owned(),
        ctx.tf("employment-limit", &[("months", Value::from(months))]),
    ));
    fields.push(start);
    let mut end = field("end_date", "text");
    end.inputmode = "numeric";
    end.maxlength = 10;
    end.hint = Some(ctx.t("field-period-hint").to_owned());
    fields.push(end);
    let mut certificate = radios(
        "certificate_requested",
        vec![("false", "certificate-no"), ("true", "certificate-yes")],
    );
    certificate.show_when = "period=short";
    fields.push(certificate);
    let mut residential = field("residential_code", "text");
    residential.inputmode = "numeric";
    residential.maxlength = 10;
    residential.show_when = "card";
    residential.group = Some((
        ctx.t("employment-address-heading").to_owned(),
        String::new(),
    ));
    fields.push(residential);
    let mut address_type = radios(
        "address_type",
        vec![
            ("residence", "address-type-residence"),
            ("workplace", "address-type-workplace"),
            ("different", "address-type-different"),
        ],
    );
    address_type.show_when = "card";
    fields.push(address_type);
    let provinces = state.app.reference.provinces();
    let mut province = field("province", "select");
    province.searchable = true;
    province.options = choices(
        "province",
        provinces
            .iter()
            .map(|p| (p.name.clone(), p.name.clone()))
            .collect(),
    );
    fields.push(province);
    let mut district = field("district", "grouped");
    district.depends_on = "province";
    let chosen_district = values.one("district");
    district.groups = provinces
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.districts
                    .iter()
                    .map(|d| Choice {
                        selected: *d == chosen_district && values.one("province") == p.name,
                        code: d.clone(),
                        label: d.clone(),
                    })
                    .collect(),
            )
        })
        .collect();
    fields.push(district);
    let mut about = field("about", "textarea");
    about.maxlength = 2000;
    fields.push(about);
    let mut employer = radios(
        "has_employer",
        vec![("true", "employer-yes"), ("false", "employer-no")],
    );
    employer.group = Some((
        ctx.t("employment-employer-heading").to_owned(),
        String::new(),
    ));
    fields.push(employer);
    let mut sgk = field("sgk_number", "text");
    sgk.inputmode = "numeric";
    sgk.maxlength = 40;
    sgk.show_when = "has_employer=true";
    fields.push(sgk);
    let mut salary = field("monthly_gross_salary", "text");
    salary.inputmode = "decimal";
    salary.maxlength = 20;
    salary.show_when = "has_employer=true";
    fields.push(salary);
    let mut currency = field("currency", "select");
    currency.options = choices(
        "currency",
        catalog
            .currencies
            .iter()
            .map(|c| {
                (
                    c.code.clone(),
                    format!("{} ({}) {}", c.code, c.symbol, c.names.get(language)),
                )
            })
            .collect(),
    );
    currency.show_when = "has_employer=true";
    fields.push(currency);
    let mut contract = field("employment_contract_document_id", "file");
    contract.accept = "application/pdf,image/jpeg,image/png";
    contract.show_when = "has_employer=true";
    contract.current = values
        .get("employment_contract_document_id")
        .and_then(|raw| Uuid::parse_str(&raw).ok())
        .and_then(|id| documents.get(&id))
        .map(|d| CurrentFile {
            name: d.file_name.clone(),
            href: format!("/documents/{}/download", d.id),
        });
    contract.options = reusable(documents, &[], None);
    fields.push(contract);
    fields.push(radios(
        "insurance_paid",
        vec![
            ("domestic", "insurance-domestic"),
            ("abroad", "insurance-abroad"),
        ],
    ));
    let mut found = HashMap::new();
    if let Some(address) = &draft.employment.residential_address
        && values.one("residential_code")
            == draft
                .employment
                .residential_code
                .as_ref()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default()
    {
        found.insert(
            "residential_code",
            ctx.tf(
                "employment-address-found",
                &[("address", Value::from(address.clone()))],
            ),
        );
    }
    if let Some(name) = &draft.employment.workplace_name
        && values.one("sgk_number")
            == draft
                .employment
                .sgk_number
                .as_ref()
                .map(|n| n.as_str().to_owned())
                .unwrap_or_default()
    {
        found.insert(
            "sgk_number",
            ctx.tf(
                "employment-workplace-found",
                &[("name", Value::from(name.clone()))],
            ),
        );
    }
    let mut w = frame(
        ctx,
        state,
        Kind::WorkPermitExemption,
        Some(record),
        Step::EMPLOYMENT,
    );
    w.saved = saved;
    let page = FormPage {
        w,
        errors,
        fields,
        found,
        action: step_url(record.id, "employment"),
        previous: if record.lifecycle.status == Status::Revision {
            format!("/applications/{}", record.id)
        } else {
            step_url(record.id, "consent")
        },
        l: Layout::new(ctx, ctx.t("employment-title"))
            .with_nav(Nav::NewApplication)
            .with_form(step_url(record.id, "employment")),
    };
    let invalid = !page.errors.is_empty();
    render_step(&page, invalid)
}

/// The user's documents that can go into a slot taking `types` (all when empty), newest first.
pub(crate) fn reusable(
    documents: &HashMap<Uuid, Document>,
    exclude: &[Uuid],
    types: Option<&[izin_domain::documents::ContentType]>,
) -> Vec<Choice> {
    let mut list: Vec<&Document> = documents
        .values()
        .filter(|d| !exclude.contains(&d.id))
        .filter(|d| types.is_none_or(|t| t.contains(&d.content_type)))
        .collect();
    list.sort_by_key(|d| std::cmp::Reverse(d.created_at));
    list.into_iter()
        .map(|d| Choice {
            code: d.id.to_string(),
            label: format!(
                "{} ({})",
                d.file_name,
                date(izin_domain::calendar::today_in_turkiye(d.created_at))
            ),
            selected: false,
        })
        .collect()
}

pub async fn employment_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let (record, draft) = match load_editable(&state, &ctx, &session, id, Step::EMPLOYMENT).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let documents = match super::super::user_documents(&state, &ctx, &session).await {
        Ok(documents) => documents,
        Err(response) => return response,
    };
    let values = employment_values(&state.app.catalog, &draft);
    render_employment(
        &state,
        &ctx,
        &record,
        &draft,
        &values,
        FormErrors::default(),
        &documents,
        false,
    )
}

/// Reads a multipart form: its text fields into values, and an uploaded file (the field named
/// `file_field`) stored as the user's document.
pub(crate) async fn multipart_values(
    state: &WebState,
    ctx: &Ctx,
    session: &CurrentSession,
    request: axum::extract::Request,
    file_field: &str,
    errors: &mut FormErrors,
    error_field: &str,
) -> Result<(Values, Option<Document>), Response> {
    let (parts, body) = request.into_parts();
    let mut form = FormReader::new(&parts.headers, body);
    let mut uploaded = None;
    loop {
        let part = match form.next_file().await {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(_) => return Err(crate::errors::PageError::BadRequest.into_response_with(ctx)),
        };
        if part.name != file_field || part.file_name.is_empty() || ctx.language_switch.is_some() {
            part.drain().await;
            continue;
        }
        let file_name = part.file_name.clone();
        match state
            .app
            .documents()
            .upload(
                &session.user,
                DocumentKind::Other,
                &file_name,
                part.stream(),
                &ctx.client,
            )
            .await
        {
            Ok(document) => uploaded = Some(document),
            Err(UploadError::Empty) => {}
            Err(e) => {
                if !e.is_user_error() {
                    tracing::error!(error = %e, "upload failed");
                }
                errors.add(error_field, upload_message(ctx, DocumentKind::Other, &e));
            }
        }
    }
    if form.too_large() {
        // Said with the limit, on the form with what was typed.
        errors.add(error_field, too_large_message(ctx, DocumentKind::Other));
    }
    let values = form.values().clone();
    Ok((values, uploaded))
}

pub async fn save_employment(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    request: axum::extract::Request,
) -> Response {
    let mut errors = FormErrors::default();
    let (mut values, uploaded) = match multipart_values(
        &state,
        &ctx,
        &session,
        request,
        "employment_contract_document_id_file",
        &mut errors,
        "employment_contract_document_id",
    )
    .await
    {
        Ok(read) => read,
        Err(response) => return response,
    };
    if ctx.language_switch.is_some() {
        let (record, draft) = match load(&state, &ctx, &session, id).await {
            Ok(found) => found,
            Err(response) => return response,
        };
        let documents = match super::super::user_documents(&state, &ctx, &session).await {
            Ok(documents) => documents,
            Err(response) => return response,
        };
        return render_employment(
            &state,
            &ctx,
            &record,
            &draft,
            &values,
            FormErrors::default(),
            &documents,
            false,
        );
    }
    // A new file wins over a chosen document, which wins over the one already there.
    if let Some(document) = &uploaded {
        values.set("employment_contract_document_id", document.id.to_string());
    } else if let Some(existing) = values.get("employment_contract_document_id_existing") {
        values.set("employment_contract_document_id", existing);
    }
    let service = state.app.applications();
    let result = if errors.is_empty() {
        service
            .save_employment(&session.user, id, &employment_input(&values), &ctx.client)
            .await
    } else {
        Err(ApplicationError::Invalid(Vec::new()))
    };
    match result {
        Ok(_) => Redirect::to(&after(id, Step::EMPLOYMENT)).into_response(),
        Err(e) => {
            match e {
                ApplicationError::Invalid(violations) => errors.add_violations(&ctx, &violations),
                ApplicationError::NotEditable(_) => return detail_redirect(id),
                other if general_error(&ctx, &mut errors, &other) => {}
                other => return page_failure(&ctx, other),
            }
            let (record, draft) = match load(&state, &ctx, &session, id).await {
                Ok(found) => found,
                Err(response) => return response,
            };
            let documents = match super::super::user_documents(&state, &ctx, &session).await {
                Ok(documents) => documents,
                Err(response) => return response,
            };
            render_employment(
                &state, &ctx, &record, &draft, &values, errors, &documents, false,
            )
        }
    }
}
