//! `cargo xtask serve`: a small static file server for `dist/`.
//!
//! It serves the page the way production should: exact MIME types (the wasm
//! must be `application/wasm` for streaming compilation), a strict
//! Content-Security-Policy and `nosniff`. The e2e tests and the browser
//! benchmarks start it in-process with [`start`] on a free port, so what they
//! test is what this serves.

use crate::tools::say;
use crate::{dist, root, Result};
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

/// The policy the page must live under: no inline script or style, wasm
/// compilation allowed, nothing fetched from elsewhere.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors *; \
base-uri 'none'; form-action 'none'";

const DEFAULT_PORT: u16 = 8080;
/// Longest request head we read; anything larger is refused.
const MAX_HEAD_BYTES: usize = 16 * 1024;

pub fn run(args: &[String]) -> Result {
    let mut port = DEFAULT_PORT;
    let mut build = true;
    let mut release = true;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--no-build" => build = false,
            "--debug" => release = false,
            "--port" => {
                let value = args.next().ok_or("--port needs a number")?;
                port = parse_port(value)?;
            }
            other => match other.strip_prefix("--port=") {
                Some(value) => port = parse_port(value)?,
                None => return Err(format!("serve: unexpected argument `{other}`")),
            },
        }
    }
    if build {
        dist::build(release)?;
    }
    let dir = root().join("dist");
    if !dir.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: run without --no-build",
            dir.display()
        ));
    }
    let server = start(&dir, port)?;
    say(format!("serving {} (Ctrl-C to stop)", dir.display()));
    println!("Downhill is at {}", server.url());
    server.wait();
    Ok(())
}

fn parse_port(value: &str) -> Result<u16> {
    value
        .parse()
        .map_err(|_| format!("--port: `{value}` is not a port number"))
}

/// A running server. It stops when the process exits.
pub struct Server {
    pub port: u16,
    accept: thread::JoinHandle<()>,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Blocks for as long as the server runs.
    pub fn wait(self) {
        let _ = self.accept.join();
    }
}

/// Serves `dir` on 127.0.0.1:`port` from background threads; port 0 picks a
/// free port (see [`Server::port`]).
pub fn start(dir: &Path, port: u16) -> Result<Server> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("listener has no address: {e}"))?
        .port();
    let dir = dir
        .canonicalize()
        .map_err(|e| format!("cannot serve {}: {e}", dir.display()))?;
    let accept = thread::Builder::new()
        .name("serve-accept".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                let dir = dir.clone();
                let _ = thread::Builder::new()
                    .name("serve-conn".into())
                    .spawn(move || {
                        // A client that hangs up mid-response is not our problem.
                        let _ = handle(stream, &dir);
                    });
            }
        })
        .map_err(|e| format!("cannot start the server thread: {e}"))?;
    Ok(Server { port, accept })
}

/// One request per connection (`Connection: close`): simple and plenty for a
/// page of four files.
fn handle(stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut head_bytes = 0;
    let mut request_line = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(()); // closed before the head ended
        }
        head_bytes += line.len();
        if head_bytes > MAX_HEAD_BYTES {
            return respond(
                stream,
                431,
                "text/plain; charset=utf-8",
                b"request too large\n",
                true,
            );
        }
        if request_line.is_empty() {
            request_line = line;
        } else if line == "\r\n" || line == "\n" {
            break;
        }
    }

    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let with_body = match method {
        "GET" => true,
        "HEAD" => false,
        _ => {
            return respond(
                stream,
                405,
                "text/plain; charset=utf-8",
                b"method not allowed\n",
                true,
            )
        }
    };
    match resolve(target).and_then(|rel| existing_file(dir, &rel)) {
        Some(file) => match std::fs::read(&file) {
            Ok(body) => respond(stream, 200, mime_type(&file), &body, with_body),
            Err(_) => respond(
                stream,
                404,
                "text/plain; charset=utf-8",
                b"not found\n",
                with_body,
            ),
        },
        None => respond(
            stream,
            404,
            "text/plain; charset=utf-8",
            b"not found\n",
            with_body,
        ),
    }
}

fn respond(
    mut stream: TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    with_body: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        _ => "Error",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\n\
         Content-Type: {content_type}\r\n\
         Content-Length: {}\r\n\
         Content-Security-Policy: {CSP}\r\n\
         X-Content-Type-Options: nosniff\r\n\
         Cache-Control: no-cache\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if with_body {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The file for a relative path inside `dir`, if it is a regular file that,
/// after following symlinks, is still inside `dir` (which is canonical).
fn existing_file(dir: &Path, rel: &Path) -> Option<PathBuf> {
    let file = dir.join(rel).canonicalize().ok()?;
    (file.starts_with(dir) && file.is_file()).then_some(file)
}

/// Maps a request target to a path relative to the served directory, or
/// `None` for anything that must be a 404: targets that are not absolute
/// paths, `..` segments, encoded NULs or backslashes, invalid UTF-8. `/`
/// (with or without a query: the page keeps its state in the query) is
/// `index.html`.
pub fn resolve(target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let path = percent_decode(path.strip_prefix('/')?)?;
    if path.contains(['\0', '\\']) {
        return None;
    }
    let mut rel = PathBuf::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => rel.push(s),
        }
    }
    if rel.as_os_str().is_empty() {
        rel.push("index.html");
    }
    Some(rel)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file, by extension.
pub fn mime_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("ttf") => "font/ttf",
        Some("otf") => "font/otf",
        Some("txt") => "text/plain; charset=utf-8",
        Some("xml") => "application/xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn mime_types() {
        let m = |p: &str| mime_type(Path::new(p));
        assert_eq!(m("downhill-1a2b_bg.wasm"), "application/wasm");
        assert_eq!(m("downhill-1a2b.js"), "text/javascript; charset=utf-8");
        assert_eq!(m("boot.mjs"), "text/javascript; charset=utf-8");
        assert_eq!(m("index.html"), "text/html; charset=utf-8");
        assert_eq!(m("style-99.css"), "text/css; charset=utf-8");
        assert_eq!(m("icon.SVG"), "image/svg+xml");
        assert_eq!(m("shot.png"), "image/png");
        assert_eq!(m("LICENSE"), "application/octet-stream");
        assert_eq!(m("archive.tar.gz"), "application/octet-stream");
    }

    #[test]
    fn resolves_the_page_and_its_files() {
        let r = |t: &str| resolve(t).map(|p| p.to_string_lossy().into_owned());
        assert_eq!(r("/").as_deref(), Some("index.html"));
        assert_eq!(
            r("/?landscape=rosenbrock&lr=0.01").as_deref(),
            Some("index.html")
        );
        assert_eq!(r("/#x").as_deref(), Some("index.html"));
        assert_eq!(r("/index.html").as_deref(), Some("index.html"));
        assert_eq!(r("/app-1.js?v=2").as_deref(), Some("app-1.js"));
        assert_eq!(r("/assets/./a%20b.png").as_deref(), Some("assets/a b.png"));
        assert_eq!(r("//assets//x.css").as_deref(), Some("assets/x.css"));
    }

    #[test]
    fn refuses_traversal_and_odd_targets() {
        for target in [
            "/../Cargo.toml",
            "/assets/../../etc/passwd",
            "/%2e%2e/Cargo.toml",
            "/a/%2E%2E/%2e%2E/x",
            "/..%2fCargo.toml",
            "/a%5c..%5cb",
            "/a%00.html",
            "/%zz",
            "/%e2%28",
            "index.html",
            "http://example.com/",
            "",
        ] {
            assert_eq!(resolve(target), None, "{target}");
        }
    }

    fn get(port: u16, target: &str) -> (String, Vec<u8>) {
        let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8(raw[..split].to_vec()).unwrap();
        (head, raw[split + 4..].to_vec())
    }

    #[test]
    fn serves_files_with_headers_and_nothing_outside() {
        let base = std::env::temp_dir().join(format!("xtask-serve-{}", std::process::id()));
        let dir = base.join("dist");
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html>hi").unwrap();
        std::fs::write(dir.join("app_bg.wasm"), b"\0asm").unwrap();
        std::fs::write(base.join("secret.txt"), "no").unwrap();
        std::os::unix::fs::symlink(base.join("secret.txt"), dir.join("link.txt")).unwrap();

        let server = start(&dir, 0).unwrap();
        assert_ne!(server.port, 0);

        let (head, body) = get(server.port, "/?landscape=himmelblau");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(
            head.contains("Content-Type: text/html; charset=utf-8"),
            "{head}"
        );
        assert!(
            head.contains(&format!("Content-Security-Policy: {CSP}")),
            "{head}"
        );
        assert!(head.contains("X-Content-Type-Options: nosniff"), "{head}");
        assert_eq!(body, b"<!doctype html>hi");

        let (head, body) = get(server.port, "/app_bg.wasm");
        assert!(head.contains("Content-Type: application/wasm"), "{head}");
        assert_eq!(body, b"\0asm");

        for target in [
            "/missing.js",
            "/sub",
            "/link.txt",
            "/../secret.txt",
            "/sub/../../secret.txt",
        ] {
            let (head, _) = get(server.port, target);
            assert!(head.starts_with("HTTP/1.1 404"), "{target}: {head}");
            assert!(head.contains("Content-Security-Policy"), "{head}");
        }
        let _ = std::fs::remove_dir_all(&base);
    }
}
