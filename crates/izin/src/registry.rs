//! Filling the simulated government registries: `izin registry import FILE`, and the demo data
//! `izin serve --demo` loads (compiled in, so it works from any directory).

use crate::config::Config;
use crate::serve::{open_store, prepare_data_dir};
use anyhow::Context;
use izin_app::registries::fixture::RegistryFixture;
use izin_app::registries::simulator;
use izin_domain::reference::Reference;
use izin_store::{ImportReport, Store, TableImport};
use std::path::Path;

const DEMO: &str = include_str!("../../../demo/registry.json");

/// Checks the whole file first, so that a bad record leaves the database untouched, then
/// imports it and prints what was new, table by table.
pub async fn import(config: Config, file: &Path) -> anyhow::Result<()> {
    let reference =
        Reference::embedded().context("the reference data in catalog/reference is broken")?;
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("{}: cannot read the file", file.display()))?;
    let fixture = RegistryFixture::parse(&text, &reference)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    prepare_data_dir(&config)?;
    let store = open_store(&config).await?;
    let report = simulator::import(store.as_ref(), fixture)
        .await
        .context("the import failed; nothing was stored")?;
    print!("{}", report_lines(&report));
    Ok(())
}

/// One line per table, as `residence_rights: 3 new, 0 already known`.
fn report_lines(report: &ImportReport) -> String {
    let mut lines = String::new();
    for (
        table,
        TableImport {
            new,
            updated,
            known,
        },
    ) in report.tables()
    {
        lines.push_str(&format!("{table}: {new} new, "));
        if updated > 0 {
            lines.push_str(&format!("{updated} updated, "));
        }
        lines.push_str(&format!("{known} already known\n"));
    }
    lines
}

/// Loads the demo data with its dates moved to `today` (the file tells its stories as of its
/// `as_of` day), replacing what an earlier start stored about the same people so the stories
/// stay true on any day; returns the line that tells a tester what to type.
pub async fn load_demo(
    store: &dyn Store,
    reference: &Reference,
    today: time::Date,
) -> anyhow::Result<String> {
    let fixture = RegistryFixture::parse(DEMO, reference)
        .map_err(|e| anyhow::anyhow!("the demo registry data (demo/registry.json) is broken: {e}"))?
        .moved_to(today);
    let summary = demo_summary(&fixture);
    simulator::replace(store, fixture)
        .await
        .context("cannot load the demo registry data")?;
    Ok(summary)
}

/// Names the first record of each list: the demo file puts the ones that succeed first.
fn demo_summary(fixture: &RegistryFixture) -> String {
    let mut examples = Vec::new();
    if let Some(right) = fixture.residence_rights.first() {
        examples.push(format!("foreigner ID {}", right.foreigner_id));
    }
    if let Some(crossing) = fixture.border_crossings.first() {
        let entered = fixture
            .border_crossings
            .iter()
            .filter(|c| {
                c.passport_number == crossing.passport_number
                    && c.passport_country == crossing.passport_country
            })
            .map(|c| c.date)
            .max()
            .unwrap_or(crossing.date);
        examples.push(format!(
            "passport {} ({}, born {}, entered Türkiye on {})",
            crossing.passport_number,
            crossing.passport_country,
            crossing.birth_year,
            izin_domain::calendar::display_date(entered)
        ));
    }
    if let Some(consulate) = fixture.consulate_references.first() {
        examples.push(format!(
            "reference number {} (passport {}, born {})",
            consulate.reference_number, consulate.passport_number, consulate.birth_year
        ));
    }
    if let Some(address) = fixture.addresses.first() {
        examples.push(format!("address code {}", address.code));
    }
    if let Some(workplace) = fixture.workplaces.first() {
        examples.push(format!("SGK number {}", workplace.sgk_number));
    }
    format!(
        "Demo registry data is loaded; try {} (all of them: README, \"Registries (simulated)\").",
        examples.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_has_one_line_per_table() {
        let report = ImportReport {
            residence_rights: TableImport {
                new: 3,
                updated: 0,
                known: 0,
            },
            addresses: TableImport {
                new: 1,
                updated: 2,
                known: 4,
            },
            ..ImportReport::default()
        };
        assert_eq!(
            report_lines(&report),
            "residence_rights: 3 new, 0 already known\n\
             border_crossings: 0 new, 0 already known\n\
             consulate_references: 0 new, 0 already known\n\
             addresses: 1 new, 2 updated, 4 already known\n\
             workplaces: 0 new, 0 already known\n"
        );
    }

    #[test]
    fn the_demo_summary_names_what_a_tester_types() {
        let reference = Reference::embedded().unwrap();
        let fixture = RegistryFixture::parse(DEMO, &reference)
            .unwrap()
            .moved_to(time::macros::date!(2027 - 03 - 01));
        assert_eq!(
            demo_summary(&fixture),
            "Demo registry data is loaded; try foreigner ID 99587021348, passport C01X00T47 \
             (DEU, born 1990, entered Türkiye on 19/02/2027), reference number 2026BAKU00352011 (passport C03456789, born 1987), \
             address code 3406512874, SGK number 52064080866666660146574000 (all of them: README, \
             \"Registries (simulated)\")."
        );
    }
}
