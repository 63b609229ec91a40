//! Step 3: the exemption category, chosen by sector.

use super::*;

pub struct CategoryOption {
    pub code: String,
    pub name: String,
    pub help: String,
    pub legal: String,
    pub longest: String,
    pub selected: bool,
}

pub struct SectorOption {
    pub name: String,
    pub categories: Vec<CategoryOption>,
}

#[derive(Template)]
#[template(path = "applications/category.html")]
pub(crate) struct CategoryPage<'a> {
    l: Layout<'a>,
    w: WizardFrame,
    errors: FormErrors,
    sectors: Vec<SectorOption>,
    action: String,
    previous: String,
}

pub(crate) fn render_category(
    state: &WebState,
    ctx: &Ctx,
    record: &ApplicationRecord,
    chosen: &str,
    errors: FormErrors,
) -> Response {
    let language = ctx.language;
    let sectors = state
        .app
        .catalog
        .sectors
        .iter()
        .map(|sector| SectorOption {
            name: sector.name.get(language).to_owned(),
            categories: sector
                .categories
                .iter()
                .map(|c| CategoryOption {
                    code: c.code.clone(),
                    name: c.name.get(language).to_owned(),
                    help: c.help.get(language).to_owned(),
                    legal: ctx.tf(
                        "category-legal",
                        &[(
                            "reference",
                            Value::from(c.legal_reference.get(language).to_owned()),
                        )],
                    ),
                    longest: crate::application_texts::category_limit(ctx, c),
                    selected: c.code == chosen,
                })
                .collect(),
        })
        .collect();
    let page = CategoryPage {
        w: frame(
            ctx,
            state,
            Kind::WorkPermitExemption,
            Some(record),
            Step::CATEGORY,
        ),
        errors,
        sectors,
        action: step_url(record.id, "category"),
        previous: step_url(record.id, "place"),
        l: Layout::new(ctx, ctx.t("category-title"))
            .with_nav(Nav::NewApplication)
            .with_form(step_url(record.id, "category")),
    };
    let invalid = !page.errors.is_empty();
    render_step(&page, invalid)
}

pub async fn category_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let (record, draft) = match load_editable(&state, &ctx, &session, id, Step::CATEGORY).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let chosen = draft.category.clone();
    render_category(&state, &ctx, &record, &chosen, FormErrors::default())
}

pub async fn save_category(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    request: axum::extract::Request,
) -> Response {
    let values = match form_values(request, &ctx).await {
        Ok(values) => values,
        Err(response) => return response,
    };
    let chosen = values.one("category");
    if ctx.language_switch.is_some() {
        let (record, _) = match load(&state, &ctx, &session, id).await {
            Ok(found) => found,
            Err(response) => return response,
        };
        return render_category(&state, &ctx, &record, &chosen, FormErrors::default());
    }
    let result = if chosen.is_empty() {
        Err(ApplicationError::Invalid(vec![
            izin_domain::profile::Violation::new("category", "choice-required"),
        ]))
    } else {
        state
            .app
            .applications()
            .save_category(&session.user, id, &chosen, &ctx.client)
            .await
    };
    match result {
        Ok(_) => Redirect::to(&after(id, Step::CATEGORY)).into_response(),
        Err(ApplicationError::Invalid(violations)) => {
            let (record, _) = match load(&state, &ctx, &session, id).await {
                Ok(found) => found,
                Err(response) => return response,
            };
            let mut errors = FormErrors::default();
            errors.add_violations(&ctx, &violations);
            render_category(&state, &ctx, &record, &chosen, errors)
        }
        Err(ApplicationError::NotEditable(_)) => detail_redirect(id),
        Err(e) => page_failure(&ctx, e),
    }
}
