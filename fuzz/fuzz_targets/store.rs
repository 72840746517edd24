//! Arbitrary bytes read as a store (#17): as they are, and sealed in a valid envelope so
//! that the sections' contents get past the checksums. No panic, no hang, no abort (no
//! allocation sized from an unchecked length), whatever the bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gazetteer::store::fuzz_one(data);
});
