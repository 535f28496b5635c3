//! Timestamps as they appear in stored documents and JSON responses.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serializer};

/// Writes RFC 3339 in UTC with milliseconds (`2026-11-26T13:11:28.123Z`), which sorts as text and as time alike.
pub fn format(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads RFC 3339, and also the offset-less ISO form (`2025-10-17T12:00:00.123456`) that the seed's Python
/// backend wrote with `datetime.utcnow().isoformat()`, taken as UTC so its documents still load.
pub fn parse(raw: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Some(at.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .map(|naive| naive.and_utc())
}

/// serde adapter for a required timestamp.
pub mod required {
    use super::*;

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let raw = String::deserialize(d)?;
        parse(&raw).ok_or_else(|| serde::de::Error::custom(format!("not a timestamp: {raw:?}")))
    }
}

/// serde adapter for an optional timestamp (absent or null both mean none).
pub mod optional {
    use super::*;

    pub fn serialize<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => s.serialize_str(&format(at)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(raw) => parse(&raw)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("not a timestamp: {raw:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc3339_and_python_isoformat() {
        let a = parse("2025-10-17T12:00:00.123456").unwrap();
        let b = parse("2025-10-17T12:00:00.123456Z").unwrap();
        let c = parse("2025-10-17T14:00:00.123456+02:00").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(format(&a), "2025-10-17T12:00:00.123Z");
        assert!(parse("yesterday").is_none());
    }
}
