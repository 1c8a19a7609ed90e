//! The reference back office over HTTPS with the terminal's client certificate: an idempotency
//! key per attempt (reused by its retries), connect and total timeouts, full-jitter retries and
//! a circuit breaker.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::{Certificate, Client, Identity, Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use terminal_api::{
    CheckInRequest, ErrorBody, ErrorCode, HeartbeatResponse, OfflineResult, OfflineUpload,
    ServicesResponse, TicketResponse, WalkInRequest, paths,
};

use super::retry::{Breaker, RetryPolicy};
use super::{BackOffice, BoxFuture, ClientError, Heartbeat, OfflineOutcome, wire};
use crate::flow::{CheckInOutcome, ServiceTree, WalkInOutcome};
use crate::offline::{Block, OfflineTicket};

/// Where the back office is and how to talk to it.
#[derive(Debug, Clone)]
pub struct HttpsConfig {
    /// `https://host:port`.
    pub base_url: String,
    /// The deployment CA (PEM) the back office's certificate must chain to.
    pub ca_pem: Vec<u8>,
    /// The terminal's certificate and key (PEM, concatenated).
    pub identity_pem: Vec<u8>,
    /// For establishing a connection.
    pub connect_timeout: Duration,
    /// For one request from start to end.
    pub request_timeout: Duration,
    /// Retries.
    pub retry: RetryPolicy,
    /// Consecutive failures that open the breaker.
    pub breaker_threshold: u32,
    /// How long the breaker stays open.
    pub breaker_cooldown: Duration,
}

impl HttpsConfig {
    /// Defaults for a terminal on the office network.
    pub fn new(base_url: String, ca_pem: Vec<u8>, identity_pem: Vec<u8>) -> Self {
        Self {
            base_url,
            ca_pem,
            identity_pem,
            connect_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_secs(5),
            retry: RetryPolicy::default(),
            breaker_threshold: 5,
            breaker_cooldown: Duration::from_secs(15),
        }
    }
}

/// A certificate or key file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}: check the terminal's certificate files and their permissions")]
pub struct CertificateFileError {
    /// Which file.
    pub path: std::path::PathBuf,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

impl HttpsConfig {
    /// Defaults, with the deployment CA, the terminal's certificate and its key read from
    /// PEM files.
    pub fn from_files(
        base_url: String,
        ca: &std::path::Path,
        cert: &std::path::Path,
        key: &std::path::Path,
    ) -> Result<Self, CertificateFileError> {
        let read = |path: &std::path::Path| {
            std::fs::read(path).map_err(|source| CertificateFileError {
                path: path.to_owned(),
                source,
            })
        };
        let mut identity = read(cert)?;
        identity.extend(read(key)?);
        Ok(Self::new(base_url, read(ca)?, identity))
    }
}

/// The HTTPS client.
#[derive(Debug)]
pub struct HttpsBackOffice {
    client: Client,
    base: String,
    retry: RetryPolicy,
    breaker: Mutex<Breaker>,
}

/// A fresh idempotency key: 32 hex characters.
pub fn new_key() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

impl HttpsBackOffice {
    /// Builds the client (TLS 1.2 or later, only the deployment CA trusted).
    pub fn new(config: HttpsConfig) -> Result<Self, ClientError> {
        let ca = Certificate::from_pem(&config.ca_pem).map_err(ClientError::Setup)?;
        let identity = Identity::from_pem(&config.identity_pem).map_err(ClientError::Setup)?;
        let client = Client::builder()
            .tls_certs_only([ca])
            .identity(identity)
            .tls_version_min(reqwest::tls::Version::TLS_1_2)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .build()
            .map_err(ClientError::Setup)?;
        Ok(Self {
            client,
            base: config.base_url.trim_end_matches('/').to_owned(),
            retry: config.retry,
            breaker: Mutex::new(Breaker::new(
                config.breaker_threshold,
                config.breaker_cooldown,
            )),
        })
    }

    fn breaker(&self) -> std::sync::MutexGuard<'_, Breaker> {
        self.breaker.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sends one attempt, retrying transport failures and 5xx answers with the same key.
    #[tracing::instrument(skip(self, body), fields(path))]
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<(StatusCode, Vec<u8>), ClientError> {
        let key = new_key();
        let url = format!("{}{path}", self.base);
        let mut last = None;
        for attempt in 1..=self.retry.attempts {
            if !self.breaker().allow(Instant::now()) {
                return Err(last.unwrap_or(ClientError::CircuitOpen));
            }
            if attempt > 1 {
                let pause = self.retry.backoff(attempt - 1, rand::random::<f64>());
                tokio::time::sleep(pause).await;
            }
            let mut request = self.client.request(method.clone(), &url);
            if let Some(body) = body {
                request = request
                    .header(paths::IDEMPOTENCY_KEY, &key)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.to_vec());
            }
            match request.send().await {
                Ok(response) if response.status().is_server_error() => {
                    let status = response.status().as_u16();
                    tracing::warn!(status, attempt, "back office error, retrying");
                    self.breaker().failure(Instant::now());
                    last = Some(ClientError::Server { status });
                }
                Ok(response) => {
                    let status = response.status();
                    match response.bytes().await {
                        Ok(bytes) => {
                            self.breaker().success();
                            return Ok((status, bytes.to_vec()));
                        }
                        Err(e) => {
                            self.breaker().failure(Instant::now());
                            last = Some(ClientError::Unreachable(e));
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, attempt, "back office unreachable");
                    self.breaker().failure(Instant::now());
                    last = Some(ClientError::Unreachable(e));
                }
            }
        }
        Err(last.unwrap_or(ClientError::CircuitOpen))
    }
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ClientError> {
    serde_json::from_slice(bytes).map_err(|e| ClientError::BadAnswer(Box::new(e)))
}

fn body(value: &impl Serialize) -> Result<Vec<u8>, ClientError> {
    serde_json::to_vec(value).map_err(|e| ClientError::BadAnswer(Box::new(e)))
}

fn error_body(bytes: &[u8]) -> Option<ErrorBody> {
    serde_json::from_slice(bytes).ok()
}

fn rejected(status: StatusCode, bytes: &[u8]) -> ClientError {
    ClientError::Rejected {
        status: status.as_u16(),
        code: error_body(bytes).map_or(ErrorCode::Unknown, |b| b.error.code),
    }
}

impl BackOffice for HttpsBackOffice {
    fn services(&self) -> BoxFuture<'_, Result<ServiceTree, ClientError>> {
        Box::pin(async move {
            let (status, bytes) = self.send(Method::GET, paths::SERVICES, None).await?;
            if !status.is_success() {
                return Err(rejected(status, &bytes));
            }
            Ok(wire::service_tree(parse::<ServicesResponse>(&bytes)?))
        })
    }

    fn check_in<'a>(
        &'a self,
        booking: &'a str,
        code: &'a str,
    ) -> BoxFuture<'a, Result<CheckInOutcome, ClientError>> {
        Box::pin(async move {
            let request = body(&CheckInRequest {
                booking_number: booking.to_owned(),
                code: code.to_owned(),
            })?;
            let (status, bytes) = self
                .send(Method::POST, paths::CHECK_IN, Some(&request))
                .await?;
            if status.is_success() {
                return Ok(wire::checked_in(parse::<TicketResponse>(&bytes)?));
            }
            error_body(&bytes)
                .and_then(|b| wire::check_in_refusal(&b.error))
                .ok_or_else(|| rejected(status, &bytes))
        })
    }

    fn walk_in<'a>(
        &'a self,
        service_id: &'a str,
    ) -> BoxFuture<'a, Result<WalkInOutcome, ClientError>> {
        Box::pin(async move {
            let request = body(&WalkInRequest {
                service_id: service_id.to_owned(),
            })?;
            let (status, bytes) = self
                .send(Method::POST, paths::WALK_IN, Some(&request))
                .await?;
            if status.is_success() {
                let answer = parse::<TicketResponse>(&bytes)?;
                return Ok(WalkInOutcome::Issued(wire::ticket(answer.ticket)));
            }
            error_body(&bytes)
                .and_then(|b| wire::walk_in_refusal(&b.error))
                .map(WalkInOutcome::Refused)
                .ok_or_else(|| rejected(status, &bytes))
        })
    }

    fn heartbeat<'a>(
        &'a self,
        beat: &'a Heartbeat,
    ) -> BoxFuture<'a, Result<Option<String>, ClientError>> {
        Box::pin(async move {
            let request = body(beat)?;
            let (status, bytes) = self
                .send(Method::POST, paths::HEARTBEAT, Some(&request))
                .await?;
            if !status.is_success() {
                return Err(rejected(status, &bytes));
            }
            Ok(parse::<HeartbeatResponse>(&bytes)?.locked_message)
        })
    }

    fn offline_block(&self, count: u32) -> BoxFuture<'_, Result<Block, ClientError>> {
        Box::pin(async move {
            let request = body(&terminal_api::OfflineBlockRequest { count })?;
            let (status, bytes) = self
                .send(Method::POST, paths::OFFLINE_BLOCK, Some(&request))
                .await?;
            if !status.is_success() {
                return Err(rejected(status, &bytes));
            }
            let b: terminal_api::OfflineBlock = parse(&bytes)?;
            Ok(Block {
                day: b.day.to_string(),
                prefix: b.prefix,
                first: b.first,
                last: b.last,
            })
        })
    }

    fn offline_tickets<'a>(
        &'a self,
        tickets: &'a [OfflineTicket],
    ) -> BoxFuture<'a, Result<Vec<(String, OfflineOutcome)>, ClientError>> {
        Box::pin(async move {
            let upload = OfflineUpload {
                tickets: tickets
                    .iter()
                    .map(|t| terminal_api::OfflineTicket {
                        display_number: t.display_number.clone(),
                        service_id: t.service_id.clone(),
                        issued_at: t.issued_at.clone(),
                        booking_number: t.booking_number.clone(),
                    })
                    .collect(),
            };
            let request = body(&upload)?;
            let (status, bytes) = self
                .send(Method::POST, paths::OFFLINE_TICKETS, Some(&request))
                .await?;
            if !status.is_success() {
                return Err(rejected(status, &bytes));
            }
            let results: Vec<OfflineResult> = parse(&bytes)?;
            Ok(results
                .into_iter()
                .map(|r| (r.display_number, r.result))
                .collect())
        })
    }
}
