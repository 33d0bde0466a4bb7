//! A deterministic generator of Heroku runtime log lines for the benches.
//!
//! No committed data and no `rand`: a 64-bit xorshift (`rng.rs`) drives
//! the choices, so the same seed gives the same lines on every machine.
//! Each line is a logplex frame as a Heroku HTTPS drain sends it,
//! matching the Heroku.Runtime pattern
//! `%{message_len} <%{priority}>%{version} %{timestamp} %{host_name}
//! %{app_name} %{process_id} %{message_id} %{message}`:
//!
//! ```text
//! 231 <158>1 2024-05-01T12:00:00.123456+00:00 host heroku router - at=info
//! ```
//!
//! `message_len` is the byte count of everything after `LEN SP`, plus the
//! newline that ends the frame (RFC 6587 octet counting), so a payload of
//! these lines joined with `\n` (and ending in one) splits into exactly
//! these lines.
//!
//! The mix is meant to look like one busy app: router lines (quoted path
//! and `fwd`, sometimes an `at=error` with `code` and `desc`), app lines
//! (access-log lines with a quoted request, referer and user agent, Rails
//! lines, JSON lines from workers), dyno state changes and
//! runtime-metrics samples. Lines average about 260 bytes.

use std::fmt::Write;

use crate::rng::{XorShift, civil_from_days, ipv4, uuid};

const HOSTS: &[&str] =
    &["api.example.com", "www.example.com", "shop-prod.herokuapp.com"];

const USER_AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 \
     (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) \
     AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 \
     Firefox/125.0",
    "okhttp/4.12.0",
    "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    "curl/8.5.0",
    "python-requests/2.31.0",
];

const REFERERS: &[&str] = &[
    "-",
    "https://www.example.com/",
    "https://www.example.com/products?category=shoes",
    "https://www.google.com/",
];

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
    "Nov", "Dec",
];

const JOBS: &[&str] = &[
    "SendWelcomeEmailJob",
    "SyncInventoryJob",
    "ChargeSubscriptionJob",
    "RebuildSearchIndexJob",
];

const ROUTER_ERRORS: &[(&str, &str, u64)] = &[
    ("H12", "Request timeout", 503),
    ("H13", "Connection closed without response", 503),
    ("H18", "Server Request Interrupted", 503),
    ("H27", "Client Request Interrupted", 499),
];

/// Appends a request path (with a query string now and then).
fn path(rng: &mut XorShift, out: &mut String) {
    match rng.below(10) {
        0 => out.push('/'),
        1 => out.push_str("/healthcheck"),
        2 => {
            let _ =
                write!(out, "/assets/application-{:016x}.css", rng.next_u64());
        }
        3 => {
            let _ = write!(
                out,
                "/api/v1/orders/{}/items?page={}&per_page=50",
                rng.range(10_000, 999_999),
                rng.range(1, 12)
            );
        }
        4 => out.push_str("/webhooks/stripe"),
        5 => {
            let q = rng.pick(&["red+shoes", "caf%C3%A9", "gift%20card"]);
            let _ = write!(out, "/search?q={q}&sort=relevance");
        }
        6 => out.push_str("/graphql"),
        _ => {
            let _ = write!(out, "/api/v1/users/{}", rng.range(1, 250_000));
        }
    }
}

/// Appends a dyno name like `web.3`.
fn dyno(rng: &mut XorShift, out: &mut String) {
    if rng.chance(75) {
        let _ = write!(out, "web.{}", rng.range(1, 4));
    } else {
        let _ = write!(out, "worker.{}", rng.range(1, 2));
    }
}

fn method(rng: &mut XorShift) -> &'static str {
    match rng.below(20) {
        0..=13 => "GET",
        14..=16 => "POST",
        17 => "PUT",
        18 => "PATCH",
        _ => "DELETE",
    }
}

fn status(rng: &mut XorShift) -> u64 {
    match rng.below(40) {
        0..=29 => 200,
        30 => 201,
        31 => 204,
        32 => 302,
        33 | 34 => 304,
        35 => 401,
        36 | 37 => 404,
        38 => 422,
        _ => 500,
    }
}

/// The state the generator keeps between lines: the random source and
/// the clock.
#[derive(Clone, Debug)]
struct Gen {
    rng: XorShift,
    /// Microseconds since 2024-05-01T00:00:00Z.
    micros: u64,
}

/// Days from 1970-01-01 to 2024-05-01.
const EPOCH_DAYS: i64 = 19_844;

impl Gen {
    /// Appends the current time as Heroku writes it:
    /// `2024-05-01T12:00:00.123456+00:00`.
    fn timestamp(&self, out: &mut String) {
        let secs = self.micros / 1_000_000;
        let (y, m, d) = civil_from_days(EPOCH_DAYS + (secs / 86_400) as i64);
        let s = secs % 86_400;
        let _ = write!(
            out,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}+00:00",
            s / 3600,
            s / 60 % 60,
            s % 60,
            self.micros % 1_000_000
        );
    }

    /// One line: the frame header and a message of a random kind.
    fn line(&mut self) -> String {
        // Lines arrive every ~60 ms on average, starting at noon.
        self.micros += self.rng.below(120_000);
        let mut msg = String::with_capacity(320);
        let kind = self.rng.below(100);
        let (priority, app) = match kind {
            0..=44 => (158, "heroku"),
            45..=79 => (190, "app"),
            _ => (45, "heroku"),
        };
        let _ = write!(msg, "<{priority}>1 ");
        self.timestamp(&mut msg);
        let _ = write!(msg, " host {app} ");
        match kind {
            0..=44 => {
                msg.push_str("router - ");
                self.router(&mut msg);
            }
            45..=79 => {
                let mut proc_name = String::new();
                dyno(&mut self.rng, &mut proc_name);
                let _ = write!(msg, "{proc_name} - ");
                if proc_name.starts_with("worker") {
                    self.worker(&mut msg);
                } else if self.rng.chance(60) {
                    self.access(&mut msg);
                } else {
                    self.rails(&mut msg);
                }
            }
            80..=84 => {
                let mut proc_name = String::new();
                dyno(&mut self.rng, &mut proc_name);
                let _ = write!(msg, "{proc_name} - ");
                self.state(&mut msg);
            }
            _ => {
                let mut proc_name = String::new();
                dyno(&mut self.rng, &mut proc_name);
                let _ = write!(msg, "{proc_name} - ");
                self.metrics(&proc_name, &mut msg);
            }
        }
        // The count includes the newline that ends the frame.
        format!("{} {msg}", msg.len() + 1)
    }

    /// A router line.
    fn router(&mut self, out: &mut String) {
        let rng = &mut self.rng;
        let error = rng.chance(4).then(|| {
            let i = rng.below(ROUTER_ERRORS.len() as u64) as usize;
            ROUTER_ERRORS[i]
        });
        match error {
            Some((code, desc, _)) => {
                let _ = write!(out, "at=error code={code} desc=\"{desc}\" ");
            }
            None => out.push_str("at=info "),
        }
        let _ = write!(out, "method={} path=\"", method(rng));
        path(rng, out);
        let _ = write!(out, "\" host={} request_id=", rng.pick(HOSTS));
        uuid(rng, out);
        out.push_str(" fwd=\"");
        ipv4(rng, out);
        if rng.chance(20) {
            out.push(',');
            ipv4(rng, out);
        }
        let _ = write!(out, "\" dyno=web.{} connect=", rng.range(1, 4));
        match error {
            Some((_, _, st)) => {
                let _ = write!(
                    out,
                    "{}ms service=30000ms status={st} bytes=0",
                    rng.below(3)
                );
            }
            None => {
                let st = status(rng);
                let bytes = if st == 204 || st == 304 {
                    0
                } else {
                    rng.range(120, 48_000)
                };
                let _ = write!(
                    out,
                    "{}ms service={}ms status={st} bytes={bytes}",
                    rng.below(3),
                    rng.range(2, 900)
                );
            }
        }
        out.push_str(" protocol=https");
    }

    /// An access-log line written by the app server, with a quoted
    /// request, referer and user agent.
    fn access(&mut self, out: &mut String) {
        let mut ts = String::new();
        self.timestamp(&mut ts);
        let rng = &mut self.rng;
        ipv4(rng, out);
        // `[01/May/2024:12:00:00 +0000]`, from the frame's timestamp.
        let month: usize = ts[5..7].parse().unwrap_or(1);
        let _ = write!(
            out,
            " - - [{}/{}/{}:{} +0000] \"{} ",
            &ts[8..10],
            MONTHS[(month + 11) % 12],
            &ts[..4],
            &ts[11..19],
            method(rng)
        );
        path(rng, out);
        let _ = write!(
            out,
            " HTTP/1.1\" {} {} \"{}\" \"{}\"",
            status(rng),
            rng.range(120, 48_000),
            rng.pick(REFERERS),
            rng.pick(USER_AGENTS)
        );
    }

    /// A Rails request log line.
    fn rails(&mut self, out: &mut String) {
        let mut ts = String::new();
        self.timestamp(&mut ts);
        let rng = &mut self.rng;
        let _ = write!(
            out,
            "I, [{} #{}]  INFO -- : [",
            &ts[..26],
            rng.range(2, 9)
        );
        uuid(rng, out);
        out.push_str("] ");
        if rng.chance(50) {
            let _ = write!(out, "Started {} \"", method(rng));
            path(rng, out);
            out.push_str("\" for ");
            ipv4(rng, out);
            let _ = write!(out, " at {} +0000", &ts[..19].replace('T', " "));
        } else {
            let _ = write!(
                out,
                "Completed {} OK in {}ms (Views: {}.{}ms | ActiveRecord: \
                 {}.{}ms | Allocations: {})",
                status(rng),
                rng.range(3, 900),
                rng.below(200),
                rng.below(10),
                rng.below(80),
                rng.below(10),
                rng.range(800, 90_000)
            );
        }
    }

    /// A JSON log line from a worker.
    fn worker(&mut self, out: &mut String) {
        let mut ts = String::new();
        self.timestamp(&mut ts);
        let rng = &mut self.rng;
        let job = rng.pick(JOBS);
        let _ = write!(
            out,
            "{{\"level\":\"info\",\"time\":\"{}Z\",\"msg\":\"job \
             finished\",\"job\":\"{job}\",\"queue\":\"{}\",\"jid\":\"",
            &ts[..26],
            rng.pick(&["default", "mailers", "critical"])
        );
        uuid(rng, out);
        let _ = write!(
            out,
            "\",\"duration_ms\":{},\"attempt\":{}}}",
            rng.range(4, 12_000),
            rng.range(1, 3)
        );
    }

    /// A dyno state line from Heroku.
    fn state(&mut self, out: &mut String) {
        let text = self.rng.pick(&[
            "State changed from starting to up",
            "State changed from up to down",
            "Starting process with command `bundle exec puma -C \
             config/puma.rb`",
            "Stopping all processes with SIGTERM",
            "Process exited with status 143",
            "Cycling",
            "Restarting",
            "Error R14 (Memory quota exceeded)",
        ]);
        out.push_str(text);
    }

    /// A runtime-metrics sample (memory or load).
    fn metrics(&mut self, proc_name: &str, out: &mut String) {
        let rng = &mut self.rng;
        let _ = write!(
            out,
            "source={proc_name} dyno=heroku.{}.",
            rng.range(100_000_000, 999_999_999)
        );
        uuid(rng, out);
        if rng.chance(50) {
            let total = rng.range(120, 510);
            let _ = write!(
                out,
                " sample#memory_total={total}.{:02}MB \
                 sample#memory_rss={}.{:02}MB sample#memory_cache=\
                 {}.{:02}MB sample#memory_swap=0.00MB \
                 sample#memory_pgpgin={}pages \
                 sample#memory_pgpgout={}pages \
                 sample#memory_quota=512.00MB",
                rng.below(100),
                total - rng.below(20),
                rng.below(100),
                rng.below(20),
                rng.below(100),
                rng.range(100_000, 900_000),
                rng.range(100_000, 900_000)
            );
        } else {
            let _ = write!(
                out,
                " sample#load_avg_1m={}.{:02} sample#load_avg_5m={}.{:02} \
                 sample#load_avg_15m={}.{:02}",
                rng.below(4),
                rng.below(100),
                rng.below(3),
                rng.below(100),
                rng.below(2),
                rng.below(100)
            );
        }
    }
}

/// `n` Heroku runtime log lines (without line endings), the same for the
/// same `seed`.
pub fn lines(n: usize, seed: u64) -> Vec<String> {
    let mut g =
        Gen { rng: XorShift::new(seed), micros: 12 * 3600 * 1_000_000 };
    (0..n).map(|_| g.line()).collect()
}

/// The lines as one logplex body: each frame followed by `\n`.
pub fn payload(lines: &[String]) -> Vec<u8> {
    let mut p = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in lines {
        p.extend_from_slice(line.as_bytes());
        p.push(b'\n');
    }
    p
}
