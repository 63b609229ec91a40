//! The New Card Application's one step: the reason, its description, and where the card is to
//! be sent; for a change in personal information, the identity the exemption was approved with
//! compared with the migration registry's record, kept on the draft as it was when asked.

use super::{ApplicationError, ApplicationService};
use izin_domain::application::Kind;
use izin_domain::application::Step;
use izin_domain::application::new_card::{
    CardInput, DeliveryAddress, Identity, NewCard, NewCardDraft, Reason, compare,
};
use izin_domain::audit::ClientInfo;
use izin_domain::identifiers::ForeignerId;
use izin_domain::profile::Violation;
use izin_domain::records::{ApplicationRecord, User};
use uuid::Uuid;

impl ApplicationService<'_> {
    /// The user's new-card application `id` with its draft; any other kind is not found here.
    pub async fn new_card_draft(
        &self,
        user: &User,
        id: Uuid,
    ) -> Result<(ApplicationRecord, NewCardDraft), ApplicationError> {
        let record = self.get(user, id).await?;
        if record.kind != Kind::NewCard {
            return Err(ApplicationError::NotFound);
        }
        let draft = NewCard::draft(&record.data)?;
        Ok((record, draft))
    }

    /// Saves the card step. The different address is looked up in the address registry; for a
    /// change in personal information the migration registry is asked for the holder's record
    /// now, and both columns are kept with the draft.
    pub async fn save_card(
        &self,
        user: &User,
        id: Uuid,
        input: &CardInput,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, ApplicationError> {
        let (_, draft) = self.new_card_draft(user, id).await?;
        let card = input.check().map_err(ApplicationError::Invalid)?;
        let different_address = match &card.different_address {
            None => None,
            Some(code) => match self.app.registries.address(code).await? {
                Some(found) => Some(DeliveryAddress {
                    residential_code: Some(code.clone()),
                    address: found.text,
                    province: Some(found.province),
                    district: Some(found.district),
                }),
                None => {
                    return Err(ApplicationError::Invalid(vec![Violation::new(
                        "different_address.residential_code",
                        "address-code-unknown",
                    )]));
                }
            },
        };
        let comparison = match (card.reason, &draft.system_identity) {
            (Reason::PersonalInformationChange, Some(system)) => {
                self.registry_comparison(system).await?
            }
            _ => None,
        };
        self.edit(user, id, Step::CARD, client, move |data, _| {
            let mut draft = NewCard::draft(data)?;
            draft.reason = Some(card.reason);
            draft.description = card.description.clone();
            draft.different_address = different_address.clone();
            draft.comparison = comparison.clone();
            *data = serde_json::to_value(&draft)?;
            Ok(())
        })
        .await
    }

    /// The approved identity beside the migration registry's record of the same foreigner ID;
    /// `None` when the registry has no record of it.
    async fn registry_comparison(
        &self,
        system: &Identity,
    ) -> Result<Option<izin_domain::identity::Comparison>, ApplicationError> {
        let Ok(foreigner_id) = ForeignerId::parse(&system.foreigner_id) else {
            return Ok(None);
        };
        let Some(person) = self.app.registries.person(&foreigner_id).await? else {
            return Ok(None);
        };
        let registry = Identity {
            foreigner_id: foreigner_id.as_str().to_owned(),
            first_name: person.first_name,
            last_name: person.last_name,
            mother_name: person.mother_name,
            father_name: person.father_name,
            nationality: person.nationality,
            date_of_birth: Some(person.date_of_birth),
        };
        Ok(Some(compare(system.clone(), registry)))
    }
}
