//! A spoken answer arrives as many `audio` messages, each possibly handled by a different Lambda invocation, in
//! any order. Each chunk is stored under `recordings/{session_id}/{utterance_id}/{seq}.pcm` as it arrives; on
//! `speech_end` the chunks are read back in `seq` order and checked for gaps before anything is transcribed.

use std::time::Duration;

use bytes::{Bytes, BytesMut};

use super::audio::{PCM_BYTES_PER_SECOND, Pcm16};
use crate::domain::{SessionId, UtteranceId};
use crate::ports::{KeyPrefix, ObjectKey};
use crate::ports::{ObjectStore, Precondition, StoreError};

/// The most raw audio bytes one `audio` message may carry: half a second, which base64-encodes to 21,336
/// characters and keeps the JSON frame well under API Gateway's 32 KB.
pub const MAX_CHUNK_BYTES: usize = 16_000;

/// The longest utterance accepted. Longer answers are fine, spoken as several utterances.
pub const MAX_UTTERANCE_SECONDS: usize = 120;

/// The most chunks an utterance may have (bounds the listing and the `seq` a client may claim).
pub const MAX_CHUNKS: u32 = 4_000;

/// Why an utterance cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum UtteranceError {
    #[error("no audio arrived between speech_start and speech_end")]
    Empty,
    #[error("audio chunk {missing} never arrived; please say that again")]
    Gap { missing: u32 },
    #[error(
        "an answer may be at most {MAX_UTTERANCE_SECONDS} seconds at a time; pause and continue in a new one"
    )]
    TooLong,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What storing one chunk did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChunkOutcome {
    Stored,
    /// The same `seq` arrived before (a client retry); the first copy is kept.
    Duplicate,
}

fn chunk_key(session: &SessionId, utterance: &UtteranceId, seq: u32) -> ObjectKey {
    ObjectKey::recording_chunk(session, utterance, seq)
}

/// Stores one chunk once: a repeated `seq` never overwrites what arrived first.
pub async fn store_chunk(
    objects: &dyn ObjectStore,
    session: &SessionId,
    utterance: &UtteranceId,
    seq: u32,
    pcm: Bytes,
) -> Result<ChunkOutcome, StoreError> {
    match objects
        .put(
            &chunk_key(session, utterance, seq),
            pcm,
            Precondition::IfAbsent,
        )
        .await
    {
        Ok(_) => Ok(ChunkOutcome::Stored),
        Err(StoreError::PreconditionFailed { .. }) => Ok(ChunkOutcome::Duplicate),
        Err(e) => Err(e),
    }
}

/// Reads the utterance back in order. `expected` is the chunk count the client says it sent; chunks still in
/// flight (another invocation storing them) are waited for up to `patience`.
pub async fn assemble(
    objects: &dyn ObjectStore,
    session: &SessionId,
    utterance: &UtteranceId,
    expected: Option<u32>,
    patience: Duration,
) -> Result<Pcm16, UtteranceError> {
    let prefix = KeyPrefix::utterance(session, utterance);
    let deadline = tokio::time::Instant::now() + patience;
    let seqs = loop {
        let mut seqs: Vec<u32> = objects
            .list(&prefix)
            .await?
            .iter()
            .filter_map(|k| k.file_name().strip_suffix(".pcm")?.parse().ok())
            .collect();
        seqs.sort_unstable();
        let count = expected.unwrap_or_else(|| seqs.last().map_or(0, |last| last + 1));
        let missing = (0..count).find(|s| seqs.binary_search(s).is_err());
        match missing {
            None if count == 0 => return Err(UtteranceError::Empty),
            None => break seqs.into_iter().take(count as usize).collect::<Vec<_>>(),
            Some(missing) if tokio::time::Instant::now() >= deadline => {
                return Err(UtteranceError::Gap { missing });
            }
            Some(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    };
    let mut audio = BytesMut::new();
    for seq in seqs {
        let chunk = objects
            .get(&chunk_key(session, utterance, seq))
            .await?
            .ok_or(UtteranceError::Gap { missing: seq })?;
        audio.extend_from_slice(&chunk.body);
        if audio.len() > MAX_UTTERANCE_SECONDS * PCM_BYTES_PER_SECOND {
            return Err(UtteranceError::TooLong);
        }
    }
    // Every chunk was checked for whole samples on arrival.
    Pcm16::parse(audio.freeze()).map_err(|_| UtteranceError::Empty)
}

/// Removes an utterance's chunks (a failed utterance, or recordings switched off).
pub async fn discard(
    objects: &dyn ObjectStore,
    session: &SessionId,
    utterance: &UtteranceId,
) -> Result<usize, StoreError> {
    objects
        .delete_prefix(&KeyPrefix::utterance(session, utterance))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::local::FsObjectStore;

    fn setup() -> (tempfile::TempDir, FsObjectStore, SessionId, UtteranceId) {
        let dir = tempfile::tempdir().unwrap();
        let store = FsObjectStore::new(dir.path());
        (dir, store, SessionId::new_random(), UtteranceId::new())
    }

    #[tokio::test]
    async fn chunks_come_back_in_seq_order_whatever_order_they_arrived_in() {
        let (_dir, store, session, utterance) = setup();
        for seq in [2u32, 0, 1] {
            let bytes = Bytes::from(vec![seq as u8; 4]);
            assert_eq!(
                store_chunk(&store, &session, &utterance, seq, bytes)
                    .await
                    .unwrap(),
                ChunkOutcome::Stored
            );
        }
        let again = store_chunk(&store, &session, &utterance, 1, Bytes::from(vec![9; 4]))
            .await
            .unwrap();
        assert_eq!(again, ChunkOutcome::Duplicate);
        let pcm = assemble(&store, &session, &utterance, Some(3), Duration::ZERO)
            .await
            .unwrap();
        assert_eq!(pcm.bytes().as_ref(), &[0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
        assert_eq!(discard(&store, &session, &utterance).await.unwrap(), 3);
    }

    #[tokio::test]
    async fn a_gap_or_nothing_is_reported() {
        let (_dir, store, session, utterance) = setup();
        assert!(matches!(
            assemble(&store, &session, &utterance, None, Duration::ZERO).await,
            Err(UtteranceError::Empty)
        ));
        for seq in [0u32, 2] {
            store_chunk(
                &store,
                &session,
                &utterance,
                seq,
                Bytes::from_static(&[0, 0]),
            )
            .await
            .unwrap();
        }
        assert!(matches!(
            assemble(&store, &session, &utterance, None, Duration::ZERO).await,
            Err(UtteranceError::Gap { missing: 1 })
        ));
        // The client said four were sent: the fourth is missing too, once the third arrives.
        store_chunk(&store, &session, &utterance, 1, Bytes::from_static(&[0, 0]))
            .await
            .unwrap();
        assert!(matches!(
            assemble(
                &store,
                &session,
                &utterance,
                Some(4),
                Duration::from_millis(120)
            )
            .await,
            Err(UtteranceError::Gap { missing: 3 })
        ));
    }

    #[tokio::test]
    async fn a_late_chunk_is_waited_for() {
        let (_dir, store, session, utterance) = setup();
        let store = std::sync::Arc::new(store);
        store_chunk(
            store.as_ref(),
            &session,
            &utterance,
            0,
            Bytes::from_static(&[1, 1]),
        )
        .await
        .unwrap();
        let late = {
            let (store, session, utterance) = (store.clone(), session, utterance.clone());
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(100)).await;
                store_chunk(
                    store.as_ref(),
                    &session,
                    &utterance,
                    1,
                    Bytes::from_static(&[2, 2]),
                )
                .await
                .unwrap();
            })
        };
        let pcm = assemble(
            store.as_ref(),
            &session,
            &utterance,
            Some(2),
            Duration::from_secs(2),
        )
        .await
        .unwrap();
        assert_eq!(pcm.bytes().as_ref(), &[1, 1, 2, 2]);
        late.await.unwrap();
    }

    #[tokio::test]
    async fn over_two_minutes_is_refused() {
        let (_dir, store, session, utterance) = setup();
        let chunk = Bytes::from(vec![0u8; MAX_CHUNK_BYTES]);
        let needed = (MAX_UTTERANCE_SECONDS * PCM_BYTES_PER_SECOND / MAX_CHUNK_BYTES) as u32 + 1;
        for seq in 0..needed {
            store_chunk(&store, &session, &utterance, seq, chunk.clone())
                .await
                .unwrap();
        }
        assert!(matches!(
            assemble(&store, &session, &utterance, Some(needed), Duration::ZERO).await,
            Err(UtteranceError::TooLong)
        ));
        assert_eq!(
            discard(&store, &session, &utterance).await.unwrap(),
            needed as usize
        );
        assert!(
            store
                .list(&KeyPrefix::utterance(&session, &utterance))
                .await
                .unwrap()
                .is_empty()
        );
    }
}
