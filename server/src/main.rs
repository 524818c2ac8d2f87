use std::process::ExitCode;

use clap::Parser;

use argus_lsp::{cli, logging};

// Ingesting a report allocates millions of small strings; glibc's allocator spent a fifth of
// that time in malloc/free. The benches use the same allocator. Built with `no_thp`: with
// transparent huge pages the kernel zeroes a whole 2 MiB page on first touch, which made the
// first correlation of a large report spend 0.44 s of its 0.5 s in the kernel.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    if let Some(code) = cli::run(&args) {
        return code;
    }
    let log = logging::init("info");
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("argus-lsp: cannot start the async runtime: {e}");
            return ExitCode::from(cli::EXIT_USAGE);
        }
    };
    runtime.block_on(argus_lsp::lsp::run_stdio(log));
    // tokio's stdin reader is a blocking thread that only returns at EOF; after `exit` the
    // client may keep the pipe open, so do not wait for it.
    runtime.shutdown_background();
    ExitCode::SUCCESS
}
