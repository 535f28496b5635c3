//! One conformance suite, run against both object-store adapters: the filesystem directory and S3 over the real
//! protocol (s3s on loopback). Every case goes through `SessionStore`, as the handlers do.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use bytes::Bytes;
use chrono::{DateTime, Duration, Utc};
use prepai::domain::{
    CURRENT_SCHEMA_VERSION, CandidateName, Identity, InterviewType, Role, Session, SessionId,
    Source, TranscriptEntry,
};
use prepai::ports::{ObjectStore, Precondition, StoreError};
use prepai::store::{KeyPrefix, ObjectKey, SessionStore, SessionStoreError};
use prepai_tests::counting_store::CountingStore;
use serde_json::json;

fn user(sub: &str) -> Identity {
    Identity::new(sub, vec![]).unwrap()
}

fn new_session(owner: &Identity, at: DateTime<Utc>) -> Session {
    Session::new(
        SessionId::new_random(),
        owner,
        InterviewType::GoogleSde,
        CandidateName::parse("Ada Lovelace").unwrap(),
        at,
    )
}

fn entry(text: &str, at: DateTime<Utc>) -> TranscriptEntry {
    TranscriptEntry {
        role: Role::User,
        text: text.to_owned(),
        timestamp: at,
        source: Source::Text,
        reply_kind: None,
        message_id: None,
        extra: Default::default(),
    }
}

fn t0() -> DateTime<Utc> {
    "2026-11-26T10:00:00Z".parse().unwrap()
}

async fn conditional_writes(objects: Arc<dyn ObjectStore>) {
    let id = SessionId::new_random();
    let key = ObjectKey::session(&id);
    assert!(objects.get(&key).await.unwrap().is_none());
    let first = objects
        .put(
            &key,
            Bytes::from_static(b"{\"v\":1}"),
            Precondition::IfAbsent,
        )
        .await
        .unwrap();
    let again = objects
        .put(
            &key,
            Bytes::from_static(b"{\"v\":2}"),
            Precondition::IfAbsent,
        )
        .await;
    assert!(
        matches!(again, Err(StoreError::PreconditionFailed { .. })),
        "{again:?}"
    );
    let read = objects.get(&key).await.unwrap().unwrap();
    assert_eq!(&read.body[..], b"{\"v\":1}");
    assert_eq!(read.etag, first);
    objects
        .put(
            &key,
            Bytes::from_static(b"{\"v\":3}"),
            Precondition::IfMatch(read.etag.clone()),
        )
        .await
        .unwrap();
    let stale = objects
        .put(
            &key,
            Bytes::from_static(b"{\"v\":4}"),
            Precondition::IfMatch(read.etag),
        )
        .await;
    assert!(
        matches!(stale, Err(StoreError::PreconditionFailed { .. })),
        "{stale:?}"
    );
    assert_eq!(
        &objects.get(&key).await.unwrap().unwrap().body[..],
        b"{\"v\":3}"
    );
    let missing = ObjectKey::session(&SessionId::new_random());
    let on_missing = objects
        .put(&missing, Bytes::new(), Precondition::IfMatch(first))
        .await;
    assert!(
        matches!(on_missing, Err(StoreError::PreconditionFailed { .. })),
        "{on_missing:?}"
    );
    objects.delete(&missing).await.unwrap();
}

async fn listing_and_prefix_deletion(objects: Arc<dyn ObjectStore>) {
    let a = SessionId::new_random();
    let b = SessionId::new_random();
    let sessions = SessionStore::new(Arc::clone(&objects));
    let owner = user("lister");
    for id in [a, b] {
        let mut s = new_session(&owner, t0());
        s.session_id = id;
        sessions.create(&s).await.unwrap();
    }
    let listed = objects
        .list(&KeyPrefix::owner_sessions(&owner.owner_key()))
        .await
        .unwrap();
    let mut expected = vec![
        ObjectKey::owner_index(&owner.owner_key(), &a),
        ObjectKey::owner_index(&owner.owner_key(), &b),
    ];
    expected.sort();
    assert_eq!(listed, expected);
    assert!(objects.list(&KeyPrefix::cvs(&a)).await.unwrap().is_empty());
}

async fn create_get_and_ownership(objects: Arc<dyn ObjectStore>) {
    let store = SessionStore::new(objects);
    let ann = user("ann");
    let session = new_session(&ann, t0());
    store.create(&session).await.unwrap();
    // Another session under the same id never replaces it. (The very same bytes again are our own retried write
    // to S3, recognised as landed; see S3ObjectStore::put.)
    let mut other = session.clone();
    other.interview_type = InterviewType::Behavioral;
    let duplicate = store.create(&other).await;
    assert!(matches!(
        duplicate,
        Err(SessionStoreError::Store(
            StoreError::PreconditionFailed { .. }
        ))
    ));
    let read = store.get(&session.session_id, &ann).await.unwrap();
    assert_eq!(read, session);
    let bob = user("bob");
    assert!(matches!(
        store.get(&session.session_id, &bob).await,
        Err(SessionStoreError::NotFound(_))
    ));
    let appended = store
        .append_transcript(&session.session_id, &bob, entry("hi", t0()))
        .await;
    assert!(matches!(appended, Err(SessionStoreError::NotFound(_))));
    assert!(matches!(
        store.get(&SessionId::new_random(), &ann).await,
        Err(SessionStoreError::NotFound(_))
    ));
}

/// Fifty tasks append to one transcript at once, with timestamps handed out in shuffled order: every entry lands,
/// and the transcript is in timestamp order.
async fn fifty_concurrent_appends(objects: Arc<dyn ObjectStore>) {
    let store = SessionStore::new(objects);
    let owner = user("busy");
    let session = new_session(&owner, t0());
    store.create(&session).await.unwrap();
    let mut order: Vec<i64> = (0..50).collect();
    fastrand::Rng::with_seed(7).shuffle(&mut order);
    let tasks: Vec<_> = order
        .into_iter()
        .map(|n| {
            let store = store.clone();
            let owner = owner.clone();
            let id = session.session_id;
            tokio::spawn(async move {
                let at = t0() + Duration::milliseconds(n * 10);
                store
                    .append_transcript(&id, &owner, entry(&format!("message {n:02}"), at))
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let read = store.get(&session.session_id, &owner).await.unwrap();
    let texts: Vec<String> = read.transcript.iter().map(|e| e.text.clone()).collect();
    let expected: Vec<String> = (0..50).map(|n| format!("message {n:02}")).collect();
    assert_eq!(texts, expected);
}

/// A seed-era document (no owner, no version, naive timestamps, `content`) reads; an owned version-0 document is
/// upgraded on its next write and keeps fields this build does not know.
async fn older_schema_documents_read(objects: Arc<dyn ObjectStore>) {
    let store = SessionStore::new(Arc::clone(&objects));
    let seed_id = SessionId::new_random();
    let seed_doc = json!({
        "session_id": seed_id.to_string(),
        "interview_type": "AWS SA",
        "candidate_name": "John Doe",
        "created_at": "2025-10-17T12:00:00.123456",
        "status": "active",
        "transcript": [{"role": "assistant", "content": "Welcome!", "timestamp": "2025-10-17T12:00:01.5"}],
        "code_submissions": [],
        "cv_analysis": null
    });
    objects
        .put(
            &ObjectKey::session(&seed_id),
            Bytes::from(seed_doc.to_string()),
            Precondition::None,
        )
        .await
        .unwrap();
    let (seed, _) = store.read(&seed_id).await.unwrap().unwrap();
    assert_eq!(seed.schema_version, 0);
    assert_eq!(seed.interview_type, InterviewType::AwsSa);
    assert_eq!(seed.transcript[0].text, "Welcome!");

    let owner = user("legacy");
    let id = SessionId::new_random();
    let v0_owned = json!({
        "session_id": id.to_string(),
        "owner": "legacy",
        "interview_type": "Behavioral",
        "candidate_name": "Jo",
        "created_at": "2025-10-17T12:00:00Z",
        "legacy_notes": "kept"
    });
    objects
        .put(
            &ObjectKey::session(&id),
            Bytes::from(v0_owned.to_string()),
            Precondition::None,
        )
        .await
        .unwrap();
    let updated = store
        .append_transcript(&id, &owner, entry("hello", t0()))
        .await
        .unwrap();
    assert_eq!(updated.schema_version, CURRENT_SCHEMA_VERSION);
    let raw = objects
        .get(&ObjectKey::session(&id))
        .await
        .unwrap()
        .unwrap();
    let stored: serde_json::Value = serde_json::from_slice(&raw.body).unwrap();
    assert_eq!(stored["legacy_notes"], "kept");
    assert_eq!(stored["schema_version"], CURRENT_SCHEMA_VERSION);
}

/// A user's listing reads that user's index and documents only, however many sessions others have.
async fn listing_costs_only_the_owners_sessions(objects: Arc<dyn ObjectStore>) {
    let counting = Arc::new(CountingStore::new(objects));
    let store = SessionStore::new(Arc::clone(&counting) as Arc<dyn ObjectStore>);
    let (ann, bob) = (user("ann-list"), user("bob-list"));
    for n in 0..25 {
        store
            .create(&new_session(&bob, t0() + Duration::minutes(n)))
            .await
            .unwrap();
    }
    let mut mine = Vec::new();
    for n in 0..3 {
        let s = new_session(&ann, t0() + Duration::minutes(n));
        store.create(&s).await.unwrap();
        mine.push(s.session_id);
    }
    counting.reset();
    let listed = store.list_for_owner(&ann).await.unwrap();
    assert_eq!(counting.lists.load(Ordering::SeqCst), 1);
    assert_eq!(counting.gets.load(Ordering::SeqCst), 3);
    let ids: Vec<SessionId> = listed.iter().map(|s| s.session_id).collect();
    mine.reverse();
    assert_eq!(ids, mine, "newest first");
}

/// Deletion takes the document, the index entry and every object under the session's prefixes — and nothing of
/// any other session.
async fn deletion_removes_everything_of_one_session(objects: Arc<dyn ObjectStore>) {
    let store = SessionStore::new(Arc::clone(&objects));
    let owner = user("deleter");
    let doomed = new_session(&owner, t0());
    let kept = new_session(&owner, t0() + Duration::minutes(1));
    store.create(&doomed).await.unwrap();
    store.create(&kept).await.unwrap();
    for session in [&doomed, &kept] {
        for prefix in KeyPrefix::session_data(&session.session_id) {
            let key = ObjectKey::child(&prefix, "file.bin").unwrap();
            objects
                .put(&key, Bytes::from_static(b"data"), Precondition::None)
                .await
                .unwrap();
        }
    }
    let other = user("other");
    let summaries = prepai::analytics::SummaryStore::new(Arc::clone(&objects));
    let quotas = prepai::store::QuotaStore::new(Arc::clone(&objects));
    let cases = prepai::app::sessions::Sessions {
        sessions: &store,
        summaries: &summaries,
        quotas: prepai::app::quotas::Quotas {
            store: &quotas,
            limits: prepai::domain::QuotaLimits::UNLIMITED,
            clock: &prepai::ports::SystemClock,
        },
        clock: &prepai::ports::SystemClock,
    };
    assert!(matches!(
        cases.delete(&other, &doomed.session_id).await,
        Err(prepai::app::AppError::NotFound { .. })
    ));
    let removed = cases
        .delete(&owner, &doomed.session_id)
        .await
        .unwrap()
        .objects_removed;
    assert_eq!(
        removed,
        KeyPrefix::session_data(&doomed.session_id).len() + 1
    );
    assert!(store.read(&doomed.session_id).await.unwrap().is_none());
    for prefix in KeyPrefix::session_data(&doomed.session_id) {
        assert!(
            objects.list(&prefix).await.unwrap().is_empty(),
            "{prefix} still has objects"
        );
    }
    for prefix in KeyPrefix::session_data(&kept.session_id) {
        assert_eq!(objects.list(&prefix).await.unwrap().len(), 1);
    }
    let listed = store.list_for_owner(&owner).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].session_id, kept.session_id);
}

/// A write into a folder while the folder's only other object is deleted (a WebSocket connection opening as another
/// closes, an audio chunk stored while an old one is discarded) must not be lost.
async fn writes_beside_a_delete_in_one_folder(objects: Arc<dyn ObjectStore>) {
    let session = SessionId::new_random();
    for round in 0..100u32 {
        let utterance = prepai::voice::UtteranceId::new();
        let leaving = ObjectKey::recording_chunk(&session, &utterance, 0);
        let arriving = ObjectKey::recording_chunk(&session, &utterance, 1);
        objects
            .put(&leaving, Bytes::from_static(b"old"), Precondition::None)
            .await
            .unwrap();
        let (deleted, written) = tokio::join!(
            objects.delete(&leaving),
            objects.put(
                &arriving,
                Bytes::from(round.to_string()),
                Precondition::IfAbsent
            )
        );
        deleted.unwrap();
        written.unwrap_or_else(|e| panic!("round {round}: {e}"));
        let stored = objects
            .get(&arriving)
            .await
            .unwrap()
            .expect("the new object");
        assert_eq!(stored.body, Bytes::from(round.to_string()));
    }
}

macro_rules! conformance_suite {
    ($adapter:ident, $make:expr) => {
        mod $adapter {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn conditional_writes() {
                let (objects, _guard) = $make;
                super::conditional_writes(objects).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn listing_and_prefix_deletion() {
                let (objects, _guard) = $make;
                super::listing_and_prefix_deletion(objects).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn create_get_and_ownership() {
                let (objects, _guard) = $make;
                super::create_get_and_ownership(objects).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn fifty_concurrent_appends() {
                let (objects, _guard) = $make;
                super::fifty_concurrent_appends(objects).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn older_schema_documents_read() {
                let (objects, _guard) = $make;
                super::older_schema_documents_read(objects).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn listing_costs_only_the_owners_sessions() {
                let (objects, _guard) = $make;
                super::listing_costs_only_the_owners_sessions(objects).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn writes_beside_a_delete_in_one_folder() {
                let (objects, _guard) = $make;
                super::writes_beside_a_delete_in_one_folder(objects).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn deletion_removes_everything_of_one_session() {
                let (objects, _guard) = $make;
                super::deletion_removes_everything_of_one_session(objects).await;
            }
        }
    };
}

conformance_suite!(filesystem, {
    let dir = tempfile::tempdir().unwrap();
    let objects: Arc<dyn ObjectStore> =
        Arc::new(prepai::adapters::local::FsObjectStore::new(dir.path()));
    (objects, dir)
});

conformance_suite!(s3_over_http, {
    let server = prepai_tests::s3_server::S3Server::start().await;
    let objects: Arc<dyn ObjectStore> = server.object_store();
    (objects, server)
});
