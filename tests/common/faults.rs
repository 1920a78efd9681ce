//! A fault-injecting HTTP/1.1 server on 127.0.0.1 written on raw sockets, so that it can do what a
//! well-behaved server never does: hang, drip, cut a body short, loop redirects. Each path answers
//! with a list of responses, one per request, the last one repeating. Every request is logged.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Debug)]
pub enum Reply {
    /// 200 with a content type, a body and extra headers.
    Ok { content_type: String, body: Vec<u8>, headers: Vec<(String, String)> },
    /// A bare status with headers (redirects, 429, 500).
    Status { code: u16, headers: Vec<(String, String)> },
    /// Accepts the request and never answers.
    Hang,
    /// Sends the body in `chunks` pieces, `every` apart.
    Drip { content_type: String, body: Vec<u8>, chunks: usize, every: Duration },
    /// Declares a longer body than it sends, then closes.
    Truncated { content_type: String, body: Vec<u8> },
    /// 304 when the request carries `If-None-Match: etag`, else 200 with the ETag.
    Conditional { etag: String, content_type: String, body: Vec<u8> },
}

impl Reply {
    pub fn html(body: impl Into<Vec<u8>>) -> Reply {
        Reply::Ok { content_type: "text/html; charset=utf-8".into(), body: body.into(), headers: vec![] }
    }
    pub fn with_type(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Ok { content_type: content_type.into(), body: body.into(), headers: vec![] }
    }
    pub fn status(code: u16) -> Reply {
        Reply::Status { code, headers: vec![] }
    }
    /// 302 to `location`.
    pub fn redirect(location: &str) -> Reply {
        Reply::Status { code: 302, headers: vec![("Location".into(), location.into())] }
    }
}

/// A logged request: path, its `If-None-Match`, when it came.
#[derive(Clone, Debug)]
pub struct Hit {
    pub path: String,
    pub if_none_match: Option<String>,
    pub at: Instant,
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Vec<Reply>>,
    counts: HashMap<String, usize>,
    log: Vec<Hit>,
}

#[derive(Clone)]
pub struct FaultServer {
    pub base: String,
    state: Arc<Mutex<State>>,
}

impl FaultServer {
    pub async fn start() -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let s = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(handle(stream, s.clone()));
            }
        });
        FaultServer { base, state }
    }

    /// Sets the replies of `path`, one per request, the last repeating.
    pub fn route(&self, path: &str, replies: Vec<Reply>) {
        self.state.lock().unwrap().routes.insert(path.to_owned(), replies);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn hits(&self, path: &str) -> Vec<Hit> {
        self.state.lock().unwrap().log.iter().filter(|h| h.path == path).cloned().collect()
    }

    /// Every request so far, in the order they came.
    pub fn log(&self) -> Vec<Hit> {
        self.state.lock().unwrap().log.clone()
    }

    /// An RSS feed linking to `paths`.
    pub fn feed(&self, paths: &[&str]) -> Reply {
        let items: String =
            paths.iter().map(|p| format!("<item><title>{p}</title><link>{}</link></item>", self.url(p))).collect();
        Reply::with_type(
            "application/rss+xml",
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><link>{}</link>{items}</channel></rss>",
                self.base
            ),
        )
    }
}

/// A plausible article page around `text`.
pub fn article(title: &str, text: &str) -> String {
    let paragraphs: String = text.split("\n\n").map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\
         <nav><a href=\"/\">Startseite</a> <a href=\"/presse\">Presse</a></nav>\
         <article><h1>{title}</h1>{paragraphs}</article><footer>Impressum · Datenschutz</footer></body></html>"
    )
}

async fn handle(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let full = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let path = full.split('?').next().unwrap_or("/").to_owned();
    let if_none_match = head.lines().find_map(|l| {
        l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("if-none-match")).map(|(_, v)| v.trim().to_owned())
    });
    let reply = {
        let mut st = state.lock().unwrap();
        st.log.push(Hit { path: path.clone(), if_none_match: if_none_match.clone(), at: Instant::now() });
        // a route with its query string wins over the bare path
        let key = if st.routes.contains_key(&full) { full.clone() } else { path.clone() };
        let n = st.counts.entry(key.clone()).or_default();
        let i = *n;
        *n += 1;
        st.routes.get(&key).map(|r| r[i.min(r.len() - 1)].clone())
    };
    let write = |code: u16, headers: &[(String, String)], ct: Option<&str>, len: Option<usize>| {
        let reason = match code {
            200 => "OK",
            301 | 302 => "Found",
            304 => "Not Modified",
            404 => "Not Found",
            429 => "Too Many Requests",
            _ => "Status",
        };
        let mut h = format!("HTTP/1.1 {code} {reason}\r\nConnection: close\r\n");
        if let Some(ct) = ct {
            h.push_str(&format!("Content-Type: {ct}\r\n"));
        }
        if let Some(len) = len {
            h.push_str(&format!("Content-Length: {len}\r\n"));
        }
        for (k, v) in headers {
            h.push_str(&format!("{k}: {v}\r\n"));
        }
        h.push_str("\r\n");
        h.into_bytes()
    };
    match reply {
        None => {
            let _ = stream.write_all(&write(404, &[], None, Some(0))).await;
        }
        Some(Reply::Ok { content_type, body, headers }) => {
            let _ = stream.write_all(&write(200, &headers, Some(&content_type), Some(body.len()))).await;
            let _ = stream.write_all(&body).await;
        }
        Some(Reply::Status { code, headers }) => {
            let _ = stream.write_all(&write(code, &headers, None, Some(0))).await;
        }
        Some(Reply::Hang) => {
            tokio::time::sleep(Duration::from_secs(600)).await;
        }
        Some(Reply::Drip { content_type, body, chunks, every }) => {
            let _ = stream.write_all(&write(200, &[], Some(&content_type), Some(body.len()))).await;
            for piece in body.chunks(body.len().div_ceil(chunks.max(1))) {
                tokio::time::sleep(every).await;
                if stream.write_all(piece).await.is_err() {
                    return;
                }
                let _ = stream.flush().await;
            }
        }
        Some(Reply::Truncated { content_type, body }) => {
            let _ = stream.write_all(&write(200, &[], Some(&content_type), Some(body.len() * 2))).await;
            let _ = stream.write_all(&body).await;
        }
        Some(Reply::Conditional { etag, content_type, body }) => {
            if if_none_match.as_deref() == Some(etag.as_str()) {
                let _ = stream.write_all(&write(304, &[("ETag".into(), etag)], None, None)).await;
            } else {
                let _ = stream
                    .write_all(&write(200, &[("ETag".into(), etag)], Some(&content_type), Some(body.len())))
                    .await;
                let _ = stream.write_all(&body).await;
            }
        }
    }
    let _ = stream.shutdown().await;
}
