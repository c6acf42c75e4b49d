package health.outreach.bench;

import health.outreach.campaign.CampaignLauncher;
import health.outreach.campaign.CampaignService;
import health.outreach.campaign.CampaignViews;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
import health.outreach.segment.SegmentRule;
import health.outreach.segment.SegmentService;
import health.outreach.template.TemplateStore;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import health.outreach.template.LinkTracker;
import health.outreach.template.TemplatePart;
import health.outreach.template.TemplateRenderer;
import health.outreach.template.TemplateValidator;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A personalised email campaign end to end on PostgreSQL (enrollment, fan-out, render with the
 * library's awareness email, tracked links, SMTP with reused connections, recording) to a loopback
 * SMTP relay, against the library's own limit in the same run: bare Jakarta Mail senders on as many
 * parallel connections as the campaign's dispatcher uses, sending the same rendered email. Prints
 * both rates, their ratio (target ≥ 0.8), and the CPU-seconds per 1,000 messages spent by the
 * service's JVM and by PostgreSQL. The relay is Postfix's smtp-sink when installed
 * ({@code apt-get install -y postfix}), otherwise an in-process sink whose CPU is left out.
 * -Drows=N (default 100,000), -Dworkers=N (default: the service's own default), -DskipBaseline=true
 * for the memory run (1M recipients under -Xmx256m: the run completing is the result).
 */
public final class EmailBenchmark {

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 100_000);
        try (BenchDatabase db = BenchDatabase.create(); RelaySink sink = RelaySink.start()) {
            Map<String, Object> settings = new java.util.HashMap<>(Map.of("outreach.scheduler.enabled", false,
                    "outreach.dispatch.enabled", false, "outreach.email.transport", "smtp",
                    "outreach.email.smtp.host", "127.0.0.1", "outreach.email.smtp.port", sink.port));
            if (Integer.getInteger("workers") != null) {
                settings.put("outreach.dispatch.email-connections", Integer.getInteger("workers"));
            }
            try (EmbeddedServer server = BenchServer.start(db, settings)) {
                ApplicationContext ctx = server.getApplicationContext();
                int workers = ctx.getBean(health.outreach.delivery.DispatchSettings.class).connections(Channel.EMAIL);
                System.out.printf("Email benchmark: %,d recipients, %d connections, relay: %s, PostgreSQL database %s%n",
                        rows, workers, sink.kind, db.name);
                CpuMeter cpu = new CpuMeter(RelaySink::isSinkThread);
                boolean withBaseline = !Boolean.getBoolean("skipBaseline");
                long baseline = 0;
                if (withBaseline) {
                    CpuMeter.Sample before = cpu.now();
                    baseline = bareSenders(sink, rows, workers, sample(ctx));
                    Timing.line("bare Jakarta Mail, " + workers + " connections (baseline)", rows, baseline);
                    cpu.now().minus(before).print("  CPU of the baseline", rows);
                }
                BenchData.contacts(db, rows);
                CpuMeter.Sample before = cpu.now();
                long campaign = campaignNanos(ctx, rows, workers);
                Timing.line("campaign end to end (launch to last record)", rows, campaign);
                cpu.now().minus(before).print("  CPU of the campaign", rows);
                java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                System.out.printf(java.util.Locale.ROOT, "%-44s %,10d MB of max %,d MB%n", "heap in use at the end (after the run)",
                        heap.getUsed() >> 20, Runtime.getRuntime().maxMemory() >> 20);
                if (!withBaseline) {
                    return;
                }
                double ratio = (double) baseline / campaign;
                Timing.ratio("campaign rate / bare senders' rate", ratio, ">= 0.8", ratio >= 0.8);
            }
        }
    }

    /** The awareness email rendered once, so the bare loop sends messages of the same size and shape. */
    record Sample(String subject, String html, String text) {
    }

    static Sample sample(ApplicationContext ctx) {
        TemplateStore templates = ctx.getBean(TemplateStore.class);
        long templateId = templates.findByLibraryKey("awareness-email").orElseThrow().id();
        long versionId = templates.version(templateId, 1).orElseThrow().id();
        TemplateRenderer renderer = ctx.getBean(TemplateRenderer.class);
        Map<String, Object> model = ctx.getBean(TemplateValidator.class).sample("en", List.of(), true);
        return new Sample(renderer.render(versionId, "en", TemplatePart.SUBJECT, model, LinkTracker.NONE),
                renderer.render(versionId, "en", TemplatePart.HTML, model, LinkTracker.NONE),
                renderer.render(versionId, "en", TemplatePart.TEXT, model, LinkTracker.NONE));
    }

    /** {@code connections} threads, each with its own connection, sending their share of {@code rows} messages. */
    static long bareSenders(RelaySink sink, int rows, int connections, Sample sample) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(sink.port));
        Session session = Session.getInstance(p);
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(connections);
        long start = System.nanoTime();
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int c = 0; c < connections; c++) {
            done.add(pool.submit(() -> {
                try (Transport transport = session.getTransport("smtp")) {
                    transport.connect();
                    for (int i = next.getAndIncrement(); i < rows; i = next.getAndIncrement()) {
                        String name = "Name" + i;
                        MimeMessage m = new MimeMessage(session);
                        m.setFrom(new InternetAddress("outreach@outreach.example.org"));
                        m.setRecipient(Message.RecipientType.TO, new InternetAddress("p" + i + "@example.org"));
                        m.setSubject(sample.subject(), "UTF-8");
                        MimeBodyPart text = new MimeBodyPart();
                        text.setText(sample.text().replace("Alexandria", name), "UTF-8", "plain");
                        MimeBodyPart html = new MimeBodyPart();
                        html.setText(sample.html().replace("Alexandria", name), "UTF-8", "html");
                        m.setContent(new MimeMultipart("alternative", text, html));
                        m.saveChanges();
                        transport.sendMessage(m, m.getAllRecipients());
                        sent.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> f : done) {
            f.get();
        }
        long nanos = System.nanoTime() - start;
        pool.shutdown();
        if (sent.get() != rows) {
            throw new IllegalStateException("the relay accepted " + sent.get() + " of " + rows);
        }
        return nanos;
    }

    static long campaignNanos(ApplicationContext ctx, int rows, int workers) throws InterruptedException {
        long segment = ctx.getBean(SegmentService.class).create("everyone by email", null,
                new SegmentRule(null, null, "consent.email", "eq", "OPTED_IN"), "bench").id();
        long template = ctx.getBean(TemplateStore.class).findByLibraryKey("awareness-email").orElseThrow().id();
        CampaignService campaigns = ctx.getBean(CampaignService.class);
        long id = campaigns.create(new CampaignViews.Form("bench", segment, "en-US", "America/Chicago",
                List.of(new CampaignViews.StepForm(Channel.EMAIL, template, null, null, "PT0S", null, null)), "ONCE", null,
                0, 30, null), "bench").id();
        campaigns.act(id, "schedule");
        Jdbc jdbc = ctx.getBean(Jdbc.class);
        Dispatcher dispatcher = ctx.getBean(Dispatcher.class);
        health.outreach.delivery.DispatchMetrics metrics = ctx.getBean(health.outreach.delivery.DispatchMetrics.class);
        long sentBefore = metrics.sent(Channel.EMAIL);
        long start = System.nanoTime();
        dispatcher.start(workers);                      // workers send while enrollment is still writing batches
        ctx.getBean(CampaignLauncher.class).launch(id);
        // Wait on this node's own count of recorded sends, not on COUNT(*) queries: polling the
        // outbox every few ms would compete with the dispatcher for the database.
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        long lastReport = lastProgress;
        while (metrics.sent(Channel.EMAIL) - sentBefore < rows) {
            long count = metrics.sent(Channel.EMAIL) - sentBefore;
            long at = System.nanoTime();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = at;
            } else if (at - lastProgress > 60_000_000_000L) {
                throw new IllegalStateException("sending stalled at " + count + " of " + rows);
            }
            if (at - lastReport > 30_000_000_000L) { // the 1M run takes minutes: show it is moving
                System.out.printf(java.util.Locale.ROOT, "  ... %,d of %,d sent after %d s%n", count, rows,
                        (at - start) / 1_000_000_000L);
                lastReport = at;
            }
            Thread.sleep(10);
        }
        long nanos = System.nanoTime() - start;
        System.out.println("  threads by CPU: " + CpuMeter.threadBreakdown());
        dispatcher.stop();
        long sent = jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENT'", id);
        if (sent != rows) {
            throw new IllegalStateException("sent " + sent + " of " + rows);
        }
        return nanos;
    }
}
