//! The pieces every server-rendered form is built from: the values typed or stored, the
//! options of a list, a file already attached, and one control ready to render (the
//! `field.html` template draws it).

use std::collections::HashMap;

/// Submitted or stored values of a form, by input name.
#[derive(Debug, Default, Clone)]
pub struct Values(HashMap<String, Vec<String>>);

impl Values {
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.insert(name.to_owned(), vec![value.into()]);
    }

    pub fn set_opt<T: ToString>(&mut self, name: &str, value: Option<T>) {
        if let Some(value) = value {
            self.set(name, value.to_string());
        }
    }

    pub fn push(&mut self, name: &str, value: String) {
        self.0.entry(name.to_owned()).or_default().push(value);
    }

    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .get(name)
            .and_then(|v| v.first())
            .filter(|v| !v.trim().is_empty())
            .cloned()
    }

    pub fn one(&self, name: &str) -> String {
        self.get(name).unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.get(name).cloned().unwrap_or_default()
    }

    /// Whether nothing at all was filled in.
    pub fn is_blank(&self) -> bool {
        self.0.values().flatten().all(|v| v.trim().is_empty())
    }
}

/// An option of a list.
pub struct Choice {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

/// A file already attached to a field.
pub struct CurrentFile {
    pub name: String,
    pub href: String,
}

/// One control of a section form, ready to render.
pub struct FormField {
    pub id: String,
    pub label: String,
    pub hint: Option<String>,
    pub value: String,
    pub error: Option<String>,
    pub optional: bool,
    /// When the field is required only in some cases, which ("required if married"); shown
    /// instead of "(optional)" so that the label and the rule agree.
    pub required_when: Option<String>,
    pub verified: bool,
    /// text | textarea | select | multiselect | radios | file | readonly
    pub kind: &'static str,
    pub input_type: &'static str,
    pub autocomplete: &'static str,
    pub inputmode: &'static str,
    pub maxlength: u32,
    pub options: Vec<Choice>,
    pub searchable: bool,
    pub accept: &'static str,
    pub current: Option<CurrentFile>,
    /// A heading and hint shown before this field, starting a group.
    pub group: Option<(String, String)>,
    /// For `grouped`: the options under each group's name.
    pub groups: Vec<(String, Vec<Choice>)>,
    /// For `grouped`: the input whose value names the group to offer (scripts narrow the list).
    pub depends_on: &'static str,
    /// When scripts may hide this field: `name=value` of another input (`has_employer=true`), or
    /// `period=long|short`. Without scripts every field shows, and answers that do not apply are
    /// ignored.
    pub show_when: &'static str,
}

impl FormField {
    /// A control of `kind` with nothing else set.
    pub fn new(id: &str, kind: &'static str, label: String) -> Self {
        FormField {
            id: id.to_owned(),
            label,
            hint: None,
            value: String::new(),
            error: None,
            optional: false,
            required_when: None,
            verified: false,
            kind,
            input_type: "text",
            autocomplete: "off",
            inputmode: "text",
            maxlength: 100,
            options: Vec::new(),
            searchable: false,
            accept: "",
            current: None,
            group: None,
            groups: Vec::new(),
            depends_on: "",
            show_when: "",
        }
    }

    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }
}
