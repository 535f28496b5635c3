//! The object-store port on Amazon S3, with S3's own conditional writes.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::retry::RetryConfig;
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::ByteStream;
use bytes::Bytes;

use crate::ports::{ETag, ObjectStore, Precondition, StoreError, StoredObject};
use crate::ports::{KeyPrefix, ObjectKey};

/// How many times the SDK sends one request before giving up (the first attempt included).
pub const S3_MAX_ATTEMPTS: u32 = 5;
/// The SDK's backoff before its first retry (full jitter, doubling up to [`S3_MAX_BACKOFF`]).
pub const S3_INITIAL_BACKOFF: Duration = Duration::from_millis(50);
pub const S3_MAX_BACKOFF: Duration = Duration::from_secs(2);
/// One attempt, and one whole operation with its retries: well inside the 25 s a socket turn may take.
pub const S3_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
pub const S3_OPERATION_TIMEOUT: Duration = Duration::from_secs(15);
pub const S3_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Reads whose body arrives cut short are sent again this many times in all (the SDK retries only until the
/// headers arrive; the body is read after it returns).
const BODY_READ_ATTEMPTS: u32 = 3;

/// The retry and timeout settings every S3 client of ours uses, set explicitly rather than left to the SDK's
/// defaults: the standard mode (exponential backoff with jitter, retrying throttling — `SlowDown` —, 5xx,
/// timeouts and dropped connections) with [`S3_MAX_ATTEMPTS`] attempts, and timeouts on connecting, on each
/// attempt and on the whole operation, so a stalled server turns into an error well before a socket turn's
/// deadline.
///
/// Every S3 request we make is safe to send twice: reads and deletes are idempotent, and a conditional write whose
/// first attempt landed before its answer was lost is recognised by [`S3ObjectStore::put`] (see there).
pub fn configure_client(builder: aws_sdk_s3::config::Builder) -> aws_sdk_s3::config::Builder {
    builder
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(S3_MAX_ATTEMPTS)
                .with_initial_backoff(S3_INITIAL_BACKOFF)
                .with_max_backoff(S3_MAX_BACKOFF),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(S3_CONNECT_TIMEOUT)
                .operation_attempt_timeout(S3_ATTEMPT_TIMEOUT)
                .operation_timeout(S3_OPERATION_TIMEOUT)
                .build(),
        )
}

/// Objects in one S3 bucket, keyed exactly as the seed lays them out.
///
/// `If-None-Match: *` and `If-Match: <etag>` make S3 itself refuse a lost update (412, or 409 when two conditional
/// writes race); both come back as [`StoreError::PreconditionFailed`] for the session store to retry.
///
/// The client retries (see [`configure_client`]), so a conditional write whose first attempt landed but whose
/// answer was lost (a reset connection, a timeout) is refused on its retry as if someone else had written. Before
/// reporting a refusal, or a failure whose outcome is unknown, `put` therefore reads the object back: if it holds
/// exactly the bytes written, the write landed and succeeds. Errors that persisted through the retries are
/// [`StoreError::Unavailable`] when the same request may work later, [`StoreError::Backend`] otherwise.
#[derive(Clone)]
pub struct S3ObjectStore {
    client: Client,
    bucket: String,
}

impl S3ObjectStore {
    pub fn new(client: Client, bucket: impl Into<String>) -> Self {
        Self {
            client,
            bucket: bucket.into(),
        }
    }
}

type HttpResponse = aws_sdk_s3::config::http::HttpResponse;

fn status_of<E>(err: &SdkError<E, HttpResponse>) -> Option<u16> {
    err.raw_response().map(|r| r.status().as_u16())
}

/// Whether the request may succeed if sent again later: no answer at all (timeouts, connection failures, a body
/// cut short), throttling, or a server error.
fn is_transient<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> bool {
    match err {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        _ => {
            matches!(status_of(err), Some(429 | 500..=599))
                || err.as_service_error().is_some_and(|e| {
                    matches!(
                        e.code(),
                        Some("SlowDown" | "Throttling" | "ThrottlingException" | "RequestTimeout")
                    )
                })
        }
    }
}

fn backend<E: ProvideErrorMetadata + std::fmt::Debug>(
    key: &str,
    err: &SdkError<E, HttpResponse>,
) -> StoreError {
    let message = match err.as_service_error() {
        Some(service) => format!(
            "{}: {}",
            service.code().unwrap_or("unknown"),
            service.message().unwrap_or("no message")
        ),
        None => format!("{err:?}").chars().take(300).collect(),
    };
    if is_transient(err) {
        StoreError::Unavailable {
            key: key.to_owned(),
            message,
        }
    } else {
        StoreError::Backend {
            key: key.to_owned(),
            message,
        }
    }
}

impl S3ObjectStore {
    /// One GET whose body is read whole; `Err` when the body broke off or came short of its length.
    async fn get_once(&self, key: &ObjectKey) -> Result<Option<StoredObject>, StoreError> {
        let result = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .send()
            .await;
        let output = match result {
            Ok(output) => output,
            Err(err) if status_of(&err) == Some(404) => return Ok(None),
            Err(err) if err.as_service_error().is_some_and(|e| e.is_no_such_key()) => {
                return Ok(None);
            }
            Err(err) => return Err(backend(key.as_str(), &err)),
        };
        let etag = ETag(output.e_tag().unwrap_or_default().to_owned());
        let expected = output.content_length();
        let body = output
            .body
            .collect()
            .await
            .map_err(|e| StoreError::Unavailable {
                key: key.to_string(),
                message: format!("the body broke off: {e}"),
            })?
            .into_bytes();
        if let Some(expected) = expected
            && u64::try_from(expected).ok() != Some(body.len() as u64)
        {
            return Err(StoreError::Unavailable {
                key: key.to_string(),
                message: format!("the body came short: {} of {expected} bytes", body.len()),
            });
        }
        Ok(Some(StoredObject { body, etag }))
    }

    /// The version of `key` if it now holds exactly `body`: a write whose answer was lost, found to have landed.
    async fn landed(&self, key: &ObjectKey, body: &Bytes) -> Landed {
        match self.get(key).await {
            Ok(Some(object)) if object.body == *body => Landed::Yes(object.etag),
            Ok(_) => Landed::No,
            Err(e) => Landed::Unknown(e),
        }
    }
}

/// Whether a write whose answer was lost or refused is in the bucket, by its bytes.
enum Landed {
    Yes(ETag),
    No,
    /// The read-back failed too.
    Unknown(StoreError),
}

#[async_trait]
impl ObjectStore for S3ObjectStore {
    async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, StoreError> {
        let mut attempt = 1;
        loop {
            match self.get_once(key).await {
                Err(StoreError::Unavailable { message, .. })
                    if attempt < BODY_READ_ATTEMPTS && message.starts_with("the body") =>
                {
                    tokio::time::sleep(S3_INITIAL_BACKOFF * attempt).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn put(
        &self,
        key: &ObjectKey,
        body: Bytes,
        precondition: Precondition,
    ) -> Result<ETag, StoreError> {
        let mut request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .body(ByteStream::from(body.clone()));
        let conditional = precondition != Precondition::None;
        let precondition_was_create = precondition == Precondition::IfAbsent;
        request = match precondition {
            Precondition::None => request,
            Precondition::IfAbsent => request.if_none_match("*"),
            Precondition::IfMatch(etag) => request.if_match(etag.0),
        };
        if key.as_str().ends_with(".json") {
            request = request.content_type("application/json");
        }
        let refused = match request.send().await {
            Ok(output) => return Ok(ETag(output.e_tag().unwrap_or_default().to_owned())),
            Err(err) if matches!(status_of(&err), Some(412 | 409)) => {
                StoreError::PreconditionFailed {
                    key: key.to_string(),
                }
            }
            Err(err) => backend(key.as_str(), &err),
        };
        // A refused conditional write, or one whose outcome is unknown, may be our own earlier attempt that
        // landed: the bytes tell.
        let ambiguous = conditional || matches!(refused, StoreError::Unavailable { .. });
        if !ambiguous || matches!(refused, StoreError::Backend { .. }) {
            return Err(refused);
        }
        match self.landed(key, &body).await {
            Landed::Yes(etag) => Ok(etag),
            Landed::No => Err(refused),
            // A create refused because the object exists, unchecked, may be our own create that landed (a retry
            // after a lost answer): the honest answer is that the outcome is unknown. (A refused `IfMatch` stays
            // refused: the session store's write ids tell its own landed writes apart on the next read.)
            Landed::Unknown(read) => match refused {
                StoreError::PreconditionFailed { key } if precondition_was_create => {
                    Err(StoreError::Unavailable {
                        key,
                        message: format!("a create was refused and could not be checked: {read}"),
                    })
                }
                other => Err(other),
            },
        }
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), StoreError> {
        match self
            .client
            .delete_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(err) if status_of(&err) == Some(404) => Ok(()),
            Err(err) => Err(backend(key.as_str(), &err)),
        }
    }

    async fn list(&self, prefix: &KeyPrefix) -> Result<Vec<ObjectKey>, StoreError> {
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(prefix.as_str())
            .into_paginator()
            .send();
        let mut keys = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|err| backend(prefix.as_str(), &err))?;
            keys.extend(
                page.contents()
                    .iter()
                    .filter_map(|o| o.key())
                    .filter(|k| k.starts_with(prefix.as_str()))
                    .map(|k| ObjectKey::from_listing(k.to_owned())),
            );
        }
        keys.sort();
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_retries_and_times_out_as_configured_not_by_default() {
        let config = configure_client(aws_sdk_s3::Config::builder()).build();
        let retry = config.retry_config().expect("a retry configuration");
        assert_eq!(retry.mode(), aws_sdk_s3::config::retry::RetryMode::Standard);
        assert_eq!(retry.max_attempts(), S3_MAX_ATTEMPTS);
        assert_eq!(retry.initial_backoff(), S3_INITIAL_BACKOFF);
        assert_eq!(retry.max_backoff(), S3_MAX_BACKOFF);
        let timeouts = config.timeout_config().expect("timeouts");
        assert_eq!(timeouts.connect_timeout(), Some(S3_CONNECT_TIMEOUT));
        assert_eq!(
            timeouts.operation_attempt_timeout(),
            Some(S3_ATTEMPT_TIMEOUT)
        );
        assert_eq!(timeouts.operation_timeout(), Some(S3_OPERATION_TIMEOUT));
    }
}
