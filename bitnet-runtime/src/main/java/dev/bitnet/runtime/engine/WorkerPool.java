package dev.bitnet.runtime.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A few worker threads kept alive between tokens, for splitting one product into a few large
 * parts. A decode step runs up to ~50 short parallel regions (a few microseconds each), too short for
 * a fork/join pool: here the caller publishes a job, runs parts itself, and workers that spin
 * briefly before parking pick up the rest. Jobs come from one thread at a time (the session's).
 */
public final class WorkerPool implements AutoCloseable {

    /** Spin iterations before a waiting worker parks: long enough to bridge the serial work between two regions of one token. */
    private static final int SPIN = 1 << 11;

    /** One parallel region: parts are claimed through {@code next}; finished parts counted in {@code done}. */
    private record Job(IntConsumer body, int parts, AtomicInteger next, AtomicInteger done) {
    }

    private final int threads;
    private final Thread[] workers;
    private final AtomicIntegerArray parked; // 1 while worker w is (about to be) parked
    private volatile Job job;
    private volatile boolean closed;
    private volatile Throwable failure;

    /** A pool running regions on {@code threads} threads: the caller plus {@code threads - 1} daemon workers. */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        this.parked = new AtomicIntegerArray(threads - 1);
        for (int w = 0; w < workers.length; w++) {
            int id = w;
            workers[w] = Thread.ofPlatform().daemon().name("bitnet-worker-" + (w + 1)).unstarted(() -> work(id));
            workers[w].start();
        }
    }

    /** Number of threads a region runs on, the caller included. */
    public int threads() {
        return threads;
    }

    /** Runs {@code body.accept(p)} for every part {@code p < parts} and returns when all are done. */
    public void run(int parts, IntConsumer body) {
        if (threads == 1 || parts == 1) {
            for (int p = 0; p < parts; p++) {
                body.accept(p);
            }
            return;
        }
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        Job j = new Job(body, parts, new AtomicInteger(), new AtomicInteger());
        job = j;
        for (int w = 0; w < workers.length; w++) {
            if (parked.get(w) != 0) {
                LockSupport.unpark(workers[w]);
            }
        }
        runParts(j);
        // Spin for the last parts, but yield once that takes long: on a busy machine the worker
        // holding the last part may have lost its CPU, and spinning would only keep it off longer.
        for (int spins = 0; j.done.get() < parts; spins++) {
            if (spins < SPIN) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        Throwable t = failure;
        if (t != null) {
            failure = null;
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }

    private void runParts(Job j) {
        int p;
        while ((p = j.next.getAndIncrement()) < j.parts) {
            try {
                j.body.accept(p);
            } catch (Throwable t) {
                failure = t;
            } finally {
                j.done.incrementAndGet();
            }
        }
    }

    private void work(int id) {
        Job seen = null;
        while (!closed) {
            Job j = job;
            if (j == seen) {
                int spins = 0;
                while ((j = job) == seen && !closed && spins++ < SPIN) {
                    Thread.onSpinWait();
                }
                if (j == seen) {
                    // Publish "parked" before re-checking the job: the caller writes the job before
                    // reading this flag, so one of the two always sees the other.
                    parked.set(id, 1);
                    if (job == seen && !closed) {
                        LockSupport.park(this);
                    }
                    parked.set(id, 0);
                    continue;
                }
            }
            seen = j;
            runParts(j);
        }
    }

    /** Stops the workers; later parallel regions are refused. */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
