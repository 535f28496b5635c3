//! Extraction + analysis of a resume, the work one upload does between receiving the bytes and saving the
//! analysis. Target: ≤ 50 ms for a 2-page PDF. Run with `cargo bench -p prepai-shared --bench cv_extract`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use prepai::extract::{LocalExtractor, sniff};
use prepai::tools::cv_analyzer::{Options, analyze};

const RUNS: usize = 60;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/cv")
            .join(name),
    )
    .expect("fixture")
}

/// Median, 95th percentile and maximum of `runs` timings of `f`, after one warm-up call.
fn measure(mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    f();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    times.sort();
    (times[RUNS / 2], times[RUNS * 95 / 100], times[RUNS - 1])
}

fn main() {
    let extractor = LocalExtractor::default();
    let options = Options {
        today: NaiveDate::from_ymd_opt(2026, 6, 15).expect("date"),
        extract_skills: true,
        interview_type: Some(prepai::domain::InterviewType::GoogleSde),
    };
    println!(
        "{:<45} {:>10} {:>10} {:>10}",
        "resume (extraction + analysis)", "median", "p95", "max"
    );
    let mut two_page_median = Duration::ZERO;
    for name in [
        "17-mateus-oliveira-two-page.pdf",
        "03-priya-raghunathan-multipage.pdf",
        "02-jose-mueller-garcia-two-column.pdf",
        "07-zoe-van-der-merwe-header-textbox.docx",
        "10-lukasz-wisniewski-utf16le.txt",
    ] {
        let bytes = fixture(name);
        let (median, p95, max) = measure(|| {
            let kind = sniff(&bytes).expect("kind");
            let text = extractor.extract_blocking(&bytes, kind).expect("text");
            black_box(analyze(&text.text, &options).expect("analysis"));
        });
        if name.starts_with("17-") {
            two_page_median = median;
        }
        println!("{name:<45} {median:>10.2?} {p95:>10.2?} {max:>10.2?}");
    }
    let bytes = fixture("17-mateus-oliveira-two-page.pdf");
    let text = extractor
        .extract_blocking(&bytes, sniff(&bytes).expect("kind"))
        .expect("text");
    let (extract_only, _, _) = measure(|| {
        black_box(
            extractor
                .extract_blocking(&bytes, prepai::extract::DocumentKind::Pdf)
                .expect("text"),
        );
    });
    let (analysis_only, _, _) = measure(|| {
        black_box(analyze(&text.text, &options).expect("analysis"));
    });
    println!(
        "2-page PDF split: extraction {extract_only:.2?}, analysis {analysis_only:.2?} (median)"
    );
    println!(
        "target ≤ 50 ms for a 2-page PDF: {} ({two_page_median:.2?})",
        if two_page_median <= Duration::from_millis(50) {
            "met"
        } else {
            "MISSED"
        }
    );
}
