//! A real S3 protocol server (s3s + s3s-fs) on 127.0.0.1, for testing the S3 adapter over HTTP — and for testing
//! what survives when S3 misbehaves: at a chosen rate (a seeded [`FaultDice`]) it answers 500 `InternalError` or
//! 503 `SlowDown`, adds latency, drops the connection before or after applying a request, or cuts a response body
//! off half-way.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use futures::future::BoxFuture;
use http_body_util::BodyExt;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use prepai::adapters::aws::{S3ObjectStore, configure_s3_client};
use s3s::auth::SimpleAuth;
use s3s::dto::*;
use s3s::service::{S3Service, S3ServiceBuilder};
use s3s::{HttpError, HttpResponse, S3, S3Request, S3Response, S3Result};
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::RwLock;

use crate::faults::FaultDice;

const ACCESS_KEY: &str = "AKIDPREPAITEST";
const SECRET_KEY: &str = "prepai-test-secret-key";
pub const BUCKET: &str = "prepai-user-data";

/// One way the server misbehaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum S3Fault {
    /// 500 `InternalError` before the request reaches the store.
    InternalError,
    /// 500 `InternalError` after the store applied the request (S3's "it may or may not have happened").
    InternalErrorAfterApply,
    /// 503 `SlowDown`, before the store.
    SlowDown,
    /// 20–250 ms before the request is served.
    Latency,
    /// The connection drops before the request reaches the store.
    ResetBefore,
    /// The connection drops after the store applied the request, before any answer.
    ResetAfterApply,
    /// The answer's body stops half-way (its `Content-Length` promising the whole), after the store applied the
    /// request; an answer without a body drops the connection instead.
    TruncatedBody,
}

impl S3Fault {
    /// Every fault, in the order a die picks from.
    pub const ALL: [S3Fault; 7] = [
        S3Fault::InternalError,
        S3Fault::InternalErrorAfterApply,
        S3Fault::SlowDown,
        S3Fault::Latency,
        S3Fault::ResetBefore,
        S3Fault::ResetAfterApply,
        S3Fault::TruncatedBody,
    ];

    pub fn name(self) -> &'static str {
        match self {
            S3Fault::InternalError => "500 InternalError",
            S3Fault::InternalErrorAfterApply => "500 InternalError after apply",
            S3Fault::SlowDown => "503 SlowDown",
            S3Fault::Latency => "latency",
            S3Fault::ResetBefore => "reset before apply",
            S3Fault::ResetAfterApply => "reset after apply",
            S3Fault::TruncatedBody => "truncated body",
        }
    }
}

/// Which faults the server injects and how often (the die's rate, 0 until a test sets it).
pub struct S3Faults {
    pub dice: FaultDice,
    pub kinds: Vec<S3Fault>,
}

impl S3Faults {
    /// `kinds` at the die's rate, seeded by `seed`; off until [`FaultDice::set_rate`].
    pub fn new(seed: u64, kinds: &[S3Fault]) -> Arc<S3Faults> {
        Arc::new(S3Faults {
            dice: FaultDice::new(seed),
            kinds: kinds.to_vec(),
        })
    }

    fn draw(&self) -> Option<S3Fault> {
        let kind = self.kinds[self.dice.roll(self.kinds.len())?];
        self.dice.record(kind.name());
        Some(kind)
    }
}

fn s3_error(status: u16, code: &str, message: &str) -> HttpResponse {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message>\
         <RequestId>fault-injected</RequestId></Error>"
    );
    http::Response::builder()
        .status(status)
        .header("content-type", "application/xml")
        .header("x-amz-request-id", "fault-injected")
        .body(s3s::Body::from(body))
        .expect("error response")
}

fn dropped() -> HttpError {
    HttpError::new(Box::new(std::io::Error::other(
        "fault injected: connection dropped",
    )))
}

/// The S3 service with faults in front of it, at the HTTP level (where resets and cut bodies happen).
#[derive(Clone)]
struct FaultyService {
    inner: S3Service,
    faults: Arc<S3Faults>,
}

impl FaultyService {
    async fn serve(self, req: http::Request<s3s::Body>) -> Result<HttpResponse, HttpError> {
        let Some(fault) = self.faults.draw() else {
            return self.inner.call(req).await;
        };
        match fault {
            S3Fault::InternalError => Ok(s3_error(
                500,
                "InternalError",
                "We encountered an internal error. Please try again.",
            )),
            S3Fault::SlowDown => Ok(s3_error(
                503,
                "SlowDown",
                "Please reduce your request rate.",
            )),
            S3Fault::Latency => {
                let ms = self.faults.dice.draw(20..250);
                tokio::time::sleep(Duration::from_millis(ms)).await;
                self.inner.call(req).await
            }
            S3Fault::ResetBefore => Err(dropped()),
            S3Fault::InternalErrorAfterApply => {
                let _ = self.inner.call(req).await;
                Ok(s3_error(
                    500,
                    "InternalError",
                    "We encountered an internal error. Please try again.",
                ))
            }
            S3Fault::ResetAfterApply => {
                let _ = self.inner.call(req).await;
                Err(dropped())
            }
            S3Fault::TruncatedBody => {
                let response = self.inner.call(req).await?;
                let (mut parts, body) = response.into_parts();
                let whole = body.collect().await.map_err(HttpError::new)?.to_bytes();
                if whole.len() < 2 {
                    return Err(dropped());
                }
                parts.headers.insert(
                    http::header::CONTENT_LENGTH,
                    http::HeaderValue::from(whole.len()),
                );
                let half = whole.slice(..whole.len() / 2);
                let frames = futures::stream::iter([
                    Ok(http_body::Frame::data(half)),
                    Err(std::io::Error::other("fault injected: body cut off")),
                ]);
                let body = s3s::Body::http_body_unsync(http_body_util::StreamBody::new(frames));
                Ok(http::Response::from_parts(parts, body))
            }
        }
    }
}

impl hyper::service::Service<http::Request<hyper::body::Incoming>> for FaultyService {
    type Response = HttpResponse;
    type Error = HttpError;
    type Future = BoxFuture<'static, Result<HttpResponse, HttpError>>;

    fn call(&self, req: http::Request<hyper::body::Incoming>) -> Self::Future {
        Box::pin(self.clone().serve(req.map(s3s::Body::from)))
    }
}

/// A running S3 server with one bucket, and a client configured for it (with the retry and timeout settings
/// production uses). Dropping it stops nothing but the directory; the server task ends with the test's runtime.
pub struct S3Server {
    pub endpoint: String,
    pub client: aws_sdk_s3::Client,
    /// What the server injects; off unless a test sets a rate.
    pub faults: Arc<S3Faults>,
    _dir: TempDir,
}

impl S3Server {
    /// Starts the server on a free port and creates the bucket.
    pub async fn start() -> S3Server {
        S3Server::start_with_faults(S3Faults::new(0, &S3Fault::ALL)).await
    }

    /// Starts the server with `faults` in front of it (injected once the test sets the die's rate; the bucket is
    /// created before).
    pub async fn start_with_faults(faults: Arc<S3Faults>) -> S3Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let fs = s3s_fs::FileSystem::new(dir.path()).expect("s3s-fs root");
        let mut builder = S3ServiceBuilder::new(AtomicConditionalWrites {
            inner: fs,
            lock: RwLock::new(()),
        });
        builder.set_auth(SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
        let service = FaultyService {
            inner: builder.build(),
            faults: Arc::clone(&faults),
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let http = ConnBuilder::new(TokioExecutor::new());
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    continue;
                };
                // Small responses would otherwise wait for the client's delayed ACK (~40 ms each).
                let _ = socket.set_nodelay(true);
                let conn = http
                    .serve_connection(TokioIo::new(socket), service.clone())
                    .into_owned();
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
        });
        let endpoint = format!("http://{addr}");
        let config = configure_s3_client(aws_sdk_s3::Config::builder())
            .behavior_version(BehaviorVersion::latest())
            .credentials_provider(Credentials::new(
                ACCESS_KEY,
                SECRET_KEY,
                None,
                None,
                "prepai-tests",
            ))
            .region(Region::new("us-east-1"))
            .endpoint_url(&endpoint)
            .force_path_style(true)
            .build();
        let client = aws_sdk_s3::Client::from_conf(config);
        client
            .create_bucket()
            .bucket(BUCKET)
            .send()
            .await
            .expect("create bucket");
        S3Server {
            endpoint,
            client,
            faults,
            _dir: dir,
        }
    }

    /// The adapter under test, talking HTTP to this server.
    pub fn object_store(&self) -> Arc<S3ObjectStore> {
        Arc::new(S3ObjectStore::new(self.client.clone(), BUCKET))
    }
}

/// s3s-fs checks `If-Match`/`If-None-Match` and then writes without holding a lock, so two conditional writers
/// can both pass the check; and it reads an object's body and its stored checksums in two steps, so a read racing a
/// write can pair old bytes with new checksums. Real S3 makes each PUT one atomic step and each GET a consistent
/// snapshot; this wrapper restores both (writes exclusive, reads shared), so the lost-update tests exercise our
/// retry logic against S3's real semantics.
struct AtomicConditionalWrites {
    inner: s3s_fs::FileSystem,
    lock: RwLock<()>,
}

#[async_trait::async_trait]
impl S3 for AtomicConditionalWrites {
    async fn create_bucket(
        &self,
        req: S3Request<CreateBucketInput>,
    ) -> S3Result<S3Response<CreateBucketOutput>> {
        self.inner.create_bucket(req).await
    }

    async fn get_object(
        &self,
        req: S3Request<GetObjectInput>,
    ) -> S3Result<S3Response<GetObjectOutput>> {
        let _shared = self.lock.read().await;
        self.inner.get_object(req).await
    }

    async fn head_object(
        &self,
        req: S3Request<HeadObjectInput>,
    ) -> S3Result<S3Response<HeadObjectOutput>> {
        self.inner.head_object(req).await
    }

    async fn put_object(
        &self,
        req: S3Request<PutObjectInput>,
    ) -> S3Result<S3Response<PutObjectOutput>> {
        let _exclusive = self.lock.write().await;
        self.inner.put_object(req).await
    }

    async fn delete_object(
        &self,
        req: S3Request<DeleteObjectInput>,
    ) -> S3Result<S3Response<DeleteObjectOutput>> {
        self.inner.delete_object(req).await
    }

    async fn delete_objects(
        &self,
        req: S3Request<DeleteObjectsInput>,
    ) -> S3Result<S3Response<DeleteObjectsOutput>> {
        self.inner.delete_objects(req).await
    }

    async fn list_objects_v2(
        &self,
        req: S3Request<ListObjectsV2Input>,
    ) -> S3Result<S3Response<ListObjectsV2Output>> {
        self.inner.list_objects_v2(req).await
    }
}
