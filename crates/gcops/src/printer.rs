//! Progress on a terminal (a bar per kind), plain lines otherwise. Everything goes to stderr so
//! stdout stays clean for `--json`.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::Mutex;

use gcops_engine::Progress;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

pub struct KindProgress {
    bars: Option<(MultiProgress, Mutex<BTreeMap<String, ProgressBar>>)>,
    quiet: bool,
}

impl KindProgress {
    pub fn new(quiet: bool) -> Self {
        let bars = (!quiet && std::io::stderr().is_terminal())
            .then(|| (MultiProgress::new(), Mutex::new(BTreeMap::new())));
        KindProgress { bars, quiet }
    }

    fn bar(&self, kind: &str, total: Option<u64>) -> Option<ProgressBar> {
        let (multi, bars) = self.bars.as_ref()?;
        let mut bars = bars.lock().expect("progress lock");
        let bar = bars.entry(kind.to_string()).or_insert_with(|| {
            let b = multi.add(ProgressBar::new_spinner());
            b.set_prefix(kind.to_string());
            b
        });
        if let Some(t) = total {
            bar.set_length(t);
            bar.set_position(0);
            bar.set_style(
                ProgressStyle::with_template("{prefix:>36} [{bar:30}] {pos}/{len} {msg}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
        } else {
            bar.set_style(
                ProgressStyle::with_template("{prefix:>36} {spinner} {msg}")
                    .expect("valid template"),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
        }
        Some(bar.clone())
    }
}

impl Progress for KindProgress {
    fn start(&self, kind: &str, total: Option<u64>) {
        if let Some(b) = self.bar(kind, total) {
            b.set_message(if total.is_some() {
                "sub-resources"
            } else {
                "listing"
            });
        }
    }
    fn advance(&self, kind: &str, by: u64) {
        if let Some((_, bars)) = &self.bars
            && let Some(b) = bars.lock().expect("progress lock").get(kind)
        {
            b.inc(by);
        }
    }
    fn finish(&self, kind: &str, objects: usize, error: Option<&str>) {
        let line = match error {
            None => format!("{kind}: {objects} objects"),
            Some(e) => format!("{kind}: FAILED: {e}"),
        };
        match &self.bars {
            Some((_, bars)) => {
                if let Some(b) = bars.lock().expect("progress lock").get(kind) {
                    b.finish_with_message(match error {
                        None => format!("{objects} objects"),
                        Some(_) => "failed".to_string(),
                    });
                }
            }
            None if !self.quiet => eprintln!("{line}"),
            None => {}
        }
    }
}
