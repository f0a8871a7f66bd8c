package dev.mailroom.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Chaos campaigns: created through the API with the standard template, paced with the public
 * {@code delay_ms} control (so every planned fault lands while they send), recipients uploaded as CSV.
 * Every sender the harness creates logs in to the sink with the run's SMTP credentials, so the log scan
 * (I14) has a real password to look for.
 */
record CampaignFactory(MailroomApi api, Path runDir, int delayMs, String smtpUser, String smtpPassword) {

    long sender(String name, int smtpPort, long hourlyLimit, long monthlyLimit) throws IOException {
        return api.createSender(name, smtpPort, hourlyLimit, monthlyLimit, smtpUser, smtpPassword);
    }

    long campaign(long sender, String name, long n, LongFunction<String> address) throws IOException {
        long id = api.createCampaign("chaos " + name, sender, MessageTemplate.standard());
        api.controls(id, Map.of("delay_ms", delayMs));
        Path csv = RecipientCsv.write(runDir.resolve(name + ".csv"), n, address);
        api.uploadCsv(id, csv);
        return id;
    }
}
