package health.outreach.template;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops a render that runs past its deadline while it produces no output (a long loop that writes
 * nothing, which the output writer's own deadline never sees): one watchdog thread interrupts it,
 * and the interruption checks that every admitted template carries in its loops end the render.
 * A render that finishes in time costs one set insertion and one removal.
 */
final class RenderDeadline {

    private static final long TICK_MILLIS = 50;
    private static final Set<Watch> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Thread watchdog = new Thread(RenderDeadline::watch, "render-deadline");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private RenderDeadline() {
    }

    /** Starts watching the calling thread's render. */
    static Watch start(Duration timeout) {
        Watch w = new Watch(Thread.currentThread(), System.nanoTime() + timeout.toNanos());
        RUNNING.add(w);
        return w;
    }

    /** One render under watch. */
    static final class Watch {
        private final Thread thread;
        private final long deadlineNanos;
        private boolean done;
        private boolean fired;

        private Watch(Thread thread, long deadlineNanos) {
            this.thread = thread;
            this.deadlineNanos = deadlineNanos;
        }

        /**
         * Ends the watch; answers whether the deadline stopped the render. The interruption it
         * caused is cleared so it cannot reach whatever the thread does next.
         */
        boolean finish() {
            RUNNING.remove(this);
            synchronized (this) {
                done = true;
                if (fired) {
                    Thread.interrupted();
                }
                return fired;
            }
        }

        private synchronized void expire(long now) {
            if (!done && !fired && now - deadlineNanos > 0) {
                fired = true;
                thread.interrupt();
            }
        }
    }

    private static void watch() {
        while (true) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            RUNNING.forEach(w -> w.expire(now));
        }
    }
}
