//! A private PostgreSQL cluster under govgraph's data directory, for machines that have the
//! server binaries but no running server. As root it runs as the `postgres` user (initdb refuses
//! root). A cluster this process started is stopped when the [`PrivateCluster`] is dropped; one
//! found running (left by another govgraph process) is used and left running.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::locate::Server;
use crate::{Error, Result};

pub struct PrivateCluster {
    bin_dir: PathBuf,
    data_dir: PathBuf,
    port: u16,
    run_as: Option<String>,
    started_here: bool,
}

impl PrivateCluster {
    /// Starts (initialising if needed) the cluster in `<data_dir>/pgdata`, or joins it if it runs.
    pub async fn start(data_dir: &Path) -> Result<PrivateCluster> {
        let data_dir = data_dir.to_owned();
        tokio::task::spawn_blocking(move || Self::start_blocking(&data_dir))
            .await
            .map_err(|e| Error::PrivateCluster(e.to_string()))?
    }

    fn start_blocking(base: &Path) -> Result<PrivateCluster> {
        let bin_dir = find_bin_dir().ok_or_else(|| {
            Error::NoPostgres(
                "no server answered on 127.0.0.1:5432 or the default socket, and no PostgreSQL server \
                 binaries (initdb, pg_ctl) were found; install PostgreSQL or set DATABASE_URL"
                    .into(),
            )
        })?;
        std::fs::create_dir_all(base)
            .map_err(|e| Error::PrivateCluster(format!("creating {}: {e}", base.display())))?;
        let base = std::fs::canonicalize(base).map_err(|e| Error::PrivateCluster(e.to_string()))?;
        let run_as = if is_root() { Some(unprivileged_user()?) } else { None };
        if let Some(user) = &run_as {
            chown(user, &base)?;
            let reachable = Command::new("runuser")
                .args(["-u", user, "--", "test", "-w", &base.display().to_string()])
                .status()
                .is_ok_and(|s| s.success());
            if !reachable {
                return Err(Error::PrivateCluster(format!(
                    "the `{user}` user cannot reach {} (a parent directory is closed to it); \
                     set GOVGRAPH_DATA_DIR to a directory it can reach, such as /var/tmp/govgraph",
                    base.display()
                )));
            }
        }
        let data_dir = base.join("pgdata");
        let mut cluster = PrivateCluster { bin_dir, data_dir, port: 0, run_as, started_here: false };

        if let Some(port) = cluster.running_port() {
            cluster.port = port;
            return Ok(cluster);
        }
        if !cluster.data_dir.join("PG_VERSION").exists() {
            cluster.init()?;
        }
        cluster.port = free_port()?;
        let log = base.join("postgresql.log");
        if let Some(user) = &cluster.run_as {
            chown(user, &base)?;
        }
        let opts = format!("-p {} -c listen_addresses=127.0.0.1 -k {}", cluster.port, base.display());
        let out = cluster.run(
            "pg_ctl",
            &[
                "-D",
                &cluster.data_dir.display().to_string(),
                "-l",
                &log.display().to_string(),
                "-w",
                "-t",
                "60",
                "-o",
                &opts,
                "start",
            ],
        )?;
        if !out.status.success() {
            return Err(Error::PrivateCluster(format!(
                "pg_ctl start failed: {}{} (see {})",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                log.display()
            )));
        }
        cluster.started_here = true;
        tracing::info!(data_dir = %cluster.data_dir.display(), port = cluster.port, "started a private PostgreSQL cluster");
        Ok(cluster)
    }

    pub fn server(&self) -> Server {
        Server { host: "127.0.0.1".into(), port: self.port, user: "postgres".into() }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn started_here(&self) -> bool {
        self.started_here
    }

    fn init(&self) -> Result<()> {
        std::fs::create_dir_all(&self.data_dir).map_err(|e| Error::PrivateCluster(e.to_string()))?;
        if let Some(user) = &self.run_as {
            chown(user, self.data_dir.parent().unwrap_or(&self.data_dir))?;
        }
        let out = self.run(
            "initdb",
            &["-D", &self.data_dir.display().to_string(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"],
        )?;
        if !out.status.success() {
            return Err(Error::PrivateCluster(format!("initdb failed: {}", String::from_utf8_lossy(&out.stderr))));
        }
        Ok(())
    }

    /// The port of a postmaster already running on this data directory.
    fn running_port(&self) -> Option<u16> {
        let status = self.run("pg_ctl", &["-D", &self.data_dir.display().to_string(), "status"]).ok()?;
        if !status.status.success() {
            return None;
        }
        let pid_file = std::fs::read_to_string(self.data_dir.join("postmaster.pid")).ok()?;
        pid_file.lines().nth(3)?.trim().parse().ok()
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<std::process::Output> {
        let exe = self.bin_dir.join(program);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        cmd.args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| Error::PrivateCluster(format!("running {}: {e}", exe.display())))
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        if self.started_here {
            let _ = self.run("pg_ctl", &["-D", &self.data_dir.display().to_string(), "-m", "fast", "-w", "stop"]);
            tracing::info!(data_dir = %self.data_dir.display(), "stopped the private PostgreSQL cluster");
        }
    }
}

fn find_bin_dir() -> Option<PathBuf> {
    let has_server = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("GOVGRAPH_PG_BINDIR").map(PathBuf::from) {
        return has_server(&dir).then_some(dir);
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_server(&dir) {
            return Some(dir);
        }
    }
    // Debian and Ubuntu keep the server binaries out of PATH, one directory per major version.
    let mut versioned: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, d)| has_server(d))
        .collect();
    versioned.sort();
    if let Some((_, dir)) = versioned.pop() {
        return Some(dir);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find(|d| has_server(d))
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

fn unprivileged_user() -> Result<String> {
    for user in ["postgres", "nobody"] {
        if Command::new("id").arg(user).output().is_ok_and(|o| o.status.success()) {
            return Ok(user.to_owned());
        }
    }
    Err(Error::PrivateCluster(
        "running as root, and neither a `postgres` nor a `nobody` user exists to run the server".into(),
    ))
}

fn chown(user: &str, dir: &Path) -> Result<()> {
    let out = Command::new("chown")
        .args(["-R", &format!("{user}:"), &dir.display().to_string()])
        .output()
        .map_err(|e| Error::PrivateCluster(format!("chown: {e}")))?;
    if !out.status.success() {
        return Err(Error::PrivateCluster(format!(
            "chown {}: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(())
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| Error::PrivateCluster(e.to_string()))?;
    Ok(listener.local_addr().map_err(|e| Error::PrivateCluster(e.to_string()))?.port())
}
