//! The speech adapters' settings as read from the environment: a mistyped voice, engine or language fails at
//! start-up with the list of accepted values, rather than at the first utterance as a service error.

/// A speech setting whose value the adapter cannot use.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{variable} must be one of: {allowed}; got {value:?}")]
pub struct InvalidSpeechSetting {
    /// The environment variable that was set.
    pub variable: &'static str,
    /// What it was set to.
    pub value: String,
    /// The accepted values, comma-separated.
    pub allowed: String,
}

/// The accepted value `value` names, ignoring case and surrounding blanks, spelled as the service spells it.
pub(super) fn one_of(
    variable: &'static str,
    value: &str,
    allowed: &[&'static str],
) -> Result<&'static str, InvalidSpeechSetting> {
    let wanted = value.trim();
    allowed
        .iter()
        .copied()
        .find(|candidate| candidate.eq_ignore_ascii_case(wanted))
        .ok_or_else(|| InvalidSpeechSetting {
            variable,
            value: value.to_owned(),
            allowed: allowed.join(", "),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_matched_without_regard_to_case_and_spelled_canonically() {
        assert_eq!(one_of("X", " en-us ", &["en-GB", "en-US"]), Ok("en-US"));
    }

    #[test]
    fn an_unknown_value_lists_the_accepted_ones() {
        let error = one_of("PREPAI_POLLY_FORMAT", "ogg", &["mp3", "pcm"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "PREPAI_POLLY_FORMAT must be one of: mp3, pcm; got \"ogg\""
        );
    }
}
