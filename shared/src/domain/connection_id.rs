//! A WebSocket connection's id, as API Gateway (base64-like) or the local server (hex) issues it.

use std::fmt;

/// A connection id as API Gateway (base64-like) or the local server (hex) issues it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConnectionId(String);

impl ConnectionId {
    /// 1–128 characters of `[A-Za-z0-9+/=_-]`.
    pub fn parse(raw: &str) -> Option<Self> {
        let ok = (1..=128).contains(&raw.len())
            && raw.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-')
            });
        ok.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ConnectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert!(ConnectionId::parse("L0SM9cOFvHcCIhw=").is_some());
        assert!(ConnectionId::parse("a/b+c=").is_some());
        assert!(ConnectionId::parse("").is_none());
        assert!(ConnectionId::parse("a b").is_none());
        assert!(ConnectionId::parse("../x").is_none());
        assert!(ConnectionId::parse(&"a".repeat(129)).is_none());
    }
}
