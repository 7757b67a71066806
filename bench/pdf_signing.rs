//! The certificate PDF's time: writing it (with its QR code) and signing it (PAdES B-B, ECDSA
//! P-256), per certificate, over 1,000 certificates. `bench/pdf-signing.sh` runs it.

use app::certificates::model::{CertificateView, HolderCertificate, Status};
use app::i18n::{Locale, Named};
use app::signing::Seal;
use std::time::Instant;

fn view(n: usize) -> CertificateView {
    CertificateView {
        certificate: HolderCertificate {
            id: format!("c{n}"),
            number: format!("FX-{n:05}"),
            technical_area: Named::new("F-Gaser", "F-gases"),
            scheme: Named::new("Personcertifikat f-gas kat I", ""),
            status: Status::Active,
            extend_by: Some("2027-12-15".into()),
            valid_until: "2029-05-13".into(),
        },
        holder: "Åsa Öberg".into(),
        person_id: "p".into(),
        issued_on: "2024-05-14".into(),
        latest_decision: "2024-05-14".into(),
        own: true,
        staff: false,
        can_extend: false,
        can_renew: false,
        not_now: None,
        last_attested_on: None,
        test_signature: false,
        published: false,
        reason: None,
        linkedin: None,
        events: Default::default(),
    }
}

fn main() {
    let seal = Seal::generated("Certportal");
    let n = 1_000;
    let (mut write, mut sign) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        let v = view(i);
        let t = Instant::now();
        let pdf = app::certificates::pdf::render(
            &v,
            Locale::Sv,
            "Certportal",
            &format!("https://certportal.example/verify/{}", v.certificate.number),
            chrono::Utc::now(),
        );
        write.push(t.elapsed());
        let t = Instant::now();
        let (signed, _) = seal.sign(pdf).expect("signed");
        sign.push(t.elapsed());
        assert!(signed.starts_with(b"%PDF"));
    }
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let report = |name: &str, mut v: Vec<std::time::Duration>| {
        v.sort();
        let mean = v.iter().map(|d| ms(*d)).sum::<f64>() / v.len() as f64;
        println!(
            "{name:<28} mean {mean:6.3} ms   p50 {:6.3} ms   p99 {:6.3} ms",
            ms(v[v.len() / 2]),
            ms(v[v.len() * 99 / 100])
        );
        mean
    };
    let w = report("write the PDF (with QR)", write);
    let s = report("sign it (PAdES B-B, P-256)", sign);
    println!(
        "per certificate              mean {:6.3} ms   (goal: under 20 ms)",
        w + s
    );
}
