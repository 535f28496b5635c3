//! Analytics over ended sessions: summary records, percentiles, trends (issue 5).
