//! An application laid out for reading, section by section, each with its rows and files: the
//! preview (with links to where each section is changed) and the Detail page (from the frozen
//! version). Each kind builds its own sections; the layout is the same for every kind.

use crate::context::RequestContext;
use izin_domain::records::Document;
use std::collections::HashMap;
use uuid::Uuid;

/// A file of the application, linked for download.
pub struct FileLink {
    pub id: Uuid,
    pub name: String,
    pub href: String,
}

impl FileLink {
    pub fn new(document: &Document) -> Self {
        FileLink {
            id: document.id,
            name: document.file_name.clone(),
            href: format!("/documents/{}/download", document.id),
        }
    }
}

pub struct SheetSection {
    pub title: String,
    /// Where the section is changed (the preview only).
    pub edit: Option<String>,
    pub rows: Vec<(String, String)>,
    pub files: Vec<(String, Vec<FileLink>)>,
    /// Columns side by side (two records of the same thing), drawn as a table.
    pub table: Option<SheetTable>,
}

/// A table of a sheet section: a caption, column headings and rows, each row marked when its
/// values differ.
pub struct SheetTable {
    pub caption: String,
    pub headings: Vec<String>,
    pub rows: Vec<SheetTableRow>,
}

pub struct SheetTableRow {
    pub cells: Vec<String>,
    pub marked: bool,
}

/// An index as templates hand it over: by value or behind references.
pub trait Position {
    fn position(&self) -> usize;
}

impl Position for usize {
    fn position(&self) -> usize {
        *self
    }
}

impl<T: Position + ?Sized> Position for &T {
    fn position(&self) -> usize {
        (**self).position()
    }
}

pub struct Sheet {
    pub sections: Vec<SheetSection>,
    /// Rows (section, row) that differ from an earlier version, for the officer comparing a
    /// resubmission with the version before.
    pub changed: Vec<(usize, usize)>,
}

impl Sheet {
    pub fn new(sections: Vec<SheetSection>) -> Self {
        Sheet {
            sections,
            changed: Vec::new(),
        }
    }

    /// Whether row `row` of section `section` was marked (templates pass indices by reference,
    /// however deep).
    pub fn is_changed(&self, section: impl Position, row: impl Position) -> bool {
        self.changed.contains(&(section.position(), row.position()))
    }

    /// Marks the rows whose value is not what `previous` said under the same section and label
    /// (a row that was not there before counts as changed).
    pub fn mark_changes_since(&mut self, previous: &Sheet) {
        let before: HashMap<(&str, &str), &str> = previous
            .sections
            .iter()
            .flat_map(|s| {
                s.rows
                    .iter()
                    .map(move |(label, value)| ((s.title.as_str(), label.as_str()), value.as_str()))
            })
            .collect();
        let before_files: HashMap<(&str, &str), Vec<Uuid>> = previous
            .sections
            .iter()
            .flat_map(|s| {
                s.files.iter().map(move |(label, files)| {
                    (
                        (s.title.as_str(), label.as_str()),
                        files.iter().map(|f| f.id).collect(),
                    )
                })
            })
            .collect();
        let mut changed = Vec::new();
        for (si, section) in self.sections.iter().enumerate() {
            for (ri, (label, value)) in section.rows.iter().enumerate() {
                if before.get(&(section.title.as_str(), label.as_str())) != Some(&value.as_str()) {
                    changed.push((si, ri));
                }
            }
            // Files are marked after the rows, numbered on from them.
            for (fi, (label, files)) in section.files.iter().enumerate() {
                let ids: Vec<Uuid> = files.iter().map(|f| f.id).collect();
                if before_files.get(&(section.title.as_str(), label.as_str())) != Some(&ids) {
                    changed.push((si, section.rows.len() + fi));
                }
            }
        }
        self.changed = changed;
    }

    /// Points every file link at `href(id)` (an officer opens files through the back office).
    pub fn link_files(&mut self, href: impl Fn(Uuid) -> String) {
        for section in &mut self.sections {
            for (_, files) in &mut section.files {
                for file in files {
                    file.href = href(file.id);
                }
            }
        }
    }
}

/// Rows of one section, each value or "—".
pub struct Rows<'a> {
    pub ctx: &'a RequestContext,
    pub rows: Vec<(String, String)>,
}

impl<'a> Rows<'a> {
    pub fn new(ctx: &'a RequestContext) -> Self {
        Rows {
            ctx,
            rows: Vec::new(),
        }
    }

    pub fn add(&mut self, label_id: &str, value: Option<String>) {
        let none = self.ctx.t("preview-none").to_owned();
        self.rows.push((
            self.ctx.t(label_id).to_owned(),
            value.filter(|v| !v.trim().is_empty()).unwrap_or(none),
        ));
    }
}

/// The files of `ids` that are among `documents`, in order.
pub fn files(ids: &[Uuid], documents: &HashMap<Uuid, Document>) -> Vec<FileLink> {
    ids.iter()
        .filter_map(|id| documents.get(id))
        .map(FileLink::new)
        .collect()
}
