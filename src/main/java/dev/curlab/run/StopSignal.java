package dev.curlab.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C / SIGTERM handling: the first signal asks the training loop to finish its current step and
 * write a checkpoint; the JVM waits (up to a bound) for the loop to say it is done before exiting.
 */
public final class StopSignal {
    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private Thread hook;

    /** Installs a shutdown hook that requests a stop and waits for {@link #finished()}. */
    public static StopSignal install() {
        StopSignal s = new StopSignal();
        s.hook = new Thread(() -> {
            s.requested.set(true);
            try {
                s.finished.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "curlab-stop");
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** A signal that is never raised (library use and tests). */
    public static StopSignal none() {
        return new StopSignal();
    }

    public boolean requested() {
        return requested.get();
    }

    /** For tests and embedding code: ask the loop to stop after its current step. */
    public void request() {
        requested.set(true);
    }

    /** Called by the loop when it has finished (normally or after a stop). */
    public void finished() {
        finished.countDown();
    }

    /** Removes the hook after a normal end, so a later Ctrl-C is not swallowed. */
    public void uninstall() {
        finished.countDown();
        if (hook != null && !requested.get()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }
}
