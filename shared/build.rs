//! Hashes the migrations and the reference data into `GOVGRAPH_SCHEMA_HASH`, which names the
//! migrated template database of the test harness: a changed migration makes a new template.
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

fn hash_dir(dir: &Path, h: &mut DefaultHasher) {
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            hash_dir(&path, h);
        } else if let Ok(bytes) = std::fs::read(&path) {
            path.file_name().hash(h);
            bytes.hash(h);
        }
    }
}

fn main() {
    let mut h = DefaultHasher::new();
    for dir in ["../migrations", "data"] {
        println!("cargo:rerun-if-changed={dir}");
        hash_dir(Path::new(dir), &mut h);
    }
    println!("cargo:rustc-env=GOVGRAPH_SCHEMA_HASH={:016x}", h.finish());
}
