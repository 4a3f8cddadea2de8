//! Replays the committed fuzz corpus (fuzz/corpus/<target>/*) and past crashes
//! (fuzz/regressions/<target>/*) through the same checks the
//! libFuzzer targets run, on stable Rust, as part of `cargo test`. `npm run fuzz` grows the
//! corpus; this keeps every input it ever found interesting passing.
#![cfg(all(feature = "server", not(target_arch = "wasm32")))]

#[path = "../fuzz/checks.rs"]
mod checks;

use std::fs;
use std::path::{Path, PathBuf};

#[test]
fn replays_every_corpus_file_through_its_check() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    for (name, check) in checks::TARGETS {
        let corpus = files(&fuzz.join("corpus").join(name));
        assert!(corpus.len() >= 3, "{name}: the corpus should have inputs, found {}", corpus.len());
        // Inputs that once crashed a target (see the README's fuzzing record).
        let regressions = files(&fuzz.join("regressions").join(name));
        for file in corpus.into_iter().chain(regressions) {
            let Ok(data) = fs::read(&file) else { continue };
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{name}: {} fails its check", file.display());
        }
    }
}

/// The files in `dir` (none if it does not exist). Entries that vanish while reading are skipped:
/// `npm run fuzz` may be rewriting the corpus.
fn files(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir).map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default()
}
