//! Replays the committed fuzz corpus (fuzz/corpus/<target>/*) through the same checks the
//! libFuzzer targets run, on stable Rust, as part of `cargo test`. `npm run fuzz` grows the
//! corpus; this keeps every input it ever found interesting passing.
#![cfg(all(feature = "server", not(target_arch = "wasm32")))]

#[path = "../fuzz/checks.rs"]
mod checks;

use std::fs;
use std::path::Path;

#[test]
fn replays_every_corpus_file_through_its_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join("corpus");
    for (name, check) in checks::TARGETS {
        let dir = root.join(name);
        // Entries that vanish while reading are skipped: `npm run fuzz` may be rewriting the corpus.
        let files: Vec<_> = fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).filter_map(Result::ok).map(|e| e.path()).collect();
        assert!(files.len() >= 3, "{name}: the corpus should have seeds, found {}", files.len());
        for file in files {
            let Ok(data) = fs::read(&file) else { continue };
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{name}: {} fails its check", file.display());
        }
    }
}
