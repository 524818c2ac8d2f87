//! The chromedriver process argus starts itself: on a free loopback port, in its own
//! process group so that Chromium (its child) goes with it when argus stops it.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::BrowserError;

pub struct DriverProcess {
    child: Child,
    pub port: u16,
    stopped: bool,
}

impl DriverProcess {
    /// Start `binary` (a name on PATH or a path) and wait until it accepts connections.
    pub fn start(binary: &str, wait: Duration) -> Result<DriverProcess, BrowserError> {
        let port = free_port().map_err(|e| BrowserError::Driver(format!("no free loopback port: {e}")))?;
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| {
                BrowserError::Driver(format!(
                    "cannot start chromedriver `{binary}`: {e} (set browser.chromedriver; on Debian: apt-get install chromium-driver)"
                ))
            })?;
        let mut process = DriverProcess { child, port, stopped: false };
        let deadline = Instant::now() + wait;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        loop {
            if let Ok(Some(status)) = process.child.try_wait() {
                return Err(BrowserError::Driver(format!("chromedriver `{binary}` exited at start ({status})")));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(process);
            }
            if Instant::now() > deadline {
                return Err(BrowserError::Driver(format!(
                    "chromedriver `{binary}` did not listen on 127.0.0.1:{port} within {} s",
                    wait.as_secs()
                )));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Still running?
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// SIGTERM to the whole group, SIGKILL after a grace period; reaps the child.
    pub fn stop(&mut self) {
        if std::mem::replace(&mut self.stopped, true) {
            return;
        }
        let group = -(self.child.id() as i32);
        // SAFETY: kill(2) on our own child's process group; no memory is touched.
        unsafe { libc::kill(group, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // Chromium's own processes may outlive chromedriver: the group kill takes them all.
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = self.child.wait();
        // Wait (briefly) until the group's last process is gone, so "stopped" means it.
        let deadline = Instant::now() + Duration::from_secs(2);
        while unsafe { libc::kill(group, 0) } == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port())
}
