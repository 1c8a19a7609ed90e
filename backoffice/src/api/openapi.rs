//! Completes the generated OpenAPI document with what every route shares, so it describes every
//! answer: the error statuses each kind of route can give (authentication, CSRF, body and
//! JSON problems, storage out of reach, bugs), and the `Idempotency-Key` header of every
//! terminal POST with its rules.

use utoipa::Modify;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Required, ResponseBuilder};

use terminal_api::paths;

/// Adds the shared answers to every operation.
pub struct SharedAnswers;

/// Adds `status` with `codes` to `op`, or the codes to the description of the answer it has.
fn answer(op: &mut Operation, status: &str, codes: &str) {
    let map = &mut op.responses.responses;
    match map.get_mut(status) {
        Some(RefOr::T(existing)) => {
            if !existing.description.contains(codes) {
                existing.description = format!("{}; {codes}", existing.description);
            }
        }
        Some(RefOr::Ref(_)) => {}
        None => {
            let body = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build();
            let response = ResponseBuilder::new()
                .description(codes)
                .content("application/json", body)
                .build();
            map.insert(status.to_owned(), RefOr::T(response));
        }
    }
}

/// The `Idempotency-Key` header as the back office checks it.
fn idempotency_key() -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(paths::IDEMPOTENCY_KEY)
        .parameter_in(ParameterIn::Header)
        .required(Required::True)
        .description(Some(
            "Unique per attempt, 8 to 100 visible ASCII characters; a retry sends the same key \
             and body and gets the first answer again (header `idempotent-replay: true`). The \
             same key with another body is 422 `idempotency_key_reused`; one still being \
             answered is 409 `request_in_flight`.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(paths::IDEMPOTENCY_KEY_MIN))
                .max_length(Some(paths::IDEMPOTENCY_KEY_MAX))
                .pattern(Some(paths::IDEMPOTENCY_KEY_PATTERN)),
        ))
        .build()
}

impl Modify for SharedAnswers {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let terminal = path.starts_with("/api/v1/terminal/");
            let staff = path.starts_with("/api/v1/staff/") || path.starts_with("/api/v1/admin/");
            let login = path == "/api/v1/staff/login";
            let has_path_params = path.contains('{');
            let ops = [
                (&mut item.get, false),
                (&mut item.put, true),
                (&mut item.post, true),
                (&mut item.delete, true),
            ];
            for (op, writes) in ops {
                let Some(op) = op.as_mut() else { continue };
                answer(
                    op,
                    "500",
                    "internal: a bug or corrupt data (logged with the request id)",
                );
                answer(
                    op,
                    "503",
                    "storage_unavailable: the database is out of reach; retry",
                );
                if op.request_body.is_some() {
                    answer(op, "400", "invalid_field, malformed_json");
                    answer(op, "413", "body_too_large");
                    answer(op, "415", "unsupported_media_type");
                }
                if has_path_params {
                    answer(op, "404", "not_found");
                    answer(op, "400", "invalid_field: a path segment of the wrong kind");
                }
                let has_query = op
                    .parameters
                    .as_ref()
                    .is_some_and(|ps| ps.iter().any(|p| p.parameter_in == ParameterIn::Query));
                if has_query {
                    answer(
                        op,
                        "400",
                        "invalid_field: an unknown or malformed query parameter",
                    );
                }
                if terminal {
                    answer(
                        op,
                        "401",
                        "client_certificate_required: no client certificate",
                    );
                    answer(
                        op,
                        "403",
                        "unknown_terminal: the certificate is not enrolled",
                    );
                    if writes {
                        let params = op.parameters.get_or_insert_with(Vec::new);
                        params.retain(|p| p.name != paths::IDEMPOTENCY_KEY);
                        params.push(idempotency_key());
                        answer(
                            op,
                            "400",
                            "idempotency_key_missing, idempotency_key_invalid",
                        );
                        answer(op, "409", "request_in_flight");
                        answer(op, "422", "idempotency_key_reused");
                    }
                }
                if staff && !login {
                    answer(op, "401", "unauthenticated: no or an expired session");
                    answer(op, "403", "forbidden: the role does not allow this");
                    if writes {
                        answer(op, "403", "csrf: the X-CSRF-Token is missing or wrong");
                    }
                }
            }
        }
    }
}
