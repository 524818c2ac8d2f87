//! Ordered offloading: the per-item work of a parser (turning a test case into a
//! [`super::FailureEvent`]: message analysis, stack frames, fingerprint) runs on a second
//! thread while the parser reads on. The results reach the caller in the order the items
//! were pushed: through a sink called on the caller's thread, or pushed into a vector on the
//! second thread (filling a large vector is much of the cost of a large report). Bounded: at
//! most [`IN_FLIGHT`] batches are pending, so a streamed report stays streamed.
//!
//! Small reports never leave the caller's thread: the first [`INLINE_ITEMS`] items are
//! worked inline. The second threads are kept (at most [`MAX_IDLE`] idle) and reused by the
//! next report, so what they warm up (regex caches) stays warm.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::{Arc, Mutex};
use std::sync::mpsc::{Receiver, Sender, SyncSender, TryRecvError, TrySendError, channel, sync_channel};

/// Items worked on the caller's thread before the second thread is asked for.
pub(crate) const INLINE_ITEMS: usize = 512;
/// Items per batch handed to the second thread.
const BATCH: usize = 64;
/// Batches pending at most (sent and not yet worked).
const IN_FLIGHT: usize = 8;
/// Idle worker threads kept for the next report.
const MAX_IDLE: usize = 2;

type Job = Box<dyn FnOnce() + Send>;

/// Idle workers, each waiting for a job on its channel.
static IDLE: Mutex<Vec<Sender<Job>>> = Mutex::new(Vec::new());

/// Runs `job` on an idle worker thread, or a new one. False when no thread could be started.
fn run_on_worker(job: Job) -> bool {
    let mut job = job;
    loop {
        let idle = IDLE.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match idle {
            Some(tx) => match tx.send(job) {
                Ok(()) => return true,
                Err(back) => job = back.0, // that worker is gone: try the next
            },
            None => break,
        }
    }
    let (tx, rx) = channel::<Job>();
    let me = tx.clone();
    let started = std::thread::Builder::new().name("argus-ingest".into()).spawn(move || {
        while let Ok(job) = rx.recv() {
            job();
            let mut idle = IDLE.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() >= MAX_IDLE {
                return;
            }
            idle.push(me.clone());
        }
    });
    started.is_ok() && tx.send(job).is_ok()
}

/// Where the results go.
pub(crate) enum Out<'a, O> {
    /// Called on the caller's thread, in order.
    Sink(&'a mut dyn FnMut(O)),
    /// Pushed in order (on the second thread once it runs).
    Vec(&'a mut Vec<O>),
}

enum Msg<O> {
    /// Results of one batch (sink mode).
    Batch(Vec<O>),
    /// Everything, at the end (vector mode).
    Done(Vec<O>),
    /// The work panicked: a bug, passed on to the caller.
    Panicked(Box<dyn Any + Send>),
}

/// Runs `body` with an [`Offload`] that applies `work` to each pushed item and delivers the
/// results to `out` in push order. Every item pushed has been delivered when this returns.
pub(crate) fn offload<I, O, W, R>(work: W, out: Out<'_, O>, body: impl FnOnce(&mut Offload<'_, I, O, W>) -> R) -> R
where
    I: Send + 'static,
    O: Send + 'static,
    W: FnMut(I) -> O + Send + 'static,
{
    let mut off = Offload { work: Some(work), out, tx: None, rx: None, batch: Vec::new(), inline_left: INLINE_ITEMS, no_worker: false };
    let r = body(&mut off);
    off.finish();
    r
}

pub(crate) struct Offload<'a, I, O, W> {
    /// The work, while it runs inline (moved to the worker when that starts).
    work: Option<W>,
    out: Out<'a, O>,
    tx: Option<SyncSender<Vec<I>>>,
    rx: Option<Receiver<Msg<O>>>,
    batch: Vec<I>,
    inline_left: usize,
    /// No worker thread could be started: everything runs inline.
    no_worker: bool,
}

impl<I, O, W> Offload<'_, I, O, W>
where
    I: Send + 'static,
    O: Send + 'static,
    W: FnMut(I) -> O + Send + 'static,
{
    /// Works `item` (now, or on the second thread); its result is delivered in order.
    pub(crate) fn push(&mut self, item: I) {
        if self.tx.is_none() && (self.inline_left > 0 || self.no_worker || !self.start()) {
            self.inline_left = self.inline_left.saturating_sub(1);
            if let Some(work) = self.work.as_mut() {
                let o = work(item);
                match &mut self.out {
                    Out::Sink(sink) => sink(o),
                    Out::Vec(v) => v.push(o),
                }
            }
            return;
        }
        self.batch.push(item);
        if self.batch.len() >= BATCH {
            self.send();
        }
        if matches!(self.out, Out::Sink(_)) {
            self.drain(false);
        }
    }

    /// Hands the work (and in vector mode the vector) to a worker thread. False when none
    /// could be started: the work stays inline.
    fn start(&mut self) -> bool {
        let Some(work) = self.work.take() else { return false };
        let (tx, items) = sync_channel::<Vec<I>>(IN_FLIGHT);
        let (done, rx) = sync_channel::<Msg<O>>(IN_FLIGHT + 2);
        let acc: Option<Vec<O>> = match &mut self.out {
            Out::Vec(v) => Some(std::mem::take(*v)),
            Out::Sink(_) => None,
        };
        // What the job works with; taken back if the job never runs.
        let state = Arc::new(Mutex::new(Some((work, acc))));
        let taken = state.clone();
        let job: Job = Box::new(move || {
            let Some((mut work, mut acc)) = taken.lock().unwrap_or_else(|e| e.into_inner()).take() else { return };
            let run = catch_unwind(AssertUnwindSafe(|| {
                for batch in items {
                    match &mut acc {
                        Some(v) => v.extend(batch.into_iter().map(&mut work)),
                        None => {
                            if done.send(Msg::Batch(batch.into_iter().map(&mut work).collect())).is_err() {
                                return;
                            }
                        }
                    }
                }
            }));
            let _ = done.send(match run {
                Ok(()) => Msg::Done(acc.unwrap_or_default()),
                Err(p) => Msg::Panicked(p),
            });
        });
        if !run_on_worker(job) {
            self.no_worker = true;
            if let Some((work, acc)) = state.lock().unwrap_or_else(|e| e.into_inner()).take() {
                self.work = Some(work);
                if let (Out::Vec(v), Some(acc)) = (&mut self.out, acc) {
                    **v = acc;
                }
            }
            return false;
        }
        self.tx = Some(tx);
        self.rx = Some(rx);
        self.batch.reserve(BATCH);
        true
    }

    fn send(&mut self) {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let Some(tx) = self.tx.clone() else { return };
        let mut pending = batch;
        loop {
            match tx.try_send(pending) {
                Ok(()) => return,
                Err(TrySendError::Full(b)) => {
                    pending = b;
                    // The worker may be waiting to hand back results (sink mode): take one.
                    match &self.out {
                        Out::Sink(_) => {
                            if !self.receive(true) {
                                return;
                            }
                        }
                        Out::Vec(_) => {
                            let _ = tx.send(pending);
                            return;
                        }
                    }
                }
                Err(TrySendError::Disconnected(_)) => return,
            }
        }
    }

    /// Delivers one message from the worker (waiting for it when `wait`); false when there
    /// was none.
    fn receive(&mut self, wait: bool) -> bool {
        let Some(rx) = &self.rx else { return false };
        let msg = if wait {
            match rx.recv() {
                Ok(m) => m,
                Err(_) => return false,
            }
        } else {
            match rx.try_recv() {
                Ok(m) => m,
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return false,
            }
        };
        match msg {
            Msg::Batch(v) => {
                if let Out::Sink(sink) = &mut self.out {
                    v.into_iter().for_each(&mut **sink);
                }
            }
            Msg::Done(v) => {
                if let Out::Vec(out) = &mut self.out {
                    **out = v;
                }
                return false; // the last message
            }
            Msg::Panicked(p) => resume_unwind(p),
        }
        true
    }

    /// Delivers the results that are ready (all of them, waiting, when `wait`).
    fn drain(&mut self, wait: bool) {
        while self.receive(wait) {}
    }

    fn finish(&mut self) {
        if self.tx.is_some() {
            if !self.batch.is_empty() {
                self.send();
            }
            self.tx = None; // the worker finishes once it has worked what was sent
            self.drain(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_push_order_inline_and_offloaded() {
        for n in [0, 1, INLINE_ITEMS, INLINE_ITEMS + 1, INLINE_ITEMS + BATCH * IN_FLIGHT * 3 + 7] {
            let want: Vec<usize> = (0..n).map(|i| i * 2).collect();
            let mut got = Vec::new();
            let mut sink = |o: usize| got.push(o);
            offload(|i: usize| i * 2, Out::Sink(&mut sink), |off| (0..n).for_each(|i| off.push(i)));
            assert_eq!(got, want, "sink, {n} items");
            let mut got = Vec::new();
            offload(|i: usize| i * 2, Out::Vec(&mut got), |off| (0..n).for_each(|i| off.push(i)));
            assert_eq!(got, want, "vec, {n} items");
        }
    }

    #[test]
    fn reports_in_a_row_reuse_the_worker_and_stay_ordered() {
        for round in 0..5 {
            let n = INLINE_ITEMS + 1000 + round;
            let mut got = Vec::new();
            let mut state = 0usize;
            offload(
                move |i: usize| {
                    state += 1;
                    (i, state)
                },
                Out::Vec(&mut got),
                |off| (0..n).for_each(|i| off.push(i)),
            );
            assert_eq!(got.len(), n);
            assert!(got.iter().enumerate().all(|(k, (i, _))| k == *i));
        }
    }
}
