//! Python in RustPython, built without `host_env`: no `os`, `socket`, `subprocess`, file `open`, `ctypes` or
//! signals exist in the interpreter at all. A stand-in `os` module (names and pure helpers, every system call
//! refused) lets `random`, `statistics` and `dataclasses` import; `sys.stdout`/`sys.stderr` write to the capped
//! capture.

use std::time::Instant;

use num_traits::ToPrimitive;
use prepai::tools::code_executor::{TestError, Verdict};
use rustpython::InterpreterBuilderExt;
use rustpython::vm::builtins::{
    PyBaseExceptionRef, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyStr, PyStrRef,
    PyTuple,
};
use rustpython::vm::compiler::Mode;
use rustpython::vm::function::FuncArgs;
use rustpython::vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use serde_json::{Map, Number, Value};

use super::{LastWall, capture, send};
use crate::convert::{self, Budget, ConvertError};
use crate::protocol::{FrameBody, WorkerRequest};

/// The file name candidate code is compiled under, so tracebacks can be matched to its lines.
const SOURCE_PATH: &str = "solution.py";

/// The deepest Python recursion allowed: RustPython's frames live on the native stack, and the worker's stack
/// limit (set before exec) fits this many with room to spare. `sys.setrecursionlimit` is capped at it.
pub(crate) const MAX_RECURSION_DEPTH: usize = 3000;

/// Runs every test of `request` in a fresh interpreter, reporting as it goes.
pub(super) fn run(request: &WorkerRequest, method_of: Option<&str>, wall: LastWall) {
    let mut settings = rustpython::vm::Settings::default();
    settings.isolated = true;
    settings.ignore_environment = true;
    settings.import_site = false;
    settings.user_site_directory = false;
    settings.safe_path = true;
    settings.write_bytecode = false;
    let interpreter = rustpython::InterpreterBuilder::new()
        .settings(settings)
        .init_stdlib()
        .interpreter();
    interpreter.enter(|vm| run_in(vm, request, method_of, wall));
}

const SETUP: &str = r#"
import sys
import _io

if not hasattr(_io, 'FileIO'):
    # `io` imports FileIO by name, and dataclasses, inspect and tokenize import `io`: a class that refuses to
    # open anything lets them load while files stay out of reach.
    class FileIO(_io._RawIOBase):
        """Files are not available in the sandbox."""
        def __init__(self, *args, **kwargs):
            raise PermissionError(1, 'files are not available in the sandbox')
    FileIO.__module__ = '_io'
    _io.FileIO = FileIO

class _Output:
    """sys.stdout and sys.stderr in the sandbox: text goes to the run's capped capture."""
    encoding = 'utf-8'
    errors = 'strict'
    newlines = None
    closed = False
    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('write() argument must be str, not ' + type(s).__name__)
        _prepai_write(s)
        return len(s)
    def writelines(self, lines):
        for line in lines:
            self.write(line)
    def flush(self):
        pass
    def isatty(self):
        return False
    def writable(self):
        return True
    def readable(self):
        return False
    def fileno(self):
        raise OSError('the sandbox has no file descriptors')

sys.stdout = sys.stderr = sys.__stdout__ = sys.__stderr__ = _Output()
sys.stdin = sys.__stdin__ = None

def _capped_recursionlimit(limit, _set=sys.setrecursionlimit):
    """The sandbox caps recursion so deep calls raise RecursionError instead of overflowing the stack."""
    _set(min(int(limit), _prepai_max_depth))
sys.setrecursionlimit = _capped_recursionlimit
sys.setrecursionlimit(1000)

import types as _types
os = _types.ModuleType('os', 'A stand-in for os: the sandbox has no files, processes, environment or network.')
sys.modules['os'] = os
# importlib's path machinery imports the platform module by its own name.
sys.modules['posix'] = os
exec(_prepai_os_source, os.__dict__)
try:
    import posixpath as _posixpath
    os.path = _posixpath
    sys.modules['os.path'] = _posixpath
except Exception:
    pass
"#;

const OS_SOURCE: &str = r#"
import abc as _abc
name = 'posix'
sep = '/'
altsep = None
extsep = '.'
pathsep = ':'
curdir = '.'
pardir = '..'
defpath = '/bin:/usr/bin'
linesep = '\n'
devnull = '/dev/null'
SEEK_SET, SEEK_CUR, SEEK_END = 0, 1, 2
O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND = 0, 1, 2, 64, 128, 512, 1024
F_OK, R_OK, W_OK, X_OK = 0, 4, 2, 1
environ = {}
error = OSError
supports_bytes_environ = False

def getenv(key, default=None):
    return default

def urandom(size):
    return _prepai_urandom(size)

def cpu_count():
    return 1

def register_at_fork(*, before=None, after_in_child=None, after_in_parent=None):
    return None

def fspath(path):
    if isinstance(path, (str, bytes)):
        return path
    kind = type(path)
    try:
        method = kind.__fspath__
    except AttributeError:
        raise TypeError('expected str, bytes or os.PathLike object, not ' + kind.__name__) from None
    result = method(path)
    if isinstance(result, (str, bytes)):
        return result
    raise TypeError('__fspath__() must return str or bytes, not ' + type(result).__name__)

def fsencode(filename):
    filename = fspath(filename)
    return filename.encode() if isinstance(filename, str) else filename

def fsdecode(filename):
    filename = fspath(filename)
    return filename.decode() if isinstance(filename, bytes) else filename

class PathLike(_abc.ABC):
    @_abc.abstractmethod
    def __fspath__(self):
        raise NotImplementedError

    @classmethod
    def __subclasshook__(cls, subclass):
        if cls is PathLike:
            return hasattr(subclass, '__fspath__')
        return NotImplemented

def _refused(name):
    def refused(*args, **kwargs):
        raise PermissionError(1, 'os.' + name + ' is not available in the sandbox')
    refused.__name__ = name
    return refused

for _name in ('system', 'popen', 'fork', 'forkpty', 'execv', 'execve', 'execvp', 'execvpe', 'execl', 'execlp',
              'spawnv', 'spawnl', 'posix_spawn', 'kill', 'killpg', 'abort', '_exit', 'open', 'read', 'write',
              'close', 'dup', 'dup2', 'pipe', 'remove', 'unlink', 'rmdir', 'mkdir', 'makedirs', 'rename',
              'replace', 'listdir', 'scandir', 'walk', 'stat', 'lstat', 'chdir', 'getcwd', 'chmod', 'chown',
              'link', 'symlink', 'readlink', 'putenv', 'unsetenv', 'getlogin', 'uname', 'times', 'truncate',
              'utime', 'access', 'getpid', 'getppid', 'getuid', 'geteuid', 'nice', 'setsid'):
    globals()[_name] = _refused(_name)
del _name
"#;

fn run_in(vm: &VirtualMachine, request: &WorkerRequest, method_of: Option<&str>, wall: LastWall) {
    if let Err(exc) = set_up(vm) {
        let error = exception_error(vm, &exc);
        send(FrameBody::LoadError {
            error: TestError::new(
                "SandboxError",
                format!("the Python sandbox failed to start: {}", error.message),
                None,
            ),
        });
        return;
    }
    wall.raise();
    let function = match super::guarded(|| load(vm, request, method_of)).and_then(|loaded| loaded) {
        Ok(function) => function,
        Err(error) => {
            send(FrameBody::LoadError { error });
            return;
        }
    };
    let (positional, varargs) = arity(vm, &function);
    for (index, test) in request.tests.iter().enumerate() {
        send(FrameBody::Started { test: index });
        let args: Vec<PyObjectRef> = match &test.args {
            Some(args) => args.iter().map(|a| to_py(vm, a)).collect(),
            None => match (&test.input, positional, varargs) {
                (input, 1, false) => vec![to_py(vm, input)],
                (Value::Array(items), n, varargs) if n > 1 || varargs => {
                    items.iter().map(|a| to_py(vm, a)).collect()
                }
                (_, 0, false) => Vec::new(),
                (input, _, _) => vec![to_py(vm, input)],
            },
        };
        let started = Instant::now();
        let outcome = super::guarded(|| function.call(FuncArgs::from(args), vm));
        let seconds = started.elapsed().as_secs_f64();
        let (actual, error) = match outcome {
            Err(panic) => (None, Some(panic)),
            Ok(Ok(value)) => {
                let mut budget = Budget::new(request.result_limit_bytes);
                match from_py(vm, &value, 0, &mut budget) {
                    Ok(json) => (Some(json), None),
                    Err(ConvertError::TooLarge) => convert::result_too_large(request),
                    Err(e) => (None, Some(TestError::new("TypeError", e.to_string(), None))),
                }
            }
            Ok(Err(exc)) => {
                stop_if_out_of_memory(vm, &exc);
                (None, Some(exception_error(vm, &exc)))
            }
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

/// Installs the capture, the recursion cap and the stand-in `os`.
fn set_up(vm: &VirtualMachine) -> PyResult<()> {
    let scope = vm.new_scope_with_builtins();
    let write = vm.new_function("_prepai_write", |text: PyStrRef| {
        capture::write(&text.to_string_lossy());
    });
    let urandom = vm.new_function(
        "urandom",
        |size: isize, vm: &VirtualMachine| -> PyResult<PyObjectRef> {
            let size = usize::try_from(size)
                .map_err(|_| vm.new_value_error("negative argument not allowed"))?;
            let mut bytes = vec![0_u8; size];
            getrandom_fill(&mut bytes)
                .map_err(|e| vm.new_os_error(format!("no randomness available: {e}")))?;
            Ok(vm.ctx.new_bytes(bytes).into())
        },
    );
    let globals = &scope.globals;
    globals.set_item("_prepai_write", write.into(), vm)?;
    globals.set_item("_prepai_urandom", urandom.into(), vm)?;
    globals.set_item(
        "_prepai_max_depth",
        vm.ctx.new_int(MAX_RECURSION_DEPTH).into(),
        vm,
    )?;
    globals.set_item("_prepai_os_source", vm.ctx.new_str(OS_SOURCE).into(), vm)?;
    let code = vm
        .compile(SETUP, Mode::Exec, "<sandbox>".to_owned())
        .map_err(|e| vm.new_runtime_error(format!("sandbox setup does not compile: {e}")))?;
    vm.run_code_obj(code, scope)?;
    Ok(())
}

/// Fills `bytes` from the kernel's random source (a system call, so no file descriptor is needed).
fn getrandom_fill(bytes: &mut [u8]) -> std::io::Result<()> {
    let mut filled = 0;
    while filled < bytes.len() {
        // SAFETY: the pointer and length describe the unfilled tail of `bytes`, which getrandom writes into.
        let n = unsafe {
            libc::getrandom(bytes[filled..].as_mut_ptr().cast(), bytes.len() - filled, 0)
        };
        if n < 0 {
            let error = std::io::Error::last_os_error();
            if error.kind() != std::io::ErrorKind::Interrupted {
                return Err(error);
            }
        } else {
            filled += n.unsigned_abs();
        }
    }
    Ok(())
}

/// Runs the module's top level and finds the function (or the method of one instance of `method_of`).
fn load(
    vm: &VirtualMachine,
    request: &WorkerRequest,
    method_of: Option<&str>,
) -> Result<PyObjectRef, TestError> {
    let code = vm
        .compile(&request.code, Mode::Exec, SOURCE_PATH.to_owned())
        .map_err(|e| {
            let (line, _) = e.python_location();
            TestError::new("SyntaxError", e.to_string(), u32::try_from(line).ok())
        })?;
    let scope = vm.new_scope_with_builtins();
    let setup = |vm: &VirtualMachine| -> PyResult<()> {
        scope
            .globals
            .set_item("__name__", vm.ctx.new_str("solution").into(), vm)?;
        let module = vm.new_module("solution", scope.globals.clone(), None);
        vm.sys_module
            .get_attr("modules", vm)?
            .set_item("solution", module.into(), vm)?;
        Ok(())
    };
    setup(vm).map_err(|exc| exception_error(vm, &exc))?;
    if let Err(exc) = vm.run_code_obj(code, scope.clone()) {
        stop_if_out_of_memory(vm, &exc);
        return Err(exception_error(vm, &exc));
    }
    let name = request.function_name.as_str();
    let global = |name: &str| {
        scope
            .globals
            .get_item_opt(name, vm)
            .map_err(|exc| exception_error(vm, &exc))?
            .ok_or_else(|| {
                TestError::new("NameError", format!("name '{name}' is not defined"), None)
            })
    };
    let function = match method_of {
        None => global(name)?,
        Some(class) => {
            let instance = global(class)?
                .call((), vm)
                .map_err(|exc| exception_error(vm, &exc))?;
            instance
                .get_attr(&vm.ctx.new_str(name), vm)
                .map_err(|exc| exception_error(vm, &exc))?
        }
    };
    if !function.is_callable() {
        return Err(TestError::new(
            "TypeError",
            format!("'{name}' is a {}, not a function", function.class().name()),
            None,
        ));
    }
    Ok(function)
}

/// Positional parameters (without `self` for a bound method) and whether the function takes `*args`. Callables
/// that are not Python functions count as taking one argument.
fn arity(vm: &VirtualMachine, function: &PyObjectRef) -> (usize, bool) {
    let (target, bound) = match function.get_attr("__func__", vm) {
        Ok(inner) => (inner, 1),
        Err(_) => (function.clone(), 0),
    };
    let int_attr = |obj: &PyObjectRef, name: &'static str| -> Option<i64> {
        obj.get_attr(name, vm)
            .ok()?
            .downcast_ref::<PyInt>()
            .and_then(|i| i.as_bigint().to_i64())
    };
    let Some(code) = target.get_attr("__code__", vm).ok() else {
        return (1, false);
    };
    let count = int_attr(&code, "co_argcount").unwrap_or(1);
    let flags = int_attr(&code, "co_flags").unwrap_or(0);
    let positional = usize::try_from(count).unwrap_or(1).saturating_sub(bound);
    (positional, flags & 0x04 != 0)
}

/// A `MemoryError` means the heap hit the address-space limit: the run ends with that verdict.
fn stop_if_out_of_memory(vm: &VirtualMachine, exc: &PyBaseExceptionRef) {
    if exc.fast_isinstance(vm.ctx.exceptions.memory_error) {
        super::stop_with_limit(
            Verdict::MemoryLimitExceeded,
            TestError::new("MemoryError", "the code ran out of memory", None),
        );
    }
}

/// The exception's class, message and the deepest line of the candidate's code in its traceback.
fn exception_error(vm: &VirtualMachine, exc: &PyBaseExceptionRef) -> TestError {
    let kind = exc.class().name().to_string();
    let message = exc
        .as_object()
        .str(vm)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "<exception message unavailable>".to_owned());
    let mut line = None;
    let mut tb = exc.as_object().get_attr("__traceback__", vm).ok();
    while let Some(frame) = tb.filter(|t| !vm.is_none(t)) {
        let in_candidate = frame
            .get_attr("tb_frame", vm)
            .and_then(|f| f.get_attr("f_code", vm))
            .and_then(|c| c.get_attr("co_filename", vm))
            .ok()
            .and_then(|name| {
                name.downcast_ref::<PyStr>()
                    .map(|s| s.to_string_lossy() == SOURCE_PATH)
            })
            .unwrap_or(false);
        if in_candidate {
            line = frame
                .get_attr("tb_lineno", vm)
                .ok()
                .and_then(|n| {
                    n.downcast_ref::<PyInt>()
                        .and_then(|i| i.as_bigint().to_u32())
                })
                .or(line);
        }
        tb = frame.get_attr("tb_next", vm).ok();
    }
    if line.is_none() && kind == "SyntaxError" {
        line = exc.as_object().get_attr("lineno", vm).ok().and_then(|n| {
            n.downcast_ref::<PyInt>()
                .and_then(|i| i.as_bigint().to_u32())
        });
    }
    TestError::new(kind, message, line)
}

/// JSON into fresh Python objects (lists, dicts, ints, floats, strings, bools, None).
fn to_py(vm: &VirtualMachine, value: &Value) -> PyObjectRef {
    match value {
        Value::Null => vm.ctx.none(),
        Value::Bool(b) => vm.ctx.new_bool(*b).into(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                vm.ctx.new_int(i).into()
            } else if let Some(u) = n.as_u64() {
                vm.ctx.new_int(u).into()
            } else {
                vm.ctx.new_float(n.as_f64().unwrap_or(f64::NAN)).into()
            }
        }
        Value::String(s) => vm.ctx.new_str(s.as_str()).into(),
        Value::Array(items) => vm
            .ctx
            .new_list(items.iter().map(|v| to_py(vm, v)).collect())
            .into(),
        Value::Object(fields) => {
            let dict = vm.ctx.new_dict();
            for (key, v) in fields {
                // Setting a str key on a fresh dict cannot fail.
                let _ = dict.set_item(key.as_str(), to_py(vm, v), vm);
            }
            dict.into()
        }
    }
}

/// A Python value as JSON, read from the objects' storage (never through their methods, so an overridden
/// `__eq__`, `__iter__` or `__str__` has no say): tuples and sets become arrays (sets sorted), dicts objects.
fn from_py(
    vm: &VirtualMachine,
    obj: &PyObjectRef,
    depth: usize,
    budget: &mut Budget,
) -> Result<Value, ConvertError> {
    budget.enter(depth)?;
    if vm.is_none(obj) {
        return Ok(Value::Null);
    }
    if obj.class().is(vm.ctx.types.bool_type) {
        return Ok(Value::Bool(obj.is(&vm.ctx.true_value)));
    }
    if let Some(int) = obj.downcast_ref::<PyInt>() {
        return Ok(convert::int_to_json(int.as_bigint()));
    }
    if let Some(float) = obj.downcast_ref::<PyFloat>() {
        return Ok(Number::from_f64(float.to_f64()).map_or(Value::Null, Value::Number));
    }
    if let Some(text) = obj.downcast_ref::<PyStr>() {
        let text = text.to_string_lossy().into_owned();
        budget.spend(text.len())?;
        return Ok(Value::String(text));
    }
    if let Some(list) = obj.downcast_ref::<PyList>() {
        let items: Vec<PyObjectRef> = list.borrow_vec().to_vec();
        return items
            .iter()
            .map(|item| from_py(vm, item, depth + 1, budget))
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    if let Some(tuple) = obj.downcast_ref::<PyTuple>() {
        return tuple
            .as_slice()
            .iter()
            .map(|item| from_py(vm, item, depth + 1, budget))
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    if let Some(dict) = obj.downcast_ref::<PyDict>() {
        let mut fields = Map::new();
        for (key, value) in dict.items_vec() {
            let key = dict_key(vm, &key)?;
            budget.spend(key.len())?;
            fields.insert(key, from_py(vm, &value, depth + 1, budget)?);
        }
        return Ok(Value::Object(fields));
    }
    let set_items = obj
        .downcast_ref::<PySet>()
        .map(|s| s.elements())
        .or_else(|| obj.downcast_ref::<PyFrozenSet>().map(|s| s.elements()));
    if let Some(items) = set_items {
        let mut values = items
            .iter()
            .map(|item| from_py(vm, item, depth + 1, budget))
            .collect::<Result<Vec<_>, _>>()?;
        values.sort_by(convert::canonical_order);
        return Ok(Value::Array(values));
    }
    Err(ConvertError::Unsupported(format!(
        "the function returned a {}, which has no JSON form; return lists, tuples, dicts, sets, numbers, \
         strings, booleans or None",
        obj.class().name()
    )))
}

/// Dict keys as `json.dumps` writes them.
fn dict_key(vm: &VirtualMachine, key: &PyObjectRef) -> Result<String, ConvertError> {
    if let Some(text) = key.downcast_ref::<PyStr>() {
        return Ok(text.to_string_lossy().into_owned());
    }
    if vm.is_none(key) {
        return Ok("null".to_owned());
    }
    if key.class().is(vm.ctx.types.bool_type) {
        return Ok(if key.is(&vm.ctx.true_value) {
            "true"
        } else {
            "false"
        }
        .to_owned());
    }
    if let Some(int) = key.downcast_ref::<PyInt>() {
        return Ok(int.as_bigint().to_string());
    }
    if let Some(float) = key.downcast_ref::<PyFloat>() {
        return Ok(convert::float_key(float.to_f64()));
    }
    Err(ConvertError::Unsupported(format!(
        "a dict key of type {} has no JSON form; use str, int, float, bool or None keys",
        key.class().name()
    )))
}
