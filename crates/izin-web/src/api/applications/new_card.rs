//! The New Card Application's own step under `/api/v1/applications/{id}`: `PUT …/card` with the
//! reason, the description and a different address; and the shape of its data. Creating one is
//! the shared `POST /applications {"kind": "new-card", "parent": …}`; documents go into the slots
//! `supporting` and `card_front_back` through the shared document routes.

use super::after_step;
use super::bodies::*;
use super::problems::*;
use crate::WebState;
use crate::api::json::{ApiJson, ApiUser};
use crate::api::problem::Problem;
use crate::extract::ValidPath;
use axum::extract::State;
use axum::response::Response;
use izin_domain::application::new_card::{CardInput, DeliveryAddress, NewCardDraft};
use izin_domain::identity::{Comparison, Identity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// The new card's step routes.
pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<WebState> {
    use utoipa_axum::routes;
    utoipa_axum::router::OpenApiRouter::new().routes(routes!(put_card))
}

/// A different address to send the card to, by its residential address code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DifferentAddressInput {
    /// The residential address code (10 digits), looked up in the address registry.
    pub residential_code: String,
}

/// The card step.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardBody {
    /// `lost_or_stolen`, `personal_information_change` or `administration_error`.
    pub reason: String,
    /// What was printed wrongly (required for `administration_error`, 10 to 2000 characters).
    #[serde(default)]
    pub description: Option<String>,
    /// "I want my new card to be sent to a different address than the one specified."; absent
    /// or null: the exemption's registered address.
    #[serde(default)]
    pub different_address: Option<DifferentAddressInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryAddressBody {
    pub residential_code: Option<String>,
    pub address: String,
    pub province: Option<String>,
    pub district: Option<String>,
}

/// A new-card application's data.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCardDataBody {
    /// `lost_or_stolen`, `personal_information_change` or `administration_error`; null until
    /// chosen.
    pub reason: Option<String>,
    pub description: Option<String>,
    /// "Your Registered Address in the System": the exemption's residential address.
    pub registered_address: Option<DeliveryAddressBody>,
    /// Where the card is to be sent instead, if anywhere.
    pub different_address: Option<DeliveryAddressBody>,
    /// The identity the exemption was approved with.
    pub system_identity: Option<Identity>,
    /// For a change in personal information: both columns and the fields that differ.
    pub comparison: Option<Comparison>,
    /// Documents by slot (`supporting`, `card_front_back`).
    pub documents: BTreeMap<String, Vec<Uuid>>,
}

fn address_body(address: &DeliveryAddress) -> DeliveryAddressBody {
    DeliveryAddressBody {
        residential_code: address
            .residential_code
            .as_ref()
            .map(|c| c.as_str().to_owned()),
        address: address.address.clone(),
        province: address.province.clone(),
        district: address.district.clone(),
    }
}

pub(crate) fn data_body(draft: &NewCardDraft) -> NewCardDataBody {
    NewCardDataBody {
        reason: draft.reason.map(|r| r.code().to_owned()),
        description: draft.description.as_ref().map(|d| d.as_str().to_owned()),
        registered_address: draft.registered_address.as_ref().map(address_body),
        different_address: draft.different_address.as_ref().map(address_body),
        system_identity: draft.system_identity.clone(),
        comparison: draft.comparison.clone(),
        documents: draft.documents.clone(),
    }
}

/// The card step: the reason, what it needs and the address. A different address is looked up
/// in the address registry; for a change in personal information the migration registry is
/// asked for the holder's record now, and the comparison is kept (see the preview's
/// `comparison`; an application whose records do not differ cannot be created).
#[utoipa::path(put, path = "/applications/{id}/card", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "A new-card draft, or one in REVISION")), request_body = CardBody,
    responses((status = 200, body = ApplicationBody),
              (status = 404, description = "Not one of the user's new-card applications", body = Problem, content_type = PROBLEM),
              (status = 409, description = "Not a draft or in revision", body = Problem, content_type = PROBLEM),
              (status = 422, description = "A field is invalid: the reason is not one of the three, the description is too short or long or holds hidden characters, the residential code is malformed or unknown", body = Problem, content_type = PROBLEM),
              (status = 503, description = "A registry did not answer", body = Problem, content_type = PROBLEM)))]
pub async fn put_card(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
    ApiJson(input): ApiJson<CardBody>,
) -> Response {
    let input = CardInput {
        reason: input.reason,
        description: input.description,
        different_address: input.different_address.map(|a| a.residential_code),
    };
    let result = state
        .app
        .applications()
        .save_card(&session.user, id, &input, &ctx.client)
        .await;
    after_step(&state, &ctx, &session, id, result).await
}
