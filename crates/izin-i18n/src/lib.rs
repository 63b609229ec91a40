//! The portal's texts. Short texts are Fluent messages in `locales/{tr,en}/*.ftl`; long pages
//! are Markdown in `locales/{tr,en}/content/*.md`. Both are compiled into the binary, checked at
//! start-up (every message exists in both languages, every file parses) and served from memory.
//!
//! Messages without arguments are formatted once at load, so a page's lookups are map reads.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use izin_domain::Language;
use std::collections::{BTreeSet, HashMap};

pub use fluent_bundle::FluentValue as Value;

/// The long-form pages, the same set in every language.
pub const CONTENT_PAGES: &[&str] = &[
    "home",
    "who-can-apply",
    "faq",
    "guide",
    "contact",
    "privacy",
    "kvkk-information",
    "kvkk-consent",
];

/// The message files, the same set in every language.
macro_rules! message_files {
    ($lang:literal) => {
        embed_files!(
            $lang,
            "",
            ".ftl",
            [
                "common",
                "auth",
                "errors",
                "mail",
                "profile",
                "application",
                "document",
                "officer",
                "payment"
            ]
        )
    };
}

/// The long-form pages (see [`CONTENT_PAGES`]).
macro_rules! content_files {
    ($lang:literal) => {
        embed_files!(
            $lang,
            "content/",
            ".md",
            [
                "home",
                "who-can-apply",
                "faq",
                "guide",
                "contact",
                "privacy",
                "kvkk-information",
                "kvkk-consent"
            ]
        )
    };
}

macro_rules! embed_files {
    ($lang:literal, $dir:literal, $ext:literal, [$($name:literal),* $(,)?]) => {
        [$(($name, include_str!(concat!("../../../locales/", $lang, "/", $dir, $name, $ext)))),*]
    };
}

/// A problem in the locale files; start-up stops with it.
#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("locales/{language}/{file}.ftl does not parse: {detail}")]
    Parse {
        language: Language,
        file: &'static str,
        detail: String,
    },
    #[error("message {id:?} is defined twice in locales/{language}")]
    Duplicate { language: Language, id: String },
    #[error("message {id:?} exists in locales/{has} but not in locales/{lacks}")]
    Missing {
        id: String,
        has: Language,
        lacks: Language,
    },
    #[error("message {id:?} in locales/{language} does not format: {detail}")]
    Format {
        language: Language,
        id: String,
        detail: String,
    },
}

struct Catalog {
    bundle: FluentBundle<FluentResource>,
    plain: HashMap<String, String>,
    content: HashMap<&'static str, String>,
    /// The Markdown sources of the long-form pages, for versioning them.
    sources: HashMap<&'static str, &'static str>,
    ids: BTreeSet<String>,
}

/// All texts in all languages.
pub struct Texts {
    tr: Catalog,
    en: Catalog,
}

impl Texts {
    /// Loads and checks the compiled-in locale files.
    pub fn load() -> Result<Self, I18nError> {
        let tr = Catalog::load(Language::Tr, &message_files!("tr"), &content_files!("tr"))?;
        let en = Catalog::load(Language::En, &message_files!("en"), &content_files!("en"))?;
        for (has, lacks, a, b) in [
            (Language::Tr, Language::En, &tr, &en),
            (Language::En, Language::Tr, &en, &tr),
        ] {
            if let Some(id) = a.ids.difference(&b.ids).next() {
                return Err(I18nError::Missing {
                    id: id.clone(),
                    has,
                    lacks,
                });
            }
        }
        Ok(Self { tr, en })
    }

    fn catalog(&self, language: Language) -> &Catalog {
        match language {
            Language::Tr => &self.tr,
            Language::En => &self.en,
        }
    }

    /// A message without arguments. An unknown id yields the id itself, which tests catch.
    pub fn get<'a>(&'a self, language: Language, id: &'a str) -> &'a str {
        self.catalog(language)
            .plain
            .get(id)
            .map_or(id, String::as_str)
    }

    /// Whether a message exists (in every language; `load` guarantees they agree).
    pub fn has(&self, id: &str) -> bool {
        self.en.ids.contains(id)
    }

    /// A message with arguments.
    pub fn format(&self, language: Language, id: &str, args: &[(&str, Value<'_>)]) -> String {
        let catalog = self.catalog(language);
        let Some(pattern) = catalog.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        catalog
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    /// A long-form page rendered to HTML.
    pub fn content(&self, language: Language, page: &str) -> Option<&str> {
        self.catalog(language).content.get(page).map(String::as_str)
    }

    /// A short identifier of the current wording of `pages` in every language: it changes
    /// whenever any of their text does. A consent records it, so what was agreed to is known.
    pub fn content_version(&self, pages: &[&str]) -> String {
        // FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for catalog in [&self.tr, &self.en] {
            for page in pages {
                let source = catalog.sources.get(page).copied().unwrap_or("");
                for byte in page.bytes().chain([0]).chain(source.bytes()).chain([0]) {
                    hash ^= u64::from(byte);
                    hash = hash.wrapping_mul(0x0100_0000_01b3);
                }
            }
        }
        format!("{hash:016x}")
    }

    /// Every message id (identical in all languages).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.en.ids.iter().map(String::as_str)
    }
}

impl Catalog {
    fn load(
        language: Language,
        files: &[(&'static str, &'static str)],
        pages: &[(&'static str, &'static str)],
    ) -> Result<Self, I18nError> {
        let langid: unic_langid::LanguageIdentifier = language
            .code()
            .parse()
            .expect("language codes are valid identifiers");
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        // Isolation marks help mixed-direction text; both our languages are left-to-right, and the
        // marks would leak into mail and plain-text output.
        bundle.set_use_isolating(false);
        let mut ids = BTreeSet::new();
        for (file, source) in files {
            let resource =
                FluentResource::try_new((*source).to_owned()).map_err(|(_, errors)| {
                    I18nError::Parse {
                        language,
                        file,
                        detail: format!("{errors:?}"),
                    }
                })?;
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(message) = entry {
                    let id = message.id.name.to_owned();
                    if !ids.insert(id.clone()) {
                        return Err(I18nError::Duplicate { language, id });
                    }
                }
            }
            bundle
                .add_resource(resource)
                .map_err(|errors| I18nError::Parse {
                    language,
                    file,
                    detail: format!("{errors:?}"),
                })?;
        }
        let mut plain = HashMap::new();
        for id in &ids {
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle
                .format_pattern(pattern, None, &mut errors)
                .into_owned();
            if errors.is_empty() {
                plain.insert(id.clone(), text);
            } else if !errors.iter().all(is_missing_argument) {
                return Err(I18nError::Format {
                    language,
                    id: id.clone(),
                    detail: format!("{errors:?}"),
                });
            }
        }
        let content = pages
            .iter()
            .map(|(name, markdown)| (*name, render_markdown(markdown)))
            .collect();
        Ok(Self {
            bundle,
            plain,
            content,
            sources: pages.iter().copied().collect(),
            ids,
        })
    }
}

fn is_missing_argument(error: &fluent_bundle::FluentError) -> bool {
    matches!(
        error,
        fluent_bundle::FluentError::ResolverError(
            fluent_bundle::resolver::ResolverError::Reference(
                fluent_bundle::resolver::errors::ReferenceKind::Variable { .. }
            )
        )
    )
}

/// Renders trusted Markdown to HTML. Raw HTML in the source is shown as text, tables scroll
/// sideways on narrow screens, and headings get ids so pages can link to sections.
pub fn render_markdown(markdown: &str) -> String {
    use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES);
    let mut events = Vec::new();
    let mut heading_text: Option<String> = None;
    let mut heading_start = 0;
    for event in parser {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Start(Tag::Heading { .. }) => {
                heading_start = events.len();
                heading_text = Some(String::new());
                events.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let (Some(text), Some(Event::Start(Tag::Heading { id, .. }))) =
                    (heading_text.take(), events.get_mut(heading_start))
                {
                    *id = Some(CowStr::from(slug(&text)));
                }
                events.push(event);
            }
            Event::Start(Tag::Table(_)) => {
                events.push(Event::Html(CowStr::from("<div class=\"table-scroll\">")));
                events.push(event);
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                events.push(Event::Html(CowStr::from("</div>")));
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                if let Some(heading) = heading_text.as_mut() {
                    heading.push_str(text);
                }
                events.push(event);
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// An ASCII anchor for a heading, Turkish letters folded.
pub fn slug(text: &str) -> String {
    let folded = izin_domain::text::search_key(text);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_load_and_agree() {
        let texts = Texts::load().expect("locale files are valid");
        assert!(texts.ids().count() > 20);
        // One message from every file, so a file left out of the list is noticed.
        for id in [
            "site-name",
            "login-title",
            "code-wrong",
            "mail-code-subject",
            "documents-lead",
        ] {
            assert!(texts.has(id), "{id}");
        }
        for page in CONTENT_PAGES {
            for language in Language::ALL {
                let html = texts.content(language, page).expect("page exists");
                assert!(html.contains("<"), "{language}/{page} rendered");
            }
        }
    }

    #[test]
    fn a_content_version_changes_exactly_when_the_wording_does() {
        let texts = Texts::load().unwrap();
        let pages = ["kvkk-information", "kvkk-consent"];
        let version = texts.content_version(&pages);
        assert_eq!(version.len(), 16);
        assert!(version.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(Texts::load().unwrap().content_version(&pages), version);
        assert_ne!(texts.content_version(&pages[..1]), version);

        let mut reworded = Texts::load().unwrap();
        let original = reworded.en.sources["kvkk-consent"];
        let changed: &'static str = Box::leak(format!("{original} ").into_boxed_str());
        reworded.en.sources.insert("kvkk-consent", changed);
        assert_ne!(
            reworded.content_version(&pages),
            version,
            "one more space counts"
        );
        assert_eq!(
            reworded.content_version(&["kvkk-information"]),
            texts.content_version(&["kvkk-information"]),
            "other pages keep their version"
        );
    }

    #[test]
    fn messages_differ_by_language_and_format_arguments() {
        let texts = Texts::load().unwrap();
        assert_ne!(texts.get(Language::Tr, "site-name"), "site-name");
        assert_ne!(
            texts.get(Language::Tr, "nav-log-out"),
            texts.get(Language::En, "nav-log-out")
        );
        let text = texts.format(Language::En, "code-wrong", &[("attempts", Value::from(3))]);
        assert!(text.contains('3'), "{text}");
        assert_eq!(
            texts.get(Language::En, "no-such-message"),
            "no-such-message"
        );
    }

    #[test]
    fn markdown_escapes_html_and_wraps_tables() {
        let html =
            render_markdown("## Çalışma İzni\n\n<script>x</script>\n\n|a|b|\n|-|-|\n|1|2|\n");
        assert!(html.contains("<h2 id=\"calisma-izni\">"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(
            html.contains("<div class=\"table-scroll\"><table>"),
            "{html}"
        );
    }
}

#[cfg(test)]
mod junk_tests {
    use fluent_bundle::FluentResource;

    #[test]
    fn fluent_refuses_identifiers_with_dots() {
        // Field paths like `spouse.first_name` map to ids with `_`; a dot would be junk.
        assert!(FluentResource::try_new("field-spouse.first_name = Spouse\n".to_owned()).is_err());
    }
}
