//! JavaScript in QuickJS (rquickjs): a bare ECMAScript context with no `require`, `process`, file or network API.
//! The engine's own limits come first — an interrupt handler at the deadline (its exception cannot be caught),
//! a heap limit and a stack limit — and the process limits stand behind them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use prepai::tools::code_executor::{TestError, Verdict};
use rquickjs::context::EvalOptions;
use rquickjs::function::Args;
use rquickjs::{Context, Ctx, Function, Runtime, Type};
use serde_json::{Map, Number, Value};

use super::{LastWall, capture, send};
use crate::convert::{self, Budget, ConvertError};
use crate::protocol::{FrameBody, WorkerRequest};

/// The file name candidate code is evaluated under, so stack traces can be matched to its lines.
const SOURCE_PATH: &str = "solution.js";

/// Set by the interrupt handler when it stops the code at the deadline.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// `console` and `print` over the capture; a helper that lists Map and Set contents with the built-ins captured
/// before candidate code can replace them (its result only shapes the candidate's own output).
const SETUP: &str = r#"
(() => {
  const write = globalThis.__prepai_write;
  delete globalThis.__prepai_write;
  const stringify = JSON.stringify;
  const format = (v) => {
    if (typeof v === 'string') return v;
    try {
      const s = stringify(v);
      if (s !== undefined) return s;
    } catch (e) {}
    return String(v);
  };
  const log = (...args) => { write(args.map(format).join(' ') + '\n'); };
  globalThis.console = { log, info: log, warn: log, error: log, debug: log, trace: log };
  globalThis.print = log;
  const MapCtor = Map, SetCtor = Set, from = Array.from;
  const mapEntries = Function.prototype.call.bind(Map.prototype.entries);
  const setValues = Function.prototype.call.bind(Set.prototype.values);
  return (v) => v instanceof MapCtor ? ['map', from(mapEntries(v))]
    : v instanceof SetCtor ? ['set', from(setValues(v))] : null;
})()
"#;

/// Runs every test of `request` in a fresh runtime, reporting as it goes.
pub(super) fn run(request: &WorkerRequest, method_of: Option<&str>, wall: LastWall) {
    let Ok(runtime) = Runtime::new() else {
        send(FrameBody::LoadError {
            error: TestError::new(
                "SandboxError",
                "the JavaScript engine failed to start",
                None,
            ),
        });
        return;
    };
    runtime.set_memory_limit(request.js_memory_limit_bytes);
    runtime.set_max_stack_size(request.js_stack_limit_bytes);
    let deadline = Instant::now() + Duration::from_millis(request.timeout_ms);
    runtime.set_interrupt_handler(Some(Box::new(move || {
        let late = Instant::now() >= deadline;
        if late {
            INTERRUPTED.store(true, Ordering::SeqCst);
        }
        late
    })));
    let Ok(context) = Context::full(&runtime) else {
        send(FrameBody::LoadError {
            error: TestError::new(
                "SandboxError",
                "the JavaScript context failed to start",
                None,
            ),
        });
        return;
    };
    context.with(|ctx| run_in(&ctx, request, method_of, wall));
}

fn run_in<'js>(ctx: &Ctx<'js>, request: &WorkerRequest, method_of: Option<&str>, wall: LastWall) {
    let collections = match set_up(ctx) {
        Ok(helper) => helper,
        Err(error) => {
            send(FrameBody::LoadError { error });
            return;
        }
    };
    wall.raise();
    let function = match super::guarded(|| load(ctx, request, method_of)).and_then(|loaded| loaded)
    {
        Ok(function) => function,
        Err(error) => {
            send(FrameBody::LoadError { error });
            return;
        }
    };
    let length = function
        .as_object()
        .and_then(|object| object.get::<_, i32>("length").ok())
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(1);
    for (index, test) in request.tests.iter().enumerate() {
        send(FrameBody::Started { test: index });
        let values: Vec<&Value> = match &test.args {
            Some(args) => args.iter().collect(),
            None => match (&test.input, length) {
                (Value::Array(items), n) if n > 1 => items.iter().collect(),
                (Value::Null, 0) => Vec::new(),
                (input, _) => vec![input],
            },
        };
        let started = Instant::now();
        let outcome = super::guarded(|| call(ctx, &function, &values));
        let seconds = started.elapsed().as_secs_f64();
        let (actual, error) = match outcome {
            Err(panic) => (None, Some(panic)),
            Ok(Ok(value)) => {
                let mut budget = Budget::new(request.result_limit_bytes);
                match from_js(&value, 0, &mut budget, &collections) {
                    Ok(json) => (Some(json), None),
                    Err(ConvertError::TooLarge) => convert::result_too_large(request),
                    Err(e) => (None, Some(TestError::new("TypeError", e.to_string(), None))),
                }
            }
            Ok(Err(())) => (None, Some(caught_error(ctx))),
        };
        send(FrameBody::Finished {
            test: index,
            actual,
            error,
            stdout: capture::take_current(),
            seconds,
        });
    }
}

/// Installs `console`/`print` and returns the Map/Set helper.
fn set_up<'js>(ctx: &Ctx<'js>) -> Result<Function<'js>, TestError> {
    let failed =
        |what: &str| TestError::new("SandboxError", format!("sandbox setup: {what}"), None);
    let write = Function::new(ctx.clone(), |text: String| capture::write(&text))
        .map_err(|_| failed("console"))?;
    ctx.globals()
        .set("__prepai_write", write)
        .map_err(|_| failed("console"))?;
    ctx.eval::<Function, _>(SETUP)
        .map_err(|_| failed("helpers"))
}

/// Evaluates the code as a classic script and looks the function up by name (top-level `let`, `const` and
/// `class` bindings are not properties of the global object, so the name itself is evaluated), or binds the
/// method of one instance of `method_of`. Both names were checked to be identifiers.
fn load<'js>(
    ctx: &Ctx<'js>,
    request: &WorkerRequest,
    method_of: Option<&str>,
) -> Result<Function<'js>, TestError> {
    let mut options = EvalOptions::default();
    options.global = true;
    options.strict = false;
    options.filename = Some(SOURCE_PATH.to_owned());
    if ctx
        .eval_with_options::<(), _>(request.code.as_bytes(), options)
        .is_err()
    {
        return Err(caught_error(ctx));
    }
    let name = request.function_name.as_str();
    let lookup = match method_of {
        None => name.to_owned(),
        Some(class) => format!("(() => {{ const o = new {class}(); return o.{name}.bind(o); }})()"),
    };
    let value = ctx
        .eval::<rquickjs::Value, _>(lookup)
        .map_err(|_| caught_error(ctx))?;
    value
        .into_function()
        .ok_or_else(|| TestError::new("TypeError", format!("'{name}' is not a function"), None))
}

fn call<'js>(
    ctx: &Ctx<'js>,
    function: &Function<'js>,
    values: &[&Value],
) -> Result<rquickjs::Value<'js>, ()> {
    let mut args = Args::new(ctx.clone(), values.len());
    for value in values {
        let js = to_js(ctx, value).map_err(|_| ())?;
        args.push_arg(js).map_err(|_| ())?;
    }
    function.call_arg(args).map_err(|_| ())
}

/// The pending exception as a test error; the deadline and the heap limit end the run with their verdicts.
fn caught_error(ctx: &Ctx<'_>) -> TestError {
    if INTERRUPTED.load(Ordering::SeqCst) {
        super::stop_with_limit(
            Verdict::TimeLimitExceeded,
            TestError::new(
                "TimeLimitExceeded",
                "the code ran past its time limit",
                None,
            ),
        );
    }
    let thrown = ctx.catch();
    let Some(object) = thrown.as_object() else {
        let shown = from_js_plain(&thrown);
        if shown.contains("out of memory") {
            super::stop_with_limit(
                Verdict::MemoryLimitExceeded,
                TestError::new("InternalError", "the code ran out of memory", None),
            );
        }
        return TestError::new("Error", format!("uncaught {shown}"), None);
    };
    let kind = object
        .get::<_, String>("name")
        .unwrap_or_else(|_| "Error".to_owned());
    let message = object.get::<_, String>("message").unwrap_or_default();
    if message.contains("out of memory") {
        super::stop_with_limit(
            Verdict::MemoryLimitExceeded,
            TestError::new(kind, "the code ran out of memory", None),
        );
    }
    let line = object
        .get::<_, String>("stack")
        .ok()
        .and_then(|stack| line_in_stack(&stack))
        .or_else(|| object.get::<_, u32>("lineNumber").ok());
    TestError::new(kind, message, line)
}

/// The first `solution.js:LINE` in a QuickJS stack trace.
fn line_in_stack(stack: &str) -> Option<u32> {
    let marker = format!("{SOURCE_PATH}:");
    let at = stack.find(&marker)? + marker.len();
    let digits: String = stack[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// A thrown value that is not an object (`throw "oops"`), as text.
fn from_js_plain(value: &rquickjs::Value<'_>) -> String {
    if let Some(text) = value.as_string().and_then(|s| s.to_string().ok()) {
        return format!("{text:?}");
    }
    value
        .as_number()
        .map(|n| n.to_string())
        .or_else(|| value.as_bool().map(|b| b.to_string()))
        .unwrap_or_else(|| value.type_of().as_str().to_owned())
}

/// JSON into fresh JavaScript values.
fn to_js<'js>(ctx: &Ctx<'js>, value: &Value) -> rquickjs::Result<rquickjs::Value<'js>> {
    Ok(match value {
        Value::Null => rquickjs::Value::new_null(ctx.clone()),
        Value::Bool(b) => rquickjs::Value::new_bool(ctx.clone(), *b),
        Value::Number(n) => match n.as_i64().and_then(|i| i32::try_from(i).ok()) {
            Some(i) => rquickjs::Value::new_int(ctx.clone(), i),
            None => rquickjs::Value::new_float(ctx.clone(), n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => rquickjs::String::from_str(ctx.clone(), s)?.into_value(),
        Value::Array(items) => {
            let array = rquickjs::Array::new(ctx.clone())?;
            for (i, item) in items.iter().enumerate() {
                array.set(i, to_js(ctx, item)?)?;
            }
            array.into_value()
        }
        Value::Object(fields) => {
            let object = rquickjs::Object::new(ctx.clone())?;
            for (key, item) in fields {
                object.set(key.as_str(), to_js(ctx, item)?)?;
            }
            object.into_value()
        }
    })
}

/// A JavaScript value as JSON, read by the engine's API (not through `JSON.stringify`, which the code may have
/// replaced): arrays in order, Maps as objects (or arrays of pairs when a key is not a string or number), Sets as
/// arrays in insertion order, other objects by their own enumerable string keys; `undefined` and non-finite
/// numbers become null.
fn from_js<'js>(
    value: &rquickjs::Value<'js>,
    depth: usize,
    budget: &mut Budget,
    collections: &Function<'js>,
) -> Result<Value, ConvertError> {
    budget.enter(depth)?;
    let js_error =
        |e: rquickjs::Error| ConvertError::Unsupported(format!("reading the result failed: {e}"));
    match value.type_of() {
        Type::Uninitialized | Type::Undefined | Type::Null => Ok(Value::Null),
        Type::Bool => Ok(Value::Bool(value.as_bool().unwrap_or(false))),
        Type::Int => Ok(Value::from(value.as_int().unwrap_or(0))),
        Type::Float => Ok(value
            .as_float()
            .and_then(Number::from_f64)
            .map_or(Value::Null, Value::Number)),
        Type::String => {
            let text = value
                .as_string()
                .map(|s| s.to_string())
                .transpose()
                .map_err(js_error)?
                .unwrap_or_default();
            budget.spend(text.len())?;
            Ok(Value::String(text))
        }
        Type::BigInt => {
            let big = value.as_big_int().cloned().ok_or(ConvertError::TooDeep)?;
            Ok(big.to_i64().map_or(Value::Null, Value::from))
        }
        Type::Array => {
            let array = value.as_array().ok_or(ConvertError::TooDeep)?;
            let mut items = Vec::with_capacity(array.len().min(1024));
            for i in 0..array.len() {
                let item: rquickjs::Value = array.get(i).map_err(js_error)?;
                items.push(from_js(&item, depth + 1, budget, collections)?);
            }
            Ok(Value::Array(items))
        }
        Type::Object | Type::Exception | Type::Proxy => {
            let listed: rquickjs::Value = collections.call((value.clone(),)).map_err(js_error)?;
            if let Some(pair) = listed.as_array() {
                let kind: String = pair.get(0).map_err(js_error)?;
                let contents: rquickjs::Value = pair.get(1).map_err(js_error)?;
                let converted = from_js(&contents, depth + 1, budget, collections)?;
                return Ok(if kind == "map" {
                    map_to_json(converted)
                } else {
                    converted
                });
            }
            let object = value.as_object().ok_or(ConvertError::TooDeep)?;
            let mut fields = Map::new();
            for key in object.keys::<String>() {
                let key = key.map_err(js_error)?;
                budget.spend(key.len())?;
                let item: rquickjs::Value = object.get(key.as_str()).map_err(js_error)?;
                fields.insert(key, from_js(&item, depth + 1, budget, collections)?);
            }
            Ok(Value::Object(fields))
        }
        other => Err(ConvertError::Unsupported(format!(
            "the function returned a {}, which has no JSON form; return arrays, objects, Maps, Sets, numbers, \
             strings, booleans or null",
            other.as_str()
        ))),
    }
}

/// Map entries (`[[k, v], …]`) as an object when every key is a string or number, else as the list of pairs.
fn map_to_json(entries: Value) -> Value {
    let Value::Array(pairs) = entries else {
        return entries;
    };
    let mut fields = Map::new();
    for pair in &pairs {
        match pair.as_array().map(Vec::as_slice) {
            Some([Value::String(key), value]) => {
                fields.insert(key.clone(), value.clone());
            }
            Some([Value::Number(key), value]) => {
                fields.insert(key.to_string(), value.clone());
            }
            _ => return Value::Array(pairs),
        }
    }
    Value::Object(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stack_lines_and_map_shapes() {
        assert_eq!(
            line_in_stack("    at f (solution.js:12:5)\n    at <eval> (solution.js:20)\n"),
            Some(12)
        );
        assert_eq!(line_in_stack("    at <anonymous>\n"), None);
        assert_eq!(
            map_to_json(json!([["a", 1], [2, [3]]])),
            json!({"a": 1, "2": [3]})
        );
        assert_eq!(map_to_json(json!([[[1], 1]])), json!([[[1], 1]]));
    }
}
