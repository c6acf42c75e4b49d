package health.outreach.bench;

import health.outreach.campaign.CampaignLauncher;
import health.outreach.campaign.CampaignService;
import health.outreach.campaign.CampaignViews;
import health.outreach.channel.Channel;
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
 * SMTP sink, against a bare Jakarta Mail loop sending as many plain messages over one connection to
 * the same sink in the same run. Targets: ratio ≥ 0.8 and ≥ 2,000 messages/s.
 * -Drows=N (default 100,000), -Dworkers=N (default 4), -DskipBaseline=true for the memory run
 * (1M recipients under -Xmx256m: the run completing is the result).
 */
public final class EmailBenchmark {

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 100_000);
        int workers = Integer.getInteger("workers", 4);
        try (BenchDatabase db = BenchDatabase.create(); SmtpSink sink = new SmtpSink()) {
            System.out.printf("Email benchmark: %,d recipients, %d dispatch workers, PostgreSQL database %s%n", rows, workers, db.name);
            try (EmbeddedServer server = BenchServer.start(db, Map.of("outreach.scheduler.enabled", false,
                    "outreach.dispatch.enabled", false, "outreach.email.transport", "smtp",
                    "outreach.email.smtp.host", "127.0.0.1", "outreach.email.smtp.port", sink.port))) {
                boolean withBaseline = !Boolean.getBoolean("skipBaseline");
                long baseline = withBaseline ? bareLoop(sink, rows, sample(server.getApplicationContext())) : 0;
                if (withBaseline) {
                    Timing.line("bare Jakarta Mail loop (baseline)", rows, baseline);
                }
                BenchData.contacts(db, rows);
                long campaign = campaignNanos(server.getApplicationContext(), sink, rows, workers);
                Timing.line("campaign end to end (launch to last send)", rows, campaign);
                java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                System.out.printf(java.util.Locale.ROOT, "%-44s %,10d MB of max %,d MB%n", "heap in use at the end (after the run)",
                        heap.getUsed() >> 20, Runtime.getRuntime().maxMemory() >> 20);
                if (!withBaseline) {
                    return;
                }
                double ratio = (double) baseline / campaign;
                double rate = Timing.perSecond(rows, campaign);
                Timing.ratio("campaign rate / bare loop rate", ratio, ">= 0.8", ratio >= 0.8);
                Timing.ratio("campaign messages/s (thousands)", rate / 1000, ">= 2", rate >= 2000);
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

    static long bareLoop(SmtpSink sink, int rows, Sample sample) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(sink.port));
        Session session = Session.getInstance(p);
        long before = sink.received.get();
        long start = System.nanoTime();
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            for (int i = 0; i < rows; i++) {
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
            }
        }
        long nanos = System.nanoTime() - start;
        if (sink.received.get() - before != rows) {
            throw new IllegalStateException("the sink received " + (sink.received.get() - before));
        }
        return nanos;
    }

    static long campaignNanos(ApplicationContext ctx, SmtpSink sink, int rows, int workers) throws InterruptedException {
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
        long received = sink.received.get();
        long start = System.nanoTime();
        dispatcher.start(workers);                      // workers send while enrollment is still writing batches
        ctx.getBean(CampaignLauncher.class).launch(id);
        // Wait on the sink's counter, not on COUNT(*) queries: polling the outbox every few ms
        // would compete with the dispatcher for the database. Then wait for the last batch's record.
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        long lastReport = lastProgress;
        while (sink.received.get() - received < rows) {
            long count = sink.received.get();
            long at = System.nanoTime();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = at;
            } else if (at - lastProgress > 60_000_000_000L) {
                throw new IllegalStateException("the sink stalled at " + (count - received) + " of " + rows);
            }
            if (at - lastReport > 30_000_000_000L) { // the 1M run takes minutes: show it is moving
                System.out.printf(java.util.Locale.ROOT, "  ... %,d of %,d sent after %d s%n", count - received, rows,
                        (at - start) / 1_000_000_000L);
                lastReport = at;
            }
            Thread.sleep(10);
        }
        while (jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status IN ('PENDING', 'SENDING')", id) > 0) {
            Thread.sleep(10);
        }
        long nanos = System.nanoTime() - start;
        dispatcher.stop();
        long sent = jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENT'", id);
        if (sent != rows) {
            throw new IllegalStateException("sent " + sent + " of " + rows);
        }
        return nanos;
    }
}
