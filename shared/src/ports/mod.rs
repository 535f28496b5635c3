//! Ports: the small traits every outside service sits behind. Adapters live in `crate::adapters`.

mod clock;
mod code_runner;
mod object_store;

pub use clock::{Clock, SystemClock};
pub use code_runner::{CodeRunner, CodeRunnerError, NoCodeRunner};
pub use object_store::{ETag, ObjectStore, Precondition, StoreError, StoredObject};
