//! The OpenAPI document as served at `/api/openapi.json`: what utoipa derives from the routes,
//! plus the answers every operation gives because of its shape — a bearer token, path
//! parameters, a JSON or multipart body — added here from that shape so that no route can
//! forget to document them. It also closes the response schemas that `#[serde(flatten)]`
//! builds over a closed input: utoipa renders those as `allOf` of an object that allows no other
//! property and the extra fields, which no response could ever satisfy.

use serde_json::{Map, Value, json};

/// What an operation answers because of its shape, with the problem `code`s a client sees.
struct ShapeAnswer {
    status: &'static str,
    description: &'static str,
}

const UNAUTHENTICATED: ShapeAnswer = ShapeAnswer {
    status: "401",
    description: "No valid token: none was sent, or it expired or was revoked \
                  (`unauthenticated`, `session-expired`).",
};
const INVALID_PATH: ShapeAnswer = ShapeAnswer {
    status: "400",
    description: "A path parameter is not of its documented form (`invalid-path`; `errors` names \
                  the parameter).",
};
const NOT_FOUND: ShapeAnswer = ShapeAnswer {
    status: "404",
    description: "Nothing with this identifier belongs to the caller (`not-found`). Another \
                  user's resources answer the same, so their existence is not revealed.",
};
const INVALID_JSON: ShapeAnswer = ShapeAnswer {
    status: "400",
    description: "The body is not valid JSON (`invalid-json`, with the line and column) or \
                  could not be read (`invalid-body`).",
};
const NOT_JSON: ShapeAnswer = ShapeAnswer {
    status: "415",
    description: "The body was not sent as `application/json` (`unsupported-media-type`).",
};
const JSON_TOO_LARGE: ShapeAnswer = ShapeAnswer {
    status: "413",
    description: "The body is larger than the server accepts (`payload-too-large`).",
};
const BAD_FIELDS: ShapeAnswer = ShapeAnswer {
    status: "422",
    description: "A field is missing, unknown, of the wrong type or invalid (`validation`; one \
                  entry in `errors` per field). Nothing was stored.",
};
const INVALID_FORM: ShapeAnswer = ShapeAnswer {
    status: "400",
    description: "The body is not a `multipart/form-data` form that can be read \
                  (`invalid-body`).",
};
const NOT_MULTIPART: ShapeAnswer = ShapeAnswer {
    status: "415",
    description: "The body was not sent as `multipart/form-data` \
                  (`unsupported-media-type`).",
};
const FILE_TOO_LARGE: ShapeAnswer = ShapeAnswer {
    status: "413",
    description: "The file is larger than its kind allows (`upload-too-large`; the message says \
                  the limit).",
};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What the server accepts that the derived schemas cannot say: the closed lists known at
/// start-up (the catalogue may be replaced with `--catalog-dir`).
pub struct Vocabulary {
    /// Application kinds started in a category, e.g. `work-permit-exemption`.
    pub kinds_with_categories: Vec<String>,
    /// Application kinds about another application, e.g. `new-card`.
    pub kinds_about_another: Vec<String>,
    /// The catalogue's category codes.
    pub categories: Vec<String>,
    /// The names `GET /api/v1/reference/{list}` answers.
    pub reference_lists: Vec<String>,
}

/// Every character Rust's `char::is_whitespace` accepts, which the parsers below skip or trim.
const WHITESPACE: &str = "\\t\\n\\u000b\\u000c\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/// The sign-in code as `izin_domain::otp` reads it: six decimal digits (ASCII, Arabic-Indic,
/// Persian, Devanagari or full-width), with spaces, hyphens, dashes and dots anywhere between.
fn code_pattern() -> String {
    let separator = format!("[{WHITESPACE}\\-\\u2010\\u2013\\u2014.\\u00b7]");
    let digit = "[0-9\\u0660-\\u0669\\u06f0-\\u06f9\\u0966-\\u096f\\uff10-\\uff19]";
    format!("^{separator}*({digit}{separator}*){{6}}$")
}

/// A login challenge as issued: 16 random bytes in unpadded base64url (22 characters).
fn challenge_pattern() -> String {
    format!("^[{WHITESPACE}]*[A-Za-z0-9_\\-]{{22}}[{WHITESPACE}]*$")
}

/// The links a client follows from what one operation answers to the next operation, so that
/// tools (and people) need not guess which `id` goes where.
/// One OpenAPI link: from an operation's answer to the operation it leads to.
struct Link {
    from: &'static str,
    status: &'static str,
    name: &'static str,
    to: &'static str,
    parameters: &'static [(&'static str, &'static str)],
}

const LINKS: &[Link] = &[
    Link {
        from: "create_application",
        status: "201",
        name: "GetApplication",
        to: "get_application",
        parameters: &[("id", "$response.body#/id")],
    },
    Link {
        from: "create_application",
        status: "201",
        name: "DeleteApplication",
        to: "delete_application",
        parameters: &[("id", "$response.body#/id")],
    },
    Link {
        from: "create_application",
        status: "201",
        name: "ChooseCategory",
        to: "put_category",
        parameters: &[("id", "$response.body#/id")],
    },
    Link {
        from: "create_application",
        status: "201",
        name: "Preview",
        to: "preview",
        parameters: &[("id", "$response.body#/id")],
    },
    Link {
        from: "create_application",
        status: "201",
        name: "Submit",
        to: "submit",
        parameters: &[("id", "$response.body#/id")],
    },
    Link {
        from: "create_application",
        status: "201",
        name: "ConfirmPlace",
        to: "put_place",
        parameters: &[("id", "$response.body#/id")],
    },
    Link {
        from: "create_application",
        status: "201",
        name: "GiveConsent",
        to: "put_consent",
        parameters: &[("id", "$response.body#/id")],
    },
    Link {
        from: "create_application",
        status: "201",
        name: "SaveEmployment",
        to: "put_employment",
        parameters: &[("id", "$response.body#/id")],
    },
    Link {
        from: "create_application",
        status: "201",
        name: "UploadToSlot",
        to: "post_document",
        parameters: &[("id", "$response.body#/id")],
    },
    Link {
        from: "create_application",
        status: "201",
        name: "SaveAdditional",
        to: "put_additional",
        parameters: &[("id", "$response.body#/id")],
    },
    Link {
        from: "create_application",
        status: "201",
        name: "RequestCancellation",
        to: "request_cancellation",
        parameters: &[("id", "$response.body#/id")],
    },
    Link {
        from: "create_application",
        status: "201",
        name: "Resubmit",
        to: "resubmit",
        parameters: &[("id", "$response.body#/id")],
    },
    // After an upload the application holds at least that document.
    Link {
        from: "post_document",
        status: "200",
        name: "DetachDocument",
        to: "detach_application_document",
        parameters: &[
            ("id", "$request.path.id"),
            ("document_id", "$response.body#/documents/0/id"),
        ],
    },
    Link {
        from: "upload_document",
        status: "201",
        name: "GetContent",
        to: "get_document_content",
        parameters: &[("id", "$response.body#/id")],
    },
    Link {
        from: "upload_document",
        status: "201",
        name: "DeleteDocument",
        to: "delete_document",
        parameters: &[("id", "$response.body#/id")],
    },
];

/// The `Idempotency-Key` header as `IdempotencyKey::parse` reads it: up to 200 visible ASCII
/// characters (an empty one is no key).
const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{0,200}$";

/// The served document.
pub fn document(openapi: &utoipa::openapi::OpenApi, vocabulary: &Vocabulary) -> Value {
    let mut doc = serde_json::to_value(openapi).unwrap_or_else(|_| json!({}));
    add_links(&mut doc);
    state_exact_parameters(&mut doc, vocabulary);
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            for method in METHODS {
                if let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) {
                    add_shape_answers(operation);
                }
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        close_flattened_schemas(schemas);
        state_exact_inputs(schemas, vocabulary);
    }
    doc
}

fn add_links(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        for method in METHODS {
            let Some(operation) = item.get_mut(method) else {
                continue;
            };
            let id = operation["operationId"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            for Link {
                from,
                status,
                name,
                to,
                parameters,
            } in LINKS.iter().filter(|l| l.from == id)
            {
                let Some(response) = operation.pointer_mut(&format!("/responses/{status}")) else {
                    debug_assert!(false, "{from} has no {status} answer to link from");
                    continue;
                };
                let parameters: Map<String, Value> = parameters
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
                    .collect();
                response["links"][*name] = json!({ "operationId": to, "parameters": parameters });
            }
        }
    }
}

/// Narrows parameters to what the server accepts, as `state_exact_inputs` does for bodies.
fn state_exact_parameters(doc: &mut Value, vocabulary: &Vocabulary) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        for method in METHODS {
            let Some(parameters) = item
                .get_mut(method)
                .and_then(|o| o.get_mut("parameters"))
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            for parameter in parameters {
                let constraint = match (parameter["in"].as_str(), parameter["name"].as_str()) {
                    (Some("header"), Some("Idempotency-Key")) => {
                        json!({ "pattern": IDEMPOTENCY_KEY_PATTERN })
                    }
                    (Some("path"), Some("list")) => json!({ "enum": vocabulary.reference_lists }),
                    _ => continue,
                };
                if let (Some(schema), Some(extra)) = (
                    parameter.get_mut("schema").and_then(Value::as_object_mut),
                    constraint.as_object(),
                ) {
                    schema.extend(extra.clone());
                }
            }
        }
    }
}

/// Narrows input schemas to exactly what the server accepts where that can be said in JSON
/// Schema; what cannot (reference lists, cross-field rules, documents that must be the caller's)
/// is described in each operation's 422 answer instead.
fn state_exact_inputs(schemas: &mut Map<String, Value>, vocabulary: &Vocabulary) {
    // A kind with categories is started in one of them; a kind about another application
    // names it as `parent`: two closed shapes.
    let created = json!({
        "description": "A kind with categories and one of its categories, or a kind about \
                        another application and that application.",
        "oneOf": [
            {"type": "object", "additionalProperties": false, "required": ["kind", "category"],
             "properties": {
                 "kind": {"type": "string", "enum": vocabulary.kinds_with_categories},
                 "category": {"type": "string", "enum": vocabulary.categories},
                 "parent": {"type": "null"}}},
            {"type": "object", "additionalProperties": false, "required": ["kind", "parent"],
             "properties": {
                 "kind": {"type": "string", "enum": vocabulary.kinds_about_another},
                 "parent": {"type": "string", "format": "uuid"},
                 "category": {"type": "null"}}}
        ]
    });
    schemas.insert("CreateInput".to_owned(), created);
    let mut set = |schema: &str, property: &str, constraint: Value| {
        if let Some(target) = schemas
            .get_mut(schema)
            .and_then(|s| s.pointer_mut(&format!("/properties/{property}")))
            .and_then(Value::as_object_mut)
            && let Some(extra) = constraint.as_object()
        {
            target.extend(extra.clone());
        }
    };
    set(
        "CardBody",
        "reason",
        json!({ "enum": ["lost_or_stolen", "personal_information_change", "administration_error"] }),
    );
    set(
        "CategoryInput",
        "category",
        json!({ "enum": vocabulary.categories }),
    );
    // Consent is the only answer the step takes; "no" is refused with what to do.
    set(
        "ConsentInput",
        "kvkk_explicit_consent",
        json!({ "enum": [true] }),
    );
    set(
        "EmailCodeVerify",
        "code",
        json!({ "pattern": code_pattern() }),
    );
    set(
        "EmailCodeVerify",
        "challenge",
        json!({ "pattern": challenge_pattern() }),
    );
    // Upload forms: the text part, then the file; nothing else is read.
    for form in ["UploadForm", "SlotUploadForm"] {
        if let Some(schema) = schemas.get_mut(form).and_then(Value::as_object_mut) {
            schema.insert("additionalProperties".into(), Value::Bool(false));
        }
    }
}

fn add_shape_answers(operation: &mut Map<String, Value>) {
    let secured = operation
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|s| !s.is_empty());
    let has_path_parameter = operation
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|ps| ps.iter().any(|p| p["in"] == "path"));
    let body_types: Vec<String> = operation
        .get("requestBody")
        .and_then(|b| b.get("content"))
        .and_then(Value::as_object)
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default();
    let mut answers = Vec::new();
    if secured {
        answers.push(UNAUTHENTICATED);
    }
    if has_path_parameter {
        answers.extend([INVALID_PATH, NOT_FOUND]);
    }
    if body_types.iter().any(|t| t == "application/json") {
        answers.extend([INVALID_JSON, NOT_JSON, JSON_TOO_LARGE, BAD_FIELDS]);
    }
    if body_types.iter().any(|t| t == "multipart/form-data") {
        answers.extend([INVALID_FORM, NOT_MULTIPART, FILE_TOO_LARGE, BAD_FIELDS]);
    }
    let Some(responses) = operation
        .entry("responses")
        .or_insert_with(|| json!({}))
        .as_object_mut()
    else {
        return;
    };
    for answer in answers {
        match responses.get_mut(answer.status) {
            // The route documents this status itself, for its own reasons: keep them and add
            // the shape's, unless already said.
            Some(existing) => {
                let said = existing["description"].as_str().unwrap_or_default();
                if !said.contains(answer.description) {
                    let joined = if said.is_empty() {
                        answer.description.to_owned()
                    } else {
                        format!("{said} Or: {}", answer.description)
                    };
                    existing["description"] = Value::String(joined);
                }
            }
            None => {
                responses.insert(
                    answer.status.to_owned(),
                    json!({
                        "description": answer.description,
                        "content": {
                            "application/problem+json": {
                                "schema": { "$ref": "#/components/schemas/Problem" }
                            }
                        }
                    }),
                );
            }
        }
    }
}

/// Replaces `allOf: [closed object, object, …]` by one closed object with every member's
/// properties: the same set of valid values that the serialiser produces.
fn close_flattened_schemas(schemas: &mut Map<String, Value>) {
    let names: Vec<String> = schemas.keys().cloned().collect();
    for name in names {
        let Some(members) = schemas[&name].get("allOf").and_then(Value::as_array) else {
            continue;
        };
        let resolved: Option<Vec<Value>> = members
            .iter()
            .map(|member| resolve(schemas, member).filter(is_plain_object))
            .collect();
        let Some(resolved) = resolved else {
            continue;
        };
        if !resolved
            .iter()
            .any(|m| m.get("additionalProperties") == Some(&Value::Bool(false)))
        {
            continue;
        }
        let mut properties = Map::new();
        let mut required: Vec<Value> = Vec::new();
        for member in &resolved {
            if let Some(props) = member.get("properties").and_then(Value::as_object) {
                properties.extend(props.clone());
            }
            for field in member
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if !required.contains(field) {
                    required.push(field.clone());
                }
            }
        }
        let mut merged = json!({
            "type": "object",
            "properties": properties,
            "additionalProperties": false,
        });
        if !required.is_empty() {
            merged["required"] = Value::Array(required);
        }
        if let Some(description) = schemas[&name].get("description") {
            merged["description"] = description.clone();
        }
        schemas.insert(name, merged);
    }
}

fn resolve(schemas: &Map<String, Value>, schema: &Value) -> Option<Value> {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.strip_prefix("#/components/schemas/")?;
            schemas.get(name).cloned()
        }
        None => Some(schema.clone()),
    }
}

fn is_plain_object(schema: &Value) -> bool {
    schema.get("type") == Some(&Value::String("object".into()))
        && schema.get("allOf").is_none()
        && schema.get("oneOf").is_none()
        && schema.get("anyOf").is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flattened_closed_input_becomes_one_closed_object() {
        let mut schemas = json!({
            "Input": {"type": "object", "additionalProperties": false,
                      "required": ["a"], "properties": {"a": {"type": "string"}}},
            "Body": {"description": "d", "allOf": [
                {"$ref": "#/components/schemas/Input"},
                {"type": "object", "required": ["b"], "properties": {"b": {"type": "integer"}}}
            ]},
            "Open": {"allOf": [
                {"type": "object", "properties": {"x": {}}},
                {"type": "object", "properties": {"y": {}}}
            ]}
        });
        let map = schemas.as_object_mut().unwrap();
        close_flattened_schemas(map);
        assert_eq!(
            map["Body"],
            json!({"type": "object", "description": "d", "additionalProperties": false,
                   "required": ["a", "b"],
                   "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}})
        );
        // Nothing closed in it: left as it was.
        assert!(map["Open"].get("allOf").is_some());
    }

    #[test]
    fn shape_answers_are_added_and_a_routes_own_are_kept() {
        let mut operation = json!({
            "security": [{"bearer": []}],
            "parameters": [{"name": "id", "in": "path"}],
            "requestBody": {"content": {"application/json": {}}},
            "responses": {"200": {"description": "ok"},
                          "400": {"description": "The key is too long."}}
        });
        add_shape_answers(operation.as_object_mut().unwrap());
        let responses = operation["responses"].as_object().unwrap();
        for status in ["200", "400", "401", "404", "413", "415", "422"] {
            assert!(responses.contains_key(status), "{status}");
        }
        let bad_request = responses["400"]["description"].as_str().unwrap();
        assert!(bad_request.starts_with("The key is too long."));
        assert!(bad_request.contains("invalid-path") && bad_request.contains("invalid-json"));
    }
}
