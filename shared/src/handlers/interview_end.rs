//! `POST /api/interviews/{session_id}/end` (issue 5).
