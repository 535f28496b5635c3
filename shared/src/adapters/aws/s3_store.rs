//! The object-store port on Amazon S3, with S3's own conditional writes.

use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::ByteStream;
use bytes::Bytes;

use crate::ports::{ETag, ObjectStore, Precondition, StoreError, StoredObject};
use crate::ports::{KeyPrefix, ObjectKey};

/// Objects in one S3 bucket, keyed exactly as the seed lays them out.
///
/// `If-None-Match: *` and `If-Match: <etag>` make S3 itself refuse a lost update (412, or 409 when two conditional
/// writes race); both come back as [`StoreError::PreconditionFailed`] for the session store to retry.
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
    StoreError::Backend {
        key: key.to_owned(),
        message,
    }
}

#[async_trait]
impl ObjectStore for S3ObjectStore {
    async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, StoreError> {
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
        let body = output
            .body
            .collect()
            .await
            .map_err(|e| StoreError::Backend {
                key: key.to_string(),
                message: e.to_string(),
            })?;
        Ok(Some(StoredObject {
            body: body.into_bytes(),
            etag,
        }))
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
            .body(ByteStream::from(body));
        request = match precondition {
            Precondition::None => request,
            Precondition::IfAbsent => request.if_none_match("*"),
            Precondition::IfMatch(etag) => request.if_match(etag.0),
        };
        if key.as_str().ends_with(".json") {
            request = request.content_type("application/json");
        }
        match request.send().await {
            Ok(output) => Ok(ETag(output.e_tag().unwrap_or_default().to_owned())),
            Err(err) if matches!(status_of(&err), Some(412 | 409)) => {
                Err(StoreError::PreconditionFailed {
                    key: key.to_string(),
                })
            }
            Err(err) => Err(backend(key.as_str(), &err)),
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
