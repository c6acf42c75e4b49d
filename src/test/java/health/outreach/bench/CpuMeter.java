package health.outreach.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time of this JVM and of the local PostgreSQL server, read from /proc (Linux), so a benchmark
 * can say what each message cost, not only how fast it went. PostgreSQL is every process named
 * "postgres" plus what its postmaster collected from children that exited meanwhile (autovacuum
 * workers come and go). Threads of an in-process stand-in (the SMTP sink) can be left out of the
 * JVM's figure by name.
 */
final class CpuMeter {

    private static final double TICKS = 100.0; // USER_HZ on Linux
    private final Predicate<String> excludedThreads;

    record Sample(double appSeconds, double postgresSeconds) {
        Sample minus(Sample earlier) {
            return new Sample(appSeconds - earlier.appSeconds, postgresSeconds - earlier.postgresSeconds);
        }

        void print(String label, long messages) {
            System.out.printf(Locale.ROOT, "%-44s app %6.1f s, PostgreSQL %6.1f s = %.3f / %.3f CPU-s per 1k messages%n",
                    label, appSeconds, postgresSeconds, 1000 * appSeconds / messages, 1000 * postgresSeconds / messages);
        }
    }

    CpuMeter(Predicate<String> excludedThreads) {
        this.excludedThreads = excludedThreads;
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    Sample now() {
        return new Sample(jvmSeconds() - excludedSeconds(), postgresSeconds());
    }

    /** CPU-seconds per group of live JVM threads (names with their numbers taken out), largest first. */
    static String threadBreakdown() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        java.util.Map<String, Double> byGroup = new java.util.TreeMap<>();
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos > 0) {
                    byGroup.merge(info.getThreadName().replaceAll("[0-9]+", "N"), nanos / 1e9, Double::sum);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        byGroup.entrySet().stream().sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed()).limit(8)
                .forEach(e -> out.append(String.format(Locale.ROOT, "%s %.1f s; ", e.getKey(), e.getValue())));
        return out.toString();
    }

    private double jvmSeconds() {
        long[] t = times(Path.of("/proc/self/stat"));
        return t == null ? 0 : (t[0] + t[1]) / TICKS;
    }

    private double excludedSeconds() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double total = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && excludedThreads.test(info.getThreadName())) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                total += nanos > 0 ? nanos / 1e9 : 0;
            }
        }
        return total;
    }

    private static double postgresSeconds() {
        double total = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit))::iterator) {
                String comm = read(p.resolve("comm"));
                if (comm == null || !comm.strip().equals("postgres")) {
                    continue;
                }
                long[] t = times(p.resolve("stat"));
                if (t != null) {
                    total += (t[0] + t[1] + t[2] + t[3]) / TICKS; // children's time is non-zero only for the postmaster
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    /** utime, stime, cutime, cstime (fields 14–17 of /proc/[pid]/stat), or null if the process is gone. */
    private static long[] times(Path stat) {
        String s = read(stat);
        if (s == null) {
            return null;
        }
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) " the fields start at state (field 3): utime is field 14 → index 11
        return new long[]{Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return null;
        }
    }
}
