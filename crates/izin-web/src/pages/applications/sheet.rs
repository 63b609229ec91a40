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

pub struct Sheet {
    pub sections: Vec<SheetSection>,
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
