//! `/api/v1/catalog/work-permit-exemption`: sectors and categories with their limits and
//! document slots, the occupation list and the currencies, named in the request's language.

use crate::WebState;
use crate::context::Ctx;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentSlotBody {
    pub slot: String,
    pub label: String,
    pub help: String,
    pub required: bool,
    pub max_files: u8,
    /// `pdf`, `jpeg`, `png`.
    pub types: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryBody {
    pub code: String,
    /// The Article 48(1) sub-paragraph letter, where confirmed.
    pub letter: Option<String>,
    pub name: String,
    pub help: String,
    /// The longest exemption the category allows.
    pub max_months: u16,
    /// How long after an exemption of this category a new one may be applied for.
    pub reapply_wait_months: u16,
    pub legal_reference: String,
    /// The occupation usually chosen with this category, e.g. `9901.02` for internships.
    pub default_occupation: Option<String>,
    pub documents: Vec<DocumentSlotBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectorBody {
    pub code: String,
    pub name: String,
    pub categories: Vec<CategoryBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OccupationBody {
    /// `NNNN.NN`.
    pub code: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CurrencyBody {
    /// ISO 4217.
    pub code: String,
    pub symbol: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogBody {
    /// The catalogue's version (it changes when the ministry's lists do).
    pub version: String,
    pub legal_basis: String,
    pub sectors: Vec<SectorBody>,
    pub occupations: Vec<OccupationBody>,
    pub currencies: Vec<CurrencyBody>,
}

/// The work-permit-exemption catalogue. Public: it is what anyone may apply for.
#[utoipa::path(get, path = "/catalog/work-permit-exemption", tag = "catalog",
    responses((status = 200, body = CatalogBody)))]
pub async fn work_permit_exemption(State(state): State<WebState>, ctx: Ctx) -> Response {
    let catalog = &state.app.catalog;
    let language = ctx.language;
    let body = CatalogBody {
        version: catalog.version.clone(),
        legal_basis: catalog.legal_basis.get(language).to_owned(),
        sectors: catalog
            .sectors
            .iter()
            .map(|sector| SectorBody {
                code: sector.code.clone(),
                name: sector.name.get(language).to_owned(),
                categories: sector
                    .categories
                    .iter()
                    .map(|c| CategoryBody {
                        code: c.code.clone(),
                        letter: c.letter.clone(),
                        name: c.name.get(language).to_owned(),
                        help: c.help.get(language).to_owned(),
                        max_months: c.max_months,
                        reapply_wait_months: c.reapply_wait_months,
                        legal_reference: c.legal_reference.get(language).to_owned(),
                        default_occupation: c.default_occupation.clone(),
                        documents: c
                            .documents
                            .iter()
                            .map(|d| DocumentSlotBody {
                                slot: d.slot.clone(),
                                label: d.label.get(language).to_owned(),
                                help: d.help.get(language).to_owned(),
                                required: d.required,
                                max_files: d.max_files,
                                types: d.types.clone(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        occupations: catalog
            .occupations
            .iter()
            .map(|o| OccupationBody {
                code: o.code.clone(),
                name: o.names.get(language).to_owned(),
            })
            .collect(),
        currencies: catalog
            .currencies
            .iter()
            .map(|c| CurrencyBody {
                code: c.code.clone(),
                symbol: c.symbol.clone(),
                name: c.names.get(language).to_owned(),
            })
            .collect(),
    };
    Json(body).into_response()
}
