//! Deciding whether a result equals the expectation, as JSON values, in Rust: the candidate's interpreter never
//! takes part, so a result whose `__eq__` always answers True or a patched `JSON.stringify` cannot forge a pass.

use serde_json::Value;

/// The tolerance for numbers that are not both integers: relative to the larger magnitude, and absolute below 1.
pub const FLOAT_TOLERANCE: f64 = 1e-9;

/// Structural JSON equality: same types (any two numbers compare as numbers), arrays in order, objects by key
/// regardless of order, integers exactly, other numbers within [`FLOAT_TOLERANCE`].
pub fn json_equal(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Number(a), Value::Number(b)) => {
            if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
                return a == b;
            }
            if let (Some(a), Some(b)) = (a.as_u64(), b.as_u64()) {
                return a == b;
            }
            match (a.as_f64(), b.as_f64()) {
                (Some(a), Some(b)) => floats_close(a, b),
                _ => false,
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, x)| b.get(key).is_some_and(|y| json_equal(x, y)))
        }
        _ => false,
    }
}

fn floats_close(a: f64, b: f64) -> bool {
    if a == b {
        return true;
    }
    let scale = a.abs().max(b.abs()).max(1.0);
    (a - b).abs() <= FLOAT_TOLERANCE * scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_numerically_with_a_tolerance_for_floats() {
        assert!(json_equal(&json!(1), &json!(1.0)));
        assert!(json_equal(&json!(0.3), &json!(0.1 + 0.2)));
        assert!(json_equal(&json!(1e12), &json!(1e12 + 1e2)));
        assert!(!json_equal(&json!(1e12), &json!(1e12 + 1e4)));
        assert!(json_equal(&json!(0.0), &json!(1e-12)));
        assert!(!json_equal(&json!(0.0), &json!(1e-6)));
        assert!(!json_equal(&json!(2), &json!(3)));
        assert!(!json_equal(&json!(u64::MAX), &json!(u64::MAX - 1)));
        assert!(!json_equal(&json!(1), &json!(true)));
        assert!(!json_equal(&json!(1), &json!("1")));
    }

    #[test]
    fn containers_compare_structurally() {
        assert!(json_equal(
            &json!({"a": [1, 2, {"b": null}], "c": "x"}),
            &json!({"c": "x", "a": [1, 2.0, {"b": null}]})
        ));
        assert!(!json_equal(&json!([1, 2]), &json!([2, 1])));
        assert!(!json_equal(&json!([1, 2]), &json!([1, 2, 3])));
        assert!(!json_equal(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert!(!json_equal(&json!({"a": 1}), &json!({"b": 1})));
        assert!(!json_equal(&json!(null), &json!([])));
    }
}
