//! User Information: reading the profile with what it still lacks, and saving one section at a
//! time. Documents the sections point to must be the user's own, of the right kind.

use crate::App;
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::calendar::today_in_turkiye;
use izin_domain::documents::DocumentKind;
use izin_domain::profile::{
    Completeness, ContactInput, ContactSection, EducationInput, EducationSection, PassportInput,
    PassportSection, PersonalInput, PersonalSection, Profile, RuleContext, Section, Violation,
};
use izin_store::{Document, NewAuditEntry, SectionData, User};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{} invalid field(s)", .0.len())]
    Invalid(Vec<Violation>),
    #[error(transparent)]
    Store(#[from] crate::StorageFailure),
}

crate::failure::storage_failure_converts!(SaveError);

/// The profile as the pages and the API show it.
#[derive(Debug, Clone)]
pub struct ProfileView {
    pub profile: Profile,
    pub completeness: Completeness,
    /// The documents the sections point to, by id.
    pub documents: HashMap<Uuid, Document>,
}

/// A section's input, as typed.
#[derive(Debug, Clone)]
pub enum SectionInput {
    Personal(PersonalInput),
    Contact(ContactInput),
    Passport(PassportInput),
    Education(EducationInput),
}

pub struct ProfileService<'a> {
    pub(crate) app: &'a App,
}

impl ProfileService<'_> {
    fn today(&self) -> time::Date {
        today_in_turkiye(self.app.clock.now())
    }

    /// The profile as stored.
    pub async fn profile(&self, user: &User) -> Result<Profile, crate::StorageFailure> {
        Ok(self.app.store.profile(user.id).await?)
    }

    /// The profile, with references to documents that no longer exist dropped.
    pub async fn view(&self, user: &User) -> Result<ProfileView, crate::StorageFailure> {
        let mut profile = self.app.store.profile(user.id).await?;
        let documents: HashMap<Uuid, Document> = self
            .app
            .store
            .documents(user.id)
            .await?
            .into_iter()
            .map(|listing| (listing.document.id, listing.document))
            .collect();
        for slot in document_slots(&mut profile) {
            if slot.is_some_and(|id| !documents.contains_key(&id)) {
                *slot = None;
            }
        }
        let completeness = profile.completeness(self.today());
        Ok(ProfileView {
            profile,
            completeness,
            documents,
        })
    }

    /// Checks and stores one section; nothing is stored if any field is invalid.
    pub async fn save(
        &self,
        user: &User,
        input: &SectionInput,
        client: &ClientInfo,
    ) -> Result<SectionData, SaveError> {
        let data = self.validate(user, input).await?;
        let section = data.section();
        let audit = NewAuditEntry::new(
            self.app.clock.now(),
            Actor::User(user.id),
            AuditAction::ProfileSectionSaved,
            client,
        )
        .subject(format!("user:{}", user.id))
        .detail("section", section.code());
        self.app
            .store
            .save_profile_section(user.id, data.clone(), self.app.clock.now(), audit)
            .await?;
        Ok(data)
    }

    /// Checks a section without storing it, reporting every invalid field.
    pub async fn check(&self, user: &User, input: &SectionInput) -> Result<(), SaveError> {
        self.validate(user, input).await.map(|_| ())
    }

    async fn validate(&self, user: &User, input: &SectionInput) -> Result<SectionData, SaveError> {
        let reference = &self.app.reference;
        let ctx = RuleContext {
            today: self.today(),
            reference,
        };
        let stored = self.app.store.profile(user.id).await?;
        let data = match input {
            SectionInput::Personal(i) => PersonalSection::from_input(i, &ctx)
                .map(|s| SectionData::Personal(stored.with_personal(s))),
            SectionInput::Contact(i) => {
                ContactSection::from_input(i, &ctx).map(SectionData::Contact)
            }
            SectionInput::Passport(i) => PassportSection::from_input(i, &ctx)
                .map(|s| SectionData::Passport(stored.with_passport(s))),
            SectionInput::Education(i) => {
                EducationSection::from_input(i, &ctx).map(SectionData::Education)
            }
        };
        let mut violations = match &data {
            Ok(_) => Vec::new(),
            Err(v) => v.clone(),
        };
        // Document references are checked even when other fields failed, so every problem is
        // reported at once.
        for (field, kind, id) in referenced_documents(input) {
            if let Some(id) = id {
                match self.app.store.document(user.id, id).await? {
                    None => violations.push(Violation::new(field, "document-not-found")),
                    Some(doc) if doc.kind != kind => {
                        violations.push(Violation::new(field, "document-wrong-kind"))
                    }
                    Some(_) => {}
                }
            }
        }
        match data {
            Ok(data) if violations.is_empty() => Ok(data),
            _ => Err(SaveError::Invalid(violations)),
        }
    }

    /// Makes the profile point at `new` wherever it pointed at `old` (or at nothing).
    pub async fn repoint_document(
        &self,
        user: &User,
        old: Uuid,
        new: Option<Uuid>,
        client: &ClientInfo,
    ) -> Result<(), crate::StorageFailure> {
        let mut profile = self.app.store.profile(user.id).await?;
        let mut changed = Vec::new();
        {
            let Profile {
                personal,
                passport,
                education,
                ..
            } = &mut profile;
            for (section, slot) in [
                (Section::Personal, &mut personal.photo_document_id),
                (Section::Passport, &mut passport.scan_document_id),
                (Section::Education, &mut education.turkish_proof_document_id),
                (Section::Education, &mut education.diploma_document_id),
            ] {
                if *slot == Some(old) {
                    *slot = new;
                    changed.push(section);
                }
            }
        }
        changed.dedup();
        for section in changed {
            let data = match section {
                Section::Personal => SectionData::Personal(profile.personal.clone()),
                Section::Passport => SectionData::Passport(profile.passport.clone()),
                Section::Education => SectionData::Education(profile.education.clone()),
                Section::Contact => continue,
            };
            let audit = NewAuditEntry::new(
                self.app.clock.now(),
                Actor::User(user.id),
                AuditAction::ProfileSectionSaved,
                client,
            )
            .subject(format!("user:{}", user.id))
            .detail("section", section.code())
            .detail("document_replaced", old.to_string());
            self.app
                .store
                .save_profile_section(user.id, data, self.app.clock.now(), audit)
                .await?;
        }
        Ok(())
    }
}

fn document_slots(profile: &mut Profile) -> [&mut Option<Uuid>; 4] {
    let Profile {
        personal,
        passport,
        education,
        ..
    } = profile;
    [
        &mut personal.photo_document_id,
        &mut passport.scan_document_id,
        &mut education.turkish_proof_document_id,
        &mut education.diploma_document_id,
    ]
}

/// The document fields of an input, with the kind each must be.
fn referenced_documents(input: &SectionInput) -> Vec<(&'static str, DocumentKind, Option<Uuid>)> {
    let parse = |raw: &Option<String>| {
        raw.as_deref()
            .map(str::trim)
            .and_then(|r| Uuid::parse_str(r).ok())
    };
    match input {
        SectionInput::Personal(i) => vec![(
            "photo_document_id",
            DocumentKind::Photo,
            parse(&i.photo_document_id),
        )],
        SectionInput::Passport(i) => vec![(
            "scan_document_id",
            DocumentKind::Passport,
            parse(&i.scan_document_id),
        )],
        SectionInput::Education(i) => vec![
            (
                "turkish_proof_document_id",
                DocumentKind::TurkishProof,
                parse(&i.turkish_proof_document_id),
            ),
            (
                "diploma_document_id",
                DocumentKind::Diploma,
                parse(&i.diploma_document_id),
            ),
        ],
        SectionInput::Contact(_) => Vec::new(),
    }
}
