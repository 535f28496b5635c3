//! `GET /api/interviews/{session_id}/performance-report` (issue 5).
