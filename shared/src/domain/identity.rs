//! Who is calling: the claims of a verified JWT, whichever entrance verified it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The caller, as the JWT authorizer (on AWS) or the local server's verifier saw them.
///
/// Handlers only ever see an `Identity` that a verifier produced; they never read tokens themselves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    sub: String,
    groups: Vec<String>,
}

/// The longest `sub` accepted; Cognito's are 36-character UUIDs.
pub const MAX_SUBJECT_CHARS: usize = 256;

/// The group whose members see everyone's analytics.
pub const ADMIN_GROUP: &str = "admin";

/// Why a set of claims does not name a caller.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InvalidIdentity {
    #[error("the token has no subject (sub) claim")]
    MissingSubject,
    #[error("the token's subject is longer than {MAX_SUBJECT_CHARS} characters")]
    SubjectTooLong,
}

impl Identity {
    /// Builds an identity from a subject and its groups.
    pub fn new(sub: impl Into<String>, groups: Vec<String>) -> Result<Self, InvalidIdentity> {
        let sub = sub.into();
        if sub.trim().is_empty() {
            return Err(InvalidIdentity::MissingSubject);
        }
        if sub.chars().count() > MAX_SUBJECT_CHARS {
            return Err(InvalidIdentity::SubjectTooLong);
        }
        Ok(Self { sub, groups })
    }

    /// Reads the claims map API Gateway's JWT authorizer puts in the request context, where every claim is a
    /// string and `cognito:groups` arrives as `"[admin reviewers]"`.
    pub fn from_authorizer_claims<'a>(
        mut claim: impl FnMut(&str) -> Option<&'a str>,
    ) -> Result<Self, InvalidIdentity> {
        let sub = claim("sub").ok_or(InvalidIdentity::MissingSubject)?;
        let groups = claim("cognito:groups")
            .map(parse_group_list)
            .unwrap_or_default();
        Self::new(sub, groups)
    }

    /// The JWT's `sub`: the owner recorded on sessions.
    pub fn sub(&self) -> &str {
        &self.sub
    }

    /// The caller's `cognito:groups`.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// Admins see aggregate analytics over every user.
    pub fn is_admin(&self) -> bool {
        self.groups.iter().any(|g| g == ADMIN_GROUP)
    }

    /// A fixed-length, key-safe token for this owner, so a `sub` of any shape can name a storage prefix.
    pub fn owner_key(&self) -> OwnerKey {
        OwnerKey::of(&self.sub)
    }
}

/// The storage-safe form of an owner: the first 128 bits of SHA-256 of the `sub`, in hex.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OwnerKey(String);

impl OwnerKey {
    /// Hashes any subject string into a key segment.
    pub fn of(sub: &str) -> Self {
        let digest = Sha256::digest(sub.as_bytes());
        Self(hex::encode(&digest[..16]))
    }

    /// The hex text, safe in any key or path.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// API Gateway flattens array claims to `[a b c]` (and some issuers use commas); accept both, and a bare value.
fn parse_group_list(raw: &str) -> Vec<String> {
    raw.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(|g| g.trim_matches('"'))
        .filter(|g| !g.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn reads_api_gateway_group_lists() {
        let claims: HashMap<&str, &str> =
            HashMap::from([("sub", "abc"), ("cognito:groups", "[admin reviewers]")]);
        let id = Identity::from_authorizer_claims(|k| claims.get(k).copied()).unwrap();
        assert_eq!(id.groups(), ["admin", "reviewers"]);
        assert!(id.is_admin());
    }

    #[test]
    fn no_groups_is_not_admin() {
        let id = Identity::from_authorizer_claims(|k| (k == "sub").then_some("abc")).unwrap();
        assert!(!id.is_admin());
    }

    #[test]
    fn subject_is_required() {
        assert_eq!(
            Identity::from_authorizer_claims(|_| None),
            Err(InvalidIdentity::MissingSubject)
        );
        assert_eq!(
            Identity::new("  ", vec![]),
            Err(InvalidIdentity::MissingSubject)
        );
    }

    #[test]
    fn owner_keys_are_hex_and_distinct() {
        let a = OwnerKey::of("../../etc");
        assert_eq!(a.as_str().len(), 32);
        assert!(a.as_str().chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, OwnerKey::of("../../etd"));
    }
}
