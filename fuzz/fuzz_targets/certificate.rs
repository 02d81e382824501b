#![no_main]
//! Certificates, CRLs and signatures from untrusted bytes: loading, describing, verifying.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut store = cccd::trust::TrustStore::new();
    let _ = store.load_bytes(data, "fuzz");
    let _ = store.certificates();
    if let Some((spki, rest)) = data
        .split_first()
        .map(|(n, rest)| rest.split_at((*n as usize).min(rest.len())))
    {
        let _ = cccd::auth::signature::verify_signature_der(spki, rest, b"message", rest);
    }
});
