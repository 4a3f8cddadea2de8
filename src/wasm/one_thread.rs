//! `static`s the wasm layer keeps between calls (the registered error class, `decodeToken`'s
//! scratch memory).

/// A value in a plain `static` rather than `thread_local!` (std only, and its lazy-init machinery
/// costs bytes): wasm32 without the `atomics` feature runs one thread, so such a `static` is only
/// ever touched by that thread.
pub struct OneThread<T>(pub T);

#[cfg(target_feature = "atomics")]
compile_error!("OneThread assumes a single thread: a threaded wasm build needs thread-locals instead");

// SAFETY: without `atomics`, wasm32 has no threads, so no value here is ever shared between
// threads (the compile_error above refuses a build where that could change).
unsafe impl<T> Sync for OneThread<T> {}
