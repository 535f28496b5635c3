//! What both interpreters' result conversions share: the size and depth budget, big integers, the order sets are
//! reported in, and the verdict for a result too large to return.

use std::cmp::Ordering;

use malachite_bigint::BigInt;
use num_traits::ToPrimitive;
use prepai::tools::code_executor::{TestError, Verdict};
use serde_json::{Number, Value};

use crate::protocol::WorkerRequest;

/// Results nest at most this deep; the frame that carries them must stay within serde_json's own limit (128).
pub(crate) const MAX_RESULT_DEPTH: usize = 100;

/// Why a value has no JSON form.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConvertError {
    #[error("{0}")]
    Unsupported(String),
    #[error("the result nests deeper than {MAX_RESULT_DEPTH} levels (or refers to itself)")]
    TooDeep,
    #[error("the result is larger than the limit")]
    TooLarge,
}

/// Counts what a conversion has produced, roughly in bytes of JSON, so a huge or cyclic result stops early.
pub(crate) struct Budget {
    left: usize,
}

impl Budget {
    pub(crate) fn new(limit_bytes: usize) -> Self {
        Self { left: limit_bytes }
    }

    /// Accounts for one more value at `depth`.
    pub(crate) fn enter(&mut self, depth: usize) -> Result<(), ConvertError> {
        if depth > MAX_RESULT_DEPTH {
            return Err(ConvertError::TooDeep);
        }
        self.spend(8)
    }

    /// Accounts for `bytes` of text.
    pub(crate) fn spend(&mut self, bytes: usize) -> Result<(), ConvertError> {
        self.left = self.left.checked_sub(bytes).ok_or(ConvertError::TooLarge)?;
        Ok(())
    }
}

/// An integer exactly when it fits 64 bits, else the nearest float (JSON numbers are compared within 1e-9 anyway).
pub(crate) fn int_to_json(value: &BigInt) -> Value {
    if let Some(i) = value.to_i64() {
        return Value::from(i);
    }
    if let Some(u) = value.to_u64() {
        return Value::from(u);
    }
    value
        .to_f64()
        .and_then(Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

/// A float dict key as Python's `json.dumps` writes it.
pub(crate) fn float_key(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else if value.fract() == 0.0 && value.abs() < 1e16 {
        format!("{value:.1}")
    } else {
        value.to_string()
    }
}

/// A total order for reporting set members: by kind (null, booleans, numbers, strings, arrays, objects), numbers
/// numerically, strings by code point, containers by their JSON text.
pub(crate) fn canonical_order(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Number(_) => 2,
            Value::String(_) => 3,
            Value::Array(_) => 4,
            Value::Object(_) => 5,
        }
    }
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.total_cmp(&y)
        }
        (Value::String(x), Value::String(y)) => x.cmp(y),
        _ => rank(a)
            .cmp(&rank(b))
            .then_with(|| a.to_string().cmp(&b.to_string())),
    }
}

/// A result larger than the limit ends the run with `OutputLimitExceeded`.
pub(crate) fn result_too_large(request: &WorkerRequest) -> ! {
    crate::worker::stop_with_limit(
        Verdict::OutputLimitExceeded,
        TestError::new(
            "OutputLimitExceeded",
            format!(
                "the function returned a result larger than {} bytes",
                request.result_limit_bytes
            ),
            None,
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn big_integers_and_keys() {
        assert_eq!(int_to_json(&BigInt::from(-5)), json!(-5));
        assert_eq!(int_to_json(&BigInt::from(u64::MAX)), json!(u64::MAX));
        let huge = BigInt::from(u64::MAX) * BigInt::from(u64::MAX);
        assert_eq!(int_to_json(&huge).as_f64(), Some(3.402_823_669_209_385e38));
        assert_eq!(float_key(1.0), "1.0");
        assert_eq!(float_key(0.5), "0.5");
    }

    #[test]
    fn sets_sort_by_kind_then_value() {
        let mut values = vec![json!("b"), json!(10), json!(null), json!(9.5), json!("a")];
        values.sort_by(canonical_order);
        assert_eq!(
            values,
            vec![json!(null), json!(9.5), json!(10), json!("a"), json!("b")]
        );
    }

    #[test]
    fn the_budget_stops_deep_and_large_values() {
        let mut budget = Budget::new(100);
        assert!(matches!(
            budget.enter(MAX_RESULT_DEPTH + 1),
            Err(ConvertError::TooDeep)
        ));
        assert!(budget.spend(95).is_ok());
        assert!(matches!(budget.enter(0), Err(ConvertError::TooLarge)));
    }
}
