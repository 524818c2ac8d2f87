//! Ordered offloading: the per-item work of a parser (turning a test case into a
//! [`super::FailureEvent`]: message analysis, stack frames, fingerprint) runs on a second
//! thread while the parser reads on; the results reach the sink on the caller's thread, in
//! the order the items were pushed. Bounded: at most [`IN_FLIGHT`] batches are pending, so
//! a streamed report stays streamed.
//!
//! Small reports never start the thread: the first [`INLINE_ITEMS`] items are worked inline.

use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::thread::Scope;

/// Items worked on the caller's thread before the second thread is started.
pub(crate) const INLINE_ITEMS: usize = 512;
/// Items per batch handed to the second thread.
const BATCH: usize = 64;
/// Batches pending at most (sent and not yet worked).
const IN_FLIGHT: usize = 8;

/// Runs `body` with an [`Offload`] that applies `work` to each pushed item and passes the
/// results to `sink` in push order. Every item pushed has reached `sink` when this returns.
pub(crate) fn offload<I: Send, O: Send, R>(
    work: &mut (dyn FnMut(I) -> O + Send),
    sink: &mut dyn FnMut(O),
    body: impl FnOnce(&mut Offload<'_, '_, I, O>) -> R,
) -> R {
    std::thread::scope(|scope| {
        let mut off = Offload { scope, work: Some(work), sink, tx: None, rx: None, batch: Vec::new(), inline_left: INLINE_ITEMS };
        let r = body(&mut off);
        off.finish();
        r
    })
}

pub(crate) struct Offload<'scope, 'env, I, O> {
    scope: &'scope Scope<'scope, 'env>,
    /// The work, while it runs inline (moved to the thread when that starts).
    work: Option<&'env mut (dyn FnMut(I) -> O + Send)>,
    sink: &'env mut dyn FnMut(O),
    tx: Option<SyncSender<Vec<I>>>,
    rx: Option<Receiver<Vec<O>>>,
    batch: Vec<I>,
    inline_left: usize,
}

impl<'scope, 'env: 'scope, I: Send + 'env, O: Send + 'env> Offload<'scope, 'env, I, O> {
    /// Works `item` (now, or on the second thread); its result reaches the sink in order.
    pub(crate) fn push(&mut self, item: I) {
        if self.inline_left > 0 {
            self.inline_left -= 1;
            if let Some(work) = self.work.as_mut() {
                let out = work(item);
                (self.sink)(out);
                return;
            }
        }
        if self.tx.is_none() {
            self.start();
        }
        self.batch.push(item);
        if self.batch.len() >= BATCH {
            self.send();
        }
        self.drain(false);
    }

    fn start(&mut self) {
        let Some(work) = self.work.take() else { return };
        let (tx, items) = sync_channel::<Vec<I>>(IN_FLIGHT);
        let (done, rx) = sync_channel::<Vec<O>>(IN_FLIGHT + 2);
        self.scope.spawn(move || {
            for batch in items {
                let out: Vec<O> = batch.into_iter().map(&mut *work).collect();
                if done.send(out).is_err() {
                    return;
                }
            }
        });
        self.tx = Some(tx);
        self.rx = Some(rx);
        self.batch.reserve(BATCH);
    }

    fn send(&mut self) {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let Some(tx) = self.tx.clone() else { return };
        // The worker may be waiting to hand back results: take them while the queue is full.
        let mut pending = Some(batch);
        while let Some(b) = pending.take() {
            match tx.try_send(b) {
                Ok(()) => {}
                Err(std::sync::mpsc::TrySendError::Full(b)) => {
                    pending = Some(b);
                    if !self.drain_one_blocking() {
                        // the worker is gone (it panicked): nothing more can be worked
                        return;
                    }
                }
                Err(std::sync::mpsc::TrySendError::Disconnected(_)) => return,
            }
        }
    }

    /// Waits for one batch of results and sinks it; false when the worker is gone.
    fn drain_one_blocking(&mut self) -> bool {
        let Some(rx) = &self.rx else { return false };
        match rx.recv() {
            Ok(out) => {
                out.into_iter().for_each(&mut *self.sink);
                true
            }
            Err(_) => false,
        }
    }

    /// Sinks the results that are ready (all of them, waiting, when `wait`).
    fn drain(&mut self, wait: bool) {
        let Some(rx) = &self.rx else { return };
        loop {
            let out = if wait {
                match rx.recv() {
                    Ok(o) => o,
                    Err(_) => return,
                }
            } else {
                match rx.try_recv() {
                    Ok(o) => o,
                    Err(TryRecvError::Empty | TryRecvError::Disconnected) => return,
                }
            };
            out.into_iter().for_each(&mut *self.sink);
        }
    }

    fn finish(&mut self) {
        if self.tx.is_some() {
            if !self.batch.is_empty() {
                self.send();
            }
            self.tx = None; // the worker ends once it has worked what was sent
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
            let mut work = |i: usize| i * 2;
            let mut got = Vec::new();
            let mut sink = |o: usize| got.push(o);
            offload(&mut work, &mut sink, |off| {
                for i in 0..n {
                    off.push(i);
                }
            });
            assert_eq!(got, (0..n).map(|i| i * 2).collect::<Vec<_>>(), "{n} items");
        }
    }
}
